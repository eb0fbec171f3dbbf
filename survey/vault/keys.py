"""The study key pair: HPKE (RFC 9180) keys, their file formats, and passphrase wrapping.

Public key file (all the server needs), JSON::

    {"format": "wetterau-survey-public-key", "version": 1, "suite": "MLKEM768-X25519",
     "key_id": "<16 hex>", "public_key": "<base64>", "created": "<ISO date>"}

Private key file, JSON; the key material is wrapped with AES-256-GCM under a key derived from the
passphrase with Argon2id, and the header is authenticated as associated data::

    {"format": "wetterau-survey-private-key", "version": 1, "suite": ..., "key_id": ...,
     "created": ..., "kdf": {"name": "argon2id", "salt": "<base64>", "iterations": 3,
     "lanes": 4, "memory_kib": 65536}, "cipher": "AES-256-GCM", "nonce": "<base64>",
     "wrapped": "<base64>"}

Key material: for MLKEM768-X25519 the 64-byte ML-KEM seed followed by the 32-byte X25519 key;
for X25519 the 32-byte X25519 key. Public keys: the ML-KEM-768 encapsulation key (1184 bytes)
followed by the X25519 public key (32 bytes), or the X25519 public key alone.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

PUBLIC_FORMAT = "wetterau-survey-public-key"
PRIVATE_FORMAT = "wetterau-survey-private-key"
FILE_VERSION = 1
HYBRID = "MLKEM768-X25519"
CLASSIC = "X25519"
SUITES = {
    HYBRID: hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM),
    CLASSIC: hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM),
}
# OWASP's first Argon2id recommendation is 19 MiB, 2 passes; a key file is opened rarely, so more.
ARGON2 = {"iterations": 3, "lanes": 4, "memory_kib": 64 * 1024}
MIN_PASSPHRASE = 12
_COMMON = {"passwortpasswort", "passwordpassword", "123456789012", "qwertzuiopü", "wetteraukreis"}


class KeyFileError(Exception):
    """A key file or passphrase problem; the message says which file and what is wrong."""


class WeakPassphrase(KeyFileError):
    pass


class WrongPassphrase(KeyFileError):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str, path: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except (ValueError, TypeError):
        raise KeyFileError(f"{path}: '{what}' is not valid base64") from None


def check_passphrase(passphrase: str) -> None:
    """Refuse passphrases an attacker with the key file could guess."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    classes = sum(bool(re.search(pattern, passphrase)) for pattern in (r"[a-zäöüß]", r"[A-ZÄÖÜ]", r"\d", r"[^\w\s]|\s"))
    if len(set(passphrase)) < 6 or passphrase.lower() in _COMMON:
        raise WeakPassphrase("the passphrase is too easy to guess")
    if len(passphrase) < 20 and classes < 3:
        raise WeakPassphrase(
            "use at least 20 characters, or mix at least three of: lower case, upper case, digits, symbols or spaces"
        )


def key_id_of(suite: str, public_bytes: bytes) -> str:
    return hashlib.sha256(suite.encode() + b"\x00" + public_bytes).hexdigest()[:16]


def fingerprint(key_id: str) -> str:
    """A short form to read aloud and compare: 'ab12 cd34 ef56 7890'."""
    return " ".join(key_id[index : index + 4] for index in range(0, len(key_id), 4))


@dataclass(frozen=True)
class StudyPublicKey:
    suite: str
    key_id: str
    public_bytes: bytes

    def hpke_key(self) -> Any:
        if self.suite == HYBRID:
            encapsulation, classic = self.public_bytes[:1184], self.public_bytes[1184:]
            return hpke.MLKEM768X25519PublicKey(
                mlkem.MLKEM768PublicKey.from_public_bytes(encapsulation),
                x25519.X25519PublicKey.from_public_bytes(classic),
            )
        return x25519.X25519PublicKey.from_public_bytes(self.public_bytes)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": PUBLIC_FORMAT,
                "version": FILE_VERSION,
                "suite": self.suite,
                "key_id": self.key_id,
                "public_key": _b64(self.public_bytes),
                "created": datetime.date.today().isoformat(),
            },
            indent=2,
        )


@dataclass(frozen=True)
class StudyPrivateKey:
    suite: str
    key_id: str
    material: bytes

    # The key object, built on first use: expanding the ML-KEM seed costs about as much as an unseal.
    _hpke: Any = field(default=None, init=False, compare=False, repr=False)

    def hpke_key(self) -> Any:
        if self._hpke is None:
            if self.suite == HYBRID:
                key: Any = hpke.MLKEM768X25519PrivateKey(
                    mlkem.MLKEM768PrivateKey.from_seed_bytes(self.material[:64]),
                    x25519.X25519PrivateKey.from_private_bytes(self.material[64:]),
                )
            else:
                key = x25519.X25519PrivateKey.from_private_bytes(self.material)
            object.__setattr__(self, "_hpke", key)  # frozen: set once, like a cached property
        return self._hpke

    def public(self) -> StudyPublicKey:
        if self.suite == HYBRID:
            seed, classic = self.material[:64], self.material[64:]
            public_bytes = (
                mlkem.MLKEM768PrivateKey.from_seed_bytes(seed).public_key().public_bytes_raw()
                + x25519.X25519PrivateKey.from_private_bytes(classic).public_key().public_bytes_raw()
            )
        else:
            public_bytes = x25519.X25519PrivateKey.from_private_bytes(self.material).public_key().public_bytes_raw()
        return StudyPublicKey(self.suite, key_id_of(self.suite, public_bytes), public_bytes)


