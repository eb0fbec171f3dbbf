"""TOTP secrets sealed at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the TOTP key, which
lives outside the database (`instance/totp_key` or SURVEY_TOTP_KEY), with the user id as associated
data, so a database dump alone yields no second factor and a secret copied onto another account does
not open."""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app

from ..config import ConfigurationError

KEY_FILE = "totp_key"
KEY_VARIABLE = "SURVEY_TOTP_KEY"
# Stored values start with this; base32 secrets from before sealing (A-Z, 2-7) never contain a colon.
PREFIX = "gcm1:"
NONCE_BYTES = 12
# Separates this key from anything else the same key material could ever be used for.
_HKDF_INFO = b"wetterau-survey totp-secret v1"
_EXTENSION = "survey.totp_key"


class SealError(Exception):
    """A sealed secret that does not open: another TOTP key, another account's row, or damage."""


def derive(master: bytes) -> bytes:
    """The AES-256 key for TOTP secrets, derived from the configured key material."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(master)


def read_key(app: Flask) -> bytes:
    """The configured key material (TOTP_KEY, then SURVEY_TOTP_KEY, then instance/totp_key), as bytes."""
    configured = app.config.get("TOTP_KEY") or os.environ.get(KEY_VARIABLE)
    if not configured:
        path = Path(app.instance_path) / KEY_FILE
        if not path.exists():
            raise ConfigurationError(f"No TOTP key at {path}: run 'flask --app survey init' or set {KEY_VARIABLE}.")
        configured = path.read_text(encoding="ascii").strip()
    try:
        key = base64.urlsafe_b64decode(configured)
    except (ValueError, binascii.Error):
        raise ConfigurationError("The TOTP key is not valid base64") from None
    if len(key) < 32:
        raise ConfigurationError("The TOTP key must hold at least 32 bytes")
    return key


def init_app(app: Flask) -> None:
    """Read the TOTP key once at start-up (a file or variable; never the database)."""
    app.extensions[_EXTENSION] = derive(read_key(app))


def app_key() -> bytes:
    return current_app.extensions[_EXTENSION]


def _associated_data(user_id: int) -> bytes:
    return f"user_account.totp_secret:{user_id}".encode("ascii")


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(secret: str, user_id: int, key: bytes) -> str:
    """The base32 secret as stored: PREFIX + base64url(nonce || AES-GCM(secret bytes))."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, secret.encode("ascii"), _associated_data(user_id))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str, user_id: int, key: bytes) -> str:
    """The base32 secret from a sealed value. Raises SealError, never returns a guess."""
    if not is_sealed(stored):
        raise SealError(f"the TOTP secret of account {user_id} is not sealed")
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode("ascii"))
    except (ValueError, binascii.Error):
        raise SealError(f"the TOTP secret of account {user_id} is damaged") from None
    if len(raw) <= NONCE_BYTES:
        raise SealError(f"the TOTP secret of account {user_id} is damaged")
    try:
        opened = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(user_id))
    except InvalidTag:
        raise SealError(
            f"the TOTP secret of account {user_id} does not open with this TOTP key "
            "(another key, another account's row, or a changed value)"
        ) from None
    return opened.decode("ascii")
