import {
  LabeledDerive,
  LabeledExtract,
  LabeledExpand,
  concat,
  encode,
  I2OSP,
  ValidationError,
} from '../../hpke/index.js'


import { chacha20poly1305 } from '../../@noble/ciphers/chacha.js'
import { gcm } from '../../@noble/ciphers/aes.js'
import { shake128, shake256 } from '../../@noble/hashes/sha3.js'
import { turboshake128, turboshake256 } from '../../@noble/hashes/sha3-addons.js'
import { extract, expand } from '../../@noble/hashes/hkdf.js'
import { sha256, sha384, sha512 } from '../../@noble/hashes/sha2.js'
import { ml_kem512, ml_kem768, ml_kem1024 } from '../../@noble/post-quantum/ml-kem.js'
import { MLKEM768P256, MLKEM1024P384, MLKEM768X25519 } from '../../@noble/post-quantum/hybrid.js'
import {                      } from '../../@noble/post-quantum/utils.js'
import { x25519 } from '../../@noble/curves/ed25519.js'
import { x448 } from '../../@noble/curves/ed448.js'
import { p256, p384, p521 } from '../../@noble/curves/nist.js'








export const AEAD_AES_128_GCM                   = () => createAead(0x0001, 'AES-128-GCM', 16, gcm)








export const AEAD_AES_256_GCM                   = () => createAead(0x0002, 'AES-256-GCM', 32, gcm)








export const AEAD_ChaCha20Poly1305                   = () =>
  createAead(0x0003, 'ChaCha20Poly1305', 32, chacha20poly1305)

function createAead(
  id        ,
  name        ,
  Nk        ,
  cipher                                      ,
)            {
  return {
    id,
    type: 'AEAD',
    name,
    Nk,
    Nn: 12,
    Nt: 16,
    async Seal(key, nonce, aad, pt) {
      return cipher(key, nonce, aad).encrypt(pt)
    },
    async Open(key, nonce, aad, ct) {
      return cipher(key, nonce, aad).decrypt(ct)
    },
  }
}









export const KDF_HKDF_SHA256                  = () =>
  createTwoStageKdf(0x0001, 'HKDF-SHA256', 32, sha256)









export const KDF_HKDF_SHA384                  = () =>
  createTwoStageKdf(0x0002, 'HKDF-SHA384', 48, sha384)









export const KDF_HKDF_SHA512                  = () =>
  createTwoStageKdf(0x0003, 'HKDF-SHA512', 64, sha512)









export const KDF_SHAKE128                  = () =>
  createOneStageKdf(0x0010, 'SHAKE128', 32, shake128)









export const KDF_SHAKE256                  = () =>
  createOneStageKdf(0x0011, 'SHAKE256', 64, shake256)









export const KDF_TurboSHAKE128                  = () =>
  createOneStageKdf(0x0012, 'TurboSHAKE128', 32, turboshake128, 0x1f)









export const KDF_TurboSHAKE256                  = () =>
  createOneStageKdf(0x0013, 'TurboSHAKE256', 64, turboshake256, 0x1f)

function createTwoStageKdf(
  id        ,
  name        ,
  Nh        ,
  hash                                               ,
)           {
  return {
    id,
    type: 'KDF',
    name,
    Nh,
    stages: 2,
    async Extract(salt, ikm) {
      return extract(hash, ikm, salt)
    },
    async Expand(prk, info, L) {
      return expand(hash, prk, info, L)
    },
    Derive: Unreachable,
  }
}

function createOneStageKdf(
  id        ,
  name        ,
  Nh        ,
  derive                                                                                 ,
  D         ,
)           {
  return {
    id,
    type: 'KDF',
    name,
    Nh,
    stages: 1,
    async Derive(labeled_ikm, L) {
      return derive(labeled_ikm, { dkLen: L, D })
    },
    Extract: Unreachable,
    Expand: Unreachable,
  }
}

const Unreachable = () => {
  throw new Error('unreachable')
}









export const KEM_DHKEM_P256_HKDF_SHA256                  = () =>
  createDhKemNist({
    id: 0x0010,
    name: 'DHKEM(P-256, HKDF-SHA256)',
    Nsecret: 32,
    Nenc: 65,
    Npk: 65,
    Nsk: 32,
    curve: p256,
    kdf: KDF_HKDF_SHA256,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bitmask: 0xff,
  })









export const KEM_DHKEM_P384_HKDF_SHA384                  = () =>
  createDhKemNist({
    id: 0x0011,
    name: 'DHKEM(P-384, HKDF-SHA384)',
    Nsecret: 48,
    Nenc: 97,
    Npk: 97,
    Nsk: 48,
    curve: p384,
    kdf: KDF_HKDF_SHA384,
    order:
      0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bitmask: 0xff,
  })









