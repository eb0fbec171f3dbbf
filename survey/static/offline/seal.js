// A finished offline interview, sealed in the browser exactly as survey/vault/responses.py seals a
// response on the server: HPKE (RFC 9180) base mode to the study's public key, with the same suite
// (MLKEM768-X25519 or X25519, HKDF-SHA256, AES-256-GCM), the same `info` binding and the same record
// layout: "R1", the 8-byte key id, the encapsulated key, the ciphertext.
// Library: panva's `hpke` with the @noble-based algorithms of `@panva/hpke-noble` (docs/offline.md).
import { CipherSuite } from "../vendor/hpke/index.js";
import {
  AEAD_AES_256_GCM,
  KDF_HKDF_SHA256,
  KEM_DHKEM_X25519_HKDF_SHA256,
  KEM_MLKEM768_X25519,
} from "../vendor/@panva/hpke-noble/index.js";
import { sha256 } from "../vendor/@noble/hashes/sha2.js";

const KEMS = { "MLKEM768-X25519": KEM_MLKEM768_X25519, X25519: KEM_DHKEM_X25519_HKDF_SHA256 };
const PUBLIC_KEY_BYTES = { "MLKEM768-X25519": 1184 + 32, X25519: 32 };
const FORMAT = [0x52, 0x31]; // "R1"
const INFO_PREFIX = "wetterau-survey response v1\u0000";
const encoder = new TextEncoder();

export class SealError extends Error {}

// json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False), as the server's
// canonical(): keys sorted, no spaces, non-ASCII text as is.
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new SealError("a number that JSON cannot hold");
  return JSON.stringify(value);
}

function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function fromHex(text) {
  return Uint8Array.from(text.match(/../gu), (pair) => parseInt(pair, 16));
}

function fromBase64(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export function toBase64(bytes) {
  let binary = "";
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}

// The study's public key file (survey/vault/keys.py's format), checked like load_public() does.
export function readPublicKey(document) {
  if (!document || document.format !== "wetterau-survey-public-key" || document.version !== 1) {
    throw new SealError("not a study public key file of format version 1");
  }
  const { suite } = document;
  if (!(suite in KEMS)) throw new SealError(`unknown suite ${JSON.stringify(suite)}`);
  const publicBytes = fromBase64(String(document.public_key));
  if (publicBytes.length !== PUBLIC_KEY_BYTES[suite]) {
    throw new SealError(`public key has ${publicBytes.length} bytes, expected ${PUBLIC_KEY_BYTES[suite]}`);
  }
  const keyId = hex(sha256(new Uint8Array([...encoder.encode(suite), 0, ...publicBytes]))).slice(0, 16);
  if (document.key_id !== keyId) throw new SealError("key id does not match the key (file damaged or edited)");
  return { suite, keyId, publicBytes };
}

export function info(questionnaireId, version, responseId, keyId) {
  const binding = { key: keyId, questionnaire: questionnaireId, response: responseId, version };
  return encoder.encode(INFO_PREFIX + canonical(binding));
}

// Seal a record holding at least questionnaire, version and response ids; returns the stored bytes.
export async function sealResponse(record, publicKey) {
  for (const field of ["questionnaire", "version", "response"]) {
    if (typeof record[field] !== "string" || !record[field]) throw new SealError(`the record has no ${field} id`);
  }
  const suite = new CipherSuite(KEMS[publicKey.suite], KDF_HKDF_SHA256, AEAD_AES_256_GCM);
  const recipient = await suite.DeserializePublicKey(publicKey.publicBytes);
  const binding = info(record.questionnaire, record.version, record.response, publicKey.keyId);
  const { encapsulatedSecret, ciphertext } = await suite.Seal(recipient, encoder.encode(canonical(record)), {
    info: binding,
  });
  const keyId = fromHex(publicKey.keyId);
  const sealed = new Uint8Array(FORMAT.length + keyId.length + encapsulatedSecret.length + ciphertext.length);
  sealed.set(FORMAT, 0);
  sealed.set(keyId, FORMAT.length);
  sealed.set(encapsulatedSecret, FORMAT.length + keyId.length);
  sealed.set(ciphertext, FORMAT.length + keyId.length + encapsulatedSecret.length);
  return sealed;
}
