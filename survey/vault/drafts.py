"""Answers in progress, sealed with AES-256-GCM under a key derived from a secret that lives only in
the respondent's session cookie: a copy of the database alone cannot read a draft."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_BYTES = 32
_FORMAT = b"D1"  # version of the sealed-draft layout: format tag, 12-byte nonce, ciphertext+tag


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
    plain = json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret)).encrypt(nonce, plain, draft_id(secret).encode())
    return _FORMAT + nonce + sealed


def unseal(secret: bytes, blob: bytes) -> dict[str, Any]:
    if len(blob) < len(_FORMAT) + 12 + 16 or not blob.startswith(_FORMAT):
        raise DraftUnreadable("draft record is truncated or of an unknown format")
    nonce, sealed = blob[2:14], blob[14:]
    try:
        plain = AESGCM(_key(secret)).decrypt(nonce, sealed, draft_id(secret).encode())
    except InvalidTag:
        raise DraftUnreadable("draft record does not open with this secret") from None
    return json.loads(plain)


def secret_from_resume_code(code: str, questionnaire_id: str) -> bytes:
    """The draft secret behind a resume code. Argon2id makes guessing codes against a stolen
    database slow; the server stores nothing about the code itself."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    salt = hashlib.sha256(b"survey-resume\x00" + questionnaire_id.encode()).digest()[:16]
    return Argon2id(salt=salt, length=SECRET_BYTES, iterations=2, lanes=1, memory_cost=32 * 1024).derive(
        code.encode("ascii")
    )