export const KEM_DHKEM_P521_HKDF_SHA512                  = () =>
  createDhKemNist({
    id: 0x0012,
    name: 'DHKEM(P-521, HKDF-SHA512)',
    Nsecret: 64,
    Nenc: 133,
    Npk: 133,
    Nsk: 66,
    curve: p521,
    kdf: KDF_HKDF_SHA512,
    order:
      0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bitmask: 0x01,
  })









export const KEM_DHKEM_X25519_HKDF_SHA256                  = () =>
  createDhKemX({
    id: 0x0020,
    name: 'DHKEM(X25519, HKDF-SHA256)',
    Nsecret: 32,
    Nenc: 32,
    Npk: 32,
    Nsk: 32,
    curve: x25519,
    kdf: KDF_HKDF_SHA256,
  })









export const KEM_DHKEM_X448_HKDF_SHA512                  = () =>
  createDhKemX({
    id: 0x0021,
    name: 'DHKEM(X448, HKDF-SHA512)',
    Nsecret: 64,
    Nenc: 56,
    Npk: 56,
    Nsk: 56,
    curve: x448,
    kdf: KDF_HKDF_SHA512,
  })








export const KEM_ML_KEM_512                  = () =>
  createPqKem({
    id: 0x0040,
    name: 'ML-KEM-512',
    Nsecret: 32,
    Nenc: 768,
    Npk: 800,
    Nsk: 64,
    kem: ml_kem512,
  })








export const KEM_ML_KEM_768                  = () =>
  createPqKem({
    id: 0x0041,
    name: 'ML-KEM-768',
    Nsecret: 32,
    Nenc: 1088,
    Npk: 1184,
    Nsk: 64,
    kem: ml_kem768,
  })








export const KEM_ML_KEM_1024                  = () =>
  createPqKem({
    id: 0x0042,
    name: 'ML-KEM-1024',
    Nsecret: 32,
    Nenc: 1568,
    Npk: 1568,
    Nsk: 64,
    kem: ml_kem1024,
  })






export const KEM_MLKEM768_X25519                  = () =>
  createPqKem({
    id: 0x647a,
    name: 'MLKEM768-X25519',
    Nsecret: 32,
    Nenc: 1120,
    Npk: 1216,
    Nsk: 32,
    kem: MLKEM768X25519,
  })






export const KEM_MLKEM768_P256                  = () =>
  createPqKem({
    id: 0x0050,
    name: 'MLKEM768-P256',
    Nsecret: 32,
    Nenc: 1153,
    Npk: 1249,
    Nsk: 32,
    kem: MLKEM768P256,
  })






export const KEM_MLKEM1024_P384                  = () =>
  createPqKem({
    id: 0x0051,
    name: 'MLKEM1024-P384',
    Nsecret: 32,
    Nenc: 1665,
    Npk: 1665,
    Nsk: 32,
    kem: MLKEM1024P384,
  })

function createPqKem(config   







 )           {
  const { id, name, Nsecret, Nenc, Npk, Nsk, kem: nobleKem } = config
  const suite_id = concat(encode('KEM'), I2OSP(id, 2))

  Object.freeze(NobleKey.prototype)
  const algorithm = { name }

  return {
    id,
    type: 'KEM',
    name,
    Nsecret,
    Nenc,
    Npk,
    Nsk,
    async DeriveKeyPair(ikm, extractable) {
      const seed = await LabeledDerive(
        {
          async Derive(ikm, L) {
            return shake256(ikm, { dkLen: L })
          },
        },
        suite_id,
        ikm,
        encode('DeriveKeyPair'),
        new Uint8Array(),
        Nsk,
      )
      const { secretKey, publicKey } = nobleKem.keygen(seed)

      return {
        privateKey: new NobleKey(priv, 'private', secretKey, extractable, algorithm, seed),
        publicKey: new NobleKey(priv, 'public', publicKey, true, algorithm),
      }
    },
    async GenerateKeyPair(extractable) {
      const ikm = crypto.getRandomValues(new Uint8Array(Nsk))
      return await this.DeriveKeyPair(ikm, extractable)
    },
    async SerializePublicKey(key) {
      NobleKey.validate(key, algorithm, true)
      return key.value(priv)
    },
    async DeserializePublicKey(key) {
      return new NobleKey(priv, 'public', slice(key), true, algorithm)
    },
    async SerializePrivateKey(key) {
      NobleKey.validate(key, algorithm, true)
      return (key            ).seed(priv)
    },
    async DeserializePrivateKey(key, extractable) {
      const { secretKey } = nobleKem.keygen(key)
      return new NobleKey(priv, 'private', secretKey, extractable, algorithm, slice(key))
    },
    async Encap(pkR) {
      NobleKey.validate(pkR, algorithm)
      const { cipherText, sharedSecret } = nobleKem.encapsulate((pkR            ).value(priv))
      return { shared_secret: sharedSecret, enc: cipherText }
    },
    async Decap(enc, skR) {
      NobleKey.validate(skR, algorithm)
      return nobleKem.decapsulate(enc, (skR            ).value(priv))
    },
  }
}

