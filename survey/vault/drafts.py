"""Answers in progress, sealed with AES-256-GCM under a key derived from a secret that lives only in
the respondent's session cookie: a copy of the database alone cannot read a draft."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_BYTES = 32
# Versions of the sealed-draft layout (format tag, 12-byte nonce, ciphertext+tag), which differ only in
# the JSON inside: D2 is written by orjson, about ten times faster than the json module on a long
# questionnaire's draft, read and written on every page; D1 by the json module, kept for what orjson
# cannot write exactly (integers beyond 64 bits) and for drafts sealed before D2.
_ORJSON, _JSON = b"D2", b"D1"
_FORMATS = (_ORJSON, _JSON)
_TAG = len(_ORJSON)


class DraftUnreadable(Exception):
    """The draft cannot be opened with this secret (wrong browser, tampered or truncated record)."""


def new_secret() -> bytes:
    return os.urandom(SECRET_BYTES)


def draft_id(secret: bytes) -> str:
    """The database key of a draft: a one-way function of the browser's secret."""
    return hashlib.sha256(b"survey-draft-id\x00" + secret).hexdigest()[:32]


def _key(secret: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"survey-draft-key v1").derive(secret)


def canonical(content: Any) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(secret: bytes, content: dict[str, Any]) -> bytes:
    # Not `canonical`: nothing compares a draft's bytes, and sorting every answer's key on each page
    # post is a third of the encoding's cost for a long questionnaire.
    try:
        tag, plain = _ORJSON, orjson.dumps(content)
    except TypeError:  # an integer beyond 64 bits, which orjson refuses rather than change
        tag, plain = _JSON, json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret)).encrypt(nonce, plain, draft_id(secret).encode())
    return tag + nonce + sealed


def unseal(secret: bytes, blob: bytes) -> dict[str, Any]:
    tag = blob[:_TAG]
    if len(blob) < _TAG + 12 + 16 or tag not in _FORMATS:
        raise DraftUnreadable("draft record is truncated or of an unknown format")
    nonce, sealed = blob[_TAG : _TAG + 12], blob[_TAG + 12 :]
    try:
        plain = AESGCM(_key(secret)).decrypt(nonce, sealed, draft_id(secret).encode())
    except InvalidTag:
        raise DraftUnreadable("draft record does not open with this secret") from None
    # orjson reads what json wrote, except integers beyond 64 bits (as floats): D1 stays with json.
    content: dict[str, Any] = orjson.loads(plain) if tag == _ORJSON else json.loads(plain)
    return content


def secret_from_resume_code(code: str, questionnaire_id: str) -> bytes:
    """The draft secret behind a resume code. Argon2id makes guessing codes against a stolen
    database slow; the server stores nothing about the code itself."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    salt = hashlib.sha256(b"survey-resume\x00" + questionnaire_id.encode()).digest()[:16]
    return Argon2id(salt=salt, length=SECRET_BYTES, iterations=2, lanes=1, memory_cost=32 * 1024).derive(
        code.encode("ascii")
    )
