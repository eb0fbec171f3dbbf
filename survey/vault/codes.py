"""Participant codes a person can type from a letter, and the pseudonyms stored in their place.

A code is 11 random Crockford base32 characters (55 bits) and a Luhn mod 32 check character, shown
as XXXX-XXXX-XXXX. The database stores only HMAC-SHA256(pseudonym key, normalised code); the key
lives outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 11
_READ_AS = {"O": "0", "I": "1", "L": "1"}


class InvalidCode(ValueError):
    """A typed code that cannot be one of ours; `reason` is 'length', 'characters' or 'typo'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _check_character(data: str) -> str:
    """Luhn mod N over the code alphabet: catches every single wrong character and every swap of
    two neighbours except 0 with Z."""
    total = 0
    factor = 2
    for char in reversed(data):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def new_code() -> str:
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return data + _check_character(data)


def code_from_secret(secret: bytes, purpose: bytes) -> str:
    """A code derived from a random secret (as unguessable as new_code() while the secret is secret):
    asking for it twice gives the same code, so a request whose answer was lost can be repeated."""
    digest = int.from_bytes(hmac.new(secret, b"code\x00" + purpose, hashlib.sha256).digest(), "big")
    data = "".join(ALPHABET[(digest >> (5 * index)) & 31] for index in range(DATA_LENGTH))
    return data + _check_character(data)


def display(code: str) -> str:
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalise(typed: str) -> str:
    """The canonical code for what a person typed, or InvalidCode with the reason."""
    text = "".join(ch for ch in typed.upper() if ch not in " -–.\t")
    text = "".join(_READ_AS.get(ch, ch) for ch in text)
    if len(text) != DATA_LENGTH + 1:
        raise InvalidCode("length")
    if any(ch not in ALPHABET for ch in text):
        raise InvalidCode("characters")
    if _check_character(text[:-1]) != text[-1]:
        raise InvalidCode("typo")
    return text


def pseudonym(key: bytes, code: str) -> str:
    """The stored stand-in for a (normalised) code."""
    return hmac.new(key, b"participant-code\x00" + code.encode("ascii"), hashlib.sha256).hexdigest()