async function deriveSharedSecret(
  kdf          ,
  suite_id            ,
  Nsecret        ,
  dh            ,
  enc            ,
  pkRm            ,
)                      {
  const kem_context = concat(enc, pkRm)
  const eae_prk = await LabeledExtract(kdf, suite_id, new Uint8Array(), encode('eae_prk'), dh)
  return LabeledExpand(kdf, suite_id, eae_prk, encode('shared_secret'), kem_context, Nsecret)
}

function createDhKemNist(config   










 )           {
  const { id, name, Nsecret, Nenc, Npk, Nsk, curve, kdf: kdfFactory, order, bitmask } = config
  const kdf = kdfFactory()
  const suite_id = concat(encode('KEM'), I2OSP(id, 2))
  const algorithm = { name }

  async function deriveKeyPair(ikm            , extractable         )                        {
    const dkp_prk = await LabeledExtract(kdf, suite_id, new Uint8Array(), encode('dkp_prk'), ikm)


    let sk = 0n
    let counter = 0
    let bytes            

    do {
      if (counter > 255) throw new Error('Key derivation failed')
      bytes = await LabeledExpand(
        kdf,
        suite_id,
        dkp_prk,
        encode('candidate'),
        Uint8Array.of(counter),
        Nsk,
      )
      bytes[0]  &= bitmask
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      sk = 0n
      for (let i = 0; i < Nsk; i += 8) {
        const remaining = Nsk - i
        if (remaining >= 8) {
          sk = (sk << 64n) | view.getBigUint64(i, false)
        } else {
          sk = (sk << BigInt(remaining * 8)) | BigInt(view.getUint16(i, false))
        }
      }
      counter++
    } while (sk === 0n || sk >= order)

    const secretKey = bytes 
    const publicKey = curve.getPublicKey(secretKey, false)

    curve.Point.fromBytes(publicKey).assertValidity()

    return {
      privateKey: new NobleKey(priv, 'private', secretKey, extractable, { name }),
      publicKey: new NobleKey(priv, 'public', publicKey, true, { name }),
    }
  }

  Object.freeze(NobleKey.prototype)
  return {
    id,
    type: 'KEM',
    name,
    Nsecret,
    Nenc,
    Npk,
    Nsk,
    async DeriveKeyPair(ikm, extractable) {
      return await deriveKeyPair(ikm, extractable)
    },
    async GenerateKeyPair(extractable) {
      const ikm = crypto.getRandomValues(new Uint8Array(Nsk))
      return await this.DeriveKeyPair(ikm, extractable)
    },
    async SerializePublicKey(key) {
      NobleKey.validate(key, algorithm, true)
      return key.value(priv)
    },
    async DeserializePublicKey(key) {
      curve.Point.fromBytes(key).assertValidity()
      return new NobleKey(priv, 'public', slice(key), true, algorithm)
    },
    async SerializePrivateKey(key) {
      NobleKey.validate(key, algorithm, true)
      return (key            ).value(priv)
    },
    async DeserializePrivateKey(key, extractable) {
      return new NobleKey(priv, 'private', slice(key), extractable, algorithm)
    },
    async Encap(pkR) {
      NobleKey.validate(pkR, algorithm)

      const pkRValue = (pkR            ).value(priv)
      curve.Point.fromBytes(pkRValue).assertValidity()

      const ekp = await this.GenerateKeyPair(false)
      const skE = (ekp.privateKey            ).value(priv)
      const enc = (ekp.publicKey            ).value(priv)

      const dh = slice(curve.getSharedSecret(skE, pkRValue), 1)
      checkNotAllZeros(dh)

      return {
        shared_secret: await deriveSharedSecret(kdf, suite_id, Nsecret, dh, enc, pkRValue),
        enc,
      }
    },
    async Decap(enc, skR, pkR) {
      NobleKey.validate(skR, algorithm)

      const skRValue = (skR            ).value(priv)
      pkR ??= (await this.DeserializePublicKey(curve.getPublicKey(skRValue, false)))            
      NobleKey.validate(pkR, algorithm)

      const pkE = (await this.DeserializePublicKey(enc))            
      const pkEValue = pkE.value(priv)
      const dh = slice(curve.getSharedSecret(skRValue, pkEValue), 1)
      checkNotAllZeros(dh)

      return await deriveSharedSecret(
        kdf,
        suite_id,
        Nsecret,
        dh,
        enc,
        (pkR            ).value(priv),
      )
    },
  }
}