def generate(suite: str = HYBRID) -> StudyPrivateKey:
    if suite not in SUITES:
        raise KeyFileError(f"unknown suite '{suite}'; use {HYBRID} or {CLASSIC}")
    material = os.urandom(64) + os.urandom(32) if suite == HYBRID else os.urandom(32)
    provisional = StudyPrivateKey(suite, "", material)
    return StudyPrivateKey(suite, provisional.public().key_id, material)


def _derive(passphrase: str, salt: bytes, params: dict[str, Any]) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=params["iterations"],
        lanes=params["lanes"],
        memory_cost=params["memory_kib"],
    ).derive(passphrase.encode("utf-8"))


def _header(document: dict[str, Any]) -> bytes:
    fields = {key: document[key] for key in ("format", "version", "suite", "key_id", "created", "kdf", "cipher")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def wrap(private: StudyPrivateKey, passphrase: str) -> str:
    """The private key file's text, wrapped under the passphrase (which must be strong)."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    document: dict[str, Any] = {
        "format": PRIVATE_FORMAT,
        "version": FILE_VERSION,
        "suite": private.suite,
        "key_id": private.key_id,
        "created": datetime.date.today().isoformat(),
        "kdf": {"name": "argon2id", "salt": _b64(salt), **ARGON2},
        "cipher": "AES-256-GCM",
    }
    key = _derive(passphrase, salt, document["kdf"])
    document["nonce"] = _b64(nonce)
    document["wrapped"] = _b64(AESGCM(key).encrypt(nonce, private.material, _header(document)))
    return json.dumps(document, indent=2)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise KeyFileError(f"{path}: not a key file ({error.__class__.__name__})") from None
    if not isinstance(document, dict):
        raise KeyFileError(f"{path}: not a key file")
    return document


def load_public(path: str | Path) -> StudyPublicKey:
    path = Path(path)
    document = _read_json(path)
    if document.get("format") == PRIVATE_FORMAT:
        raise KeyFileError(f"{path}: this is a private key file; the server needs only the public key")
    if document.get("format") != PUBLIC_FORMAT or document.get("version") != FILE_VERSION:
        raise KeyFileError(f"{path}: not a public key file of format version {FILE_VERSION}")
    suite = document.get("suite")
    if suite not in SUITES:
        raise KeyFileError(f"{path}: unknown suite {suite!r}")
    public_bytes = _unb64(document.get("public_key"), "public_key", str(path))
    expected = 1184 + 32 if suite == HYBRID else 32
    if len(public_bytes) != expected:
        raise KeyFileError(f"{path}: public key has {len(public_bytes)} bytes, expected {expected}")
    key_id = key_id_of(suite, public_bytes)
    if document.get("key_id") != key_id:
        raise KeyFileError(f"{path}: key id does not match the key (file damaged or edited)")
    return StudyPublicKey(suite, key_id, public_bytes)


def load_private(path: str | Path, passphrase: str) -> StudyPrivateKey:
    return open_private(_read_json(Path(path)), passphrase, str(path))


def load_private_text(text: str, passphrase: str, name: str = "uploaded key file") -> StudyPrivateKey:
    """A private key from the text of its file (an upload, kept in memory only)."""
    try:
        document = json.loads(text)
    except ValueError:
        raise KeyFileError(f"{name}: not a key file") from None
    if not isinstance(document, dict):
        raise KeyFileError(f"{name}: not a key file")
    return open_private(document, passphrase, name)


def open_private(document: dict[str, Any], passphrase: str, path: str) -> StudyPrivateKey:
    if document.get("format") == PUBLIC_FORMAT:
        raise KeyFileError(f"{path}: this is the public key; exports need the private key file")
    if document.get("format") != PRIVATE_FORMAT or document.get("version") != FILE_VERSION:
        raise KeyFileError(f"{path}: not a private key file of format version {FILE_VERSION}")
    try:
        kdf = document["kdf"]
        if kdf.get("name") != "argon2id" or document.get("cipher") != "AES-256-GCM":
            raise KeyFileError(f"{path}: unsupported key wrapping")
        salt = _unb64(kdf["salt"], "kdf.salt", str(path))
        nonce = _unb64(document["nonce"], "nonce", str(path))
        wrapped = _unb64(document["wrapped"], "wrapped", str(path))
        params = {name: int(kdf[name]) for name in ("iterations", "lanes", "memory_kib")}
        header = _header(document)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise KeyFileError(f"{path}: key file is incomplete or damaged") from None
    if not (
        1 <= params["iterations"] <= 100 and 1 <= params["lanes"] <= 64 and 8 <= params["memory_kib"] <= 4 * 1024 * 1024
    ):
        raise KeyFileError(f"{path}: implausible Argon2id parameters")
    try:
        material = AESGCM(_derive(passphrase, salt, params)).decrypt(nonce, wrapped, header)
    except InvalidTag:
        raise WrongPassphrase(f"{path}: wrong passphrase, or the key file was changed") from None
    private = StudyPrivateKey(str(document["suite"]), str(document["key_id"]), material)
    if private.suite not in SUITES or private.public().key_id != private.key_id:
        raise KeyFileError(f"{path}: key material does not match its key id")
    return private
