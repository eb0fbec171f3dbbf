"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps make them:
SHA-1, 6 digits, 30-second steps. Implemented with hmac; no extra dependency."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Accept the previous and the next step too: phone clocks drift and people type slowly.
WINDOW = 1
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends for HMAC-SHA-1

Digest = Callable[..., Any]


def new_secret() -> str:
    """A random secret in unpadded base32, as authenticator apps expect it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """Decode a base32 secret; spaces and lower case (as people copy it) are accepted."""
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: Digest = hashlib.sha1) -> str:
    """RFC 4226: HMAC the big-endian counter, take 31 bits at the dynamic offset."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(at: float, step: int = STEP_SECONDS) -> int:
    return int(at // step)


def code_at(
    secret: str, at: float, digits: int = DIGITS, digest: Digest = hashlib.sha1, step: int = STEP_SECONDS
) -> str:
    """The code an authenticator app shows at Unix time `at`."""
    return hotp(secret_bytes(secret), step_at(at, step), digits, digest)


def matching_step(secret: str, code: str, at: float | None = None, after_step: int | None = None) -> int | None:
    """The time step whose code equals `code` within the window around `at`, or None.

    Steps at or before `after_step` (the last one used) are never accepted again."""
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    key = secret_bytes(secret)
    now = step_at(time.time() if at is None else at)
    for candidate in range(now - WINDOW, now + WINDOW + 1):
        if after_step is not None and candidate <= after_step:
            continue
        if hmac.compare_digest(hotp(key, candidate), typed):
            return candidate
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI (Key Uri Format) that authenticator apps read."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS},
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))