function createDhKemX(config   








 )           {
  const { id, name, Nsecret, Nenc, Npk, Nsk, curve, kdf: kdfFactory } = config
  const kdf = kdfFactory()
  const suite_id = concat(encode('KEM'), I2OSP(id, 2))
  const algorithm = { name }

  Object.freeze(NobleKey.prototype)
  return {
    id,
    type: 'KEM',
    name,
    Nsecret,
    Nenc,
    Npk,
    Nsk,
    async DeriveKeyPair(ikm, extractable) {
      const dkp_prk = await LabeledExtract(kdf, suite_id, new Uint8Array(), encode('dkp_prk'), ikm)
      const sk = await LabeledExpand(kdf, suite_id, dkp_prk, encode('sk'), new Uint8Array(), Nsk)
      const pk = curve.getPublicKey(sk)

      return {
        privateKey: new NobleKey(priv, 'private', sk, extractable, algorithm),
        publicKey: new NobleKey(priv, 'public', pk, true, algorithm),
      }
    },
    async GenerateKeyPair(extractable) {
      const ikm = crypto.getRandomValues(new Uint8Array(Nsk))
      return await this.DeriveKeyPair(ikm, extractable)
    },
    async SerializePublicKey(key) {
      NobleKey.validate(key, algorithm, true)
      return key.value(priv)
    },
    async DeserializePublicKey(key) {
      return new NobleKey(priv, 'public', slice(key), true, algorithm)
    },
    async SerializePrivateKey(key) {
      NobleKey.validate(key, algorithm, true)
      return (key            ).value(priv)
    },
    async DeserializePrivateKey(key, extractable) {
      return new NobleKey(priv, 'private', slice(key), extractable, algorithm)
    },
    async Encap(pkR) {
      NobleKey.validate(pkR, algorithm)

      const ekp = await this.GenerateKeyPair(false)
      const enc = (ekp.publicKey            ).value(priv)
      const dh = curve.getSharedSecret(
        (ekp.privateKey            ).value(priv),
        (pkR            ).value(priv),
      )
      checkNotAllZeros(dh)

      return {
        shared_secret: await deriveSharedSecret(
          kdf,
          suite_id,
          Nsecret,
          dh,
          enc,
          (pkR            ).value(priv),
        ),
        enc,
      }
    },
    async Decap(enc, skR, pkR) {
      NobleKey.validate(skR, algorithm)

      const skRValue = (skR            ).value(priv)
      pkR ??= (await this.DeserializePublicKey(curve.getPublicKey(skRValue)))            
      NobleKey.validate(pkR, algorithm)

      const pkE = (await this.DeserializePublicKey(enc))            
      const dh = curve.getSharedSecret(skRValue, pkE.value(priv))
      checkNotAllZeros(dh)

      return await deriveSharedSecret(
        kdf,
        suite_id,
        Nsecret,
        dh,
        enc,
        (pkR            ).value(priv),
      )
    },
  }
}

const InvalidInvocation = (_             ) => {
  if (_ !== priv) {
    throw new Error('invalid invocation')
  }
}
const priv = Symbol()
class NobleKey                     {
  #type                      
  #extractable         
  #algorithm              
  #value            
  #seed                         

  static #isValid(key          )          {
    return key.#algorithm !== undefined
  }

  static validate(
    key         ,
    algorithm              ,
    extractable          ,
  )                          {
    if ((key            ).algorithm?.name !== algorithm.name) {
      throw new TypeError(`key algorithm must be ${algorithm.name}`)
    }
    try {
      if (!NobleKey.#isValid(key            )) {
        throw new TypeError('unexpected key constructor')
      }
    } catch {
      throw new TypeError('unexpected key constructor')
    }
    if (extractable && !(key            ).extractable) {
      throw new TypeError('key must be extractable')
    }
  }

  constructor(
    _             ,
    type                      ,
    value            ,
    extractable         ,
    algorithm              ,
    seed             ,
  ) {
    InvalidInvocation(_)
    this.#type = type
    this.#value = value
    this.#extractable = extractable
    this.#algorithm = algorithm
    this.#seed = seed
  }

  get algorithm() {
    return { name: this.#algorithm.name }
  }

  get extractable() {
    return this.#extractable
  }

  get type() {
    return this.#type
  }

  value(_             ) {
    InvalidInvocation(_)
    return slice(this.#value)
  }

  seed(_             ) {
    InvalidInvocation(_)
    return slice(this.#seed )
  }
}

function checkNotAllZeros(buffer            )       {
  let or = 0
  for (let i = 0; i < buffer.length; i++) {
    or |= buffer[i] 
  }
  if (or === 0) {
    throw new ValidationError('DH shared secret is an all-zero value')
  }
}

function slice(buffer            , start         , end         ) {
  return Uint8Array.prototype.slice.call(buffer, start, end)
}
