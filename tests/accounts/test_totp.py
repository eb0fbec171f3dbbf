"""TOTP codes: the RFC 6238 test vectors, the ±1 step window, no replay, the otpauth URI."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from survey.accounts import totp

# RFC 6238, Appendix B: the seeds are ASCII digits repeated to the digest's key length.
SEEDS = {
    hashlib.sha1: b"12345678901234567890",
    hashlib.sha256: b"12345678901234567890123456789012",
    hashlib.sha512: b"1234567890123456789012345678901234567890123456789012345678901234",
}
VECTORS = [
    (59, {hashlib.sha1: "94287082", hashlib.sha256: "46119246", hashlib.sha512: "90693936"}),
    (1111111109, {hashlib.sha1: "07081804", hashlib.sha256: "68084774", hashlib.sha512: "25091201"}),
    (1111111111, {hashlib.sha1: "14050471", hashlib.sha256: "67062674", hashlib.sha512: "99943326"}),
    (1234567890, {hashlib.sha1: "89005924", hashlib.sha256: "91819424", hashlib.sha512: "93441116"}),
    (2000000000, {hashlib.sha1: "69279037", hashlib.sha256: "90698825", hashlib.sha512: "38618901"}),
    (20000000000, {hashlib.sha1: "65353130", hashlib.sha256: "77737706", hashlib.sha512: "47863826"}),
]


def b32(seed: bytes) -> str:
    return base64.b32encode(seed).decode().rstrip("=")


@pytest.mark.parametrize(("at", "expected"), VECTORS)
def test_codes_match_the_rfc_6238_test_vectors(at, expected):
    for digest, code in expected.items():
        assert totp.code_at(b32(SEEDS[digest]), at, digits=8, digest=digest) == code


def test_six_digit_codes_are_the_last_six_of_the_rfc_values():
    secret = b32(SEEDS[hashlib.sha1])
    assert totp.code_at(secret, 59) == "287082"
    assert totp.code_at(secret, 1111111109) == "081804"  # leading zero kept


def test_a_code_is_accepted_one_step_early_or_late_but_not_two():
    secret = totp.new_secret()
    now = 1_700_000_000.0
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        assert totp.matching_step(secret, totp.code_at(secret, now + 30 * offset), at=now) == step + offset
    for offset in (-2, 2):
        code = totp.code_at(secret, now + 30 * offset)
        if code not in {totp.code_at(secret, now + 30 * near) for near in (-1, 0, 1)}:
            assert totp.matching_step(secret, code, at=now) is None


def test_a_used_code_is_not_accepted_again():
    secret = totp.new_secret()
    now = 1_700_000_000.0
    code = totp.code_at(secret, now)
    used = totp.matching_step(secret, code, at=now)
    assert used is not None
    assert totp.matching_step(secret, code, at=now, after_step=used) is None
    assert totp.matching_step(secret, totp.code_at(secret, now + 30), at=now, after_step=used) == used + 1


def test_typed_codes_may_have_spaces_but_nothing_else():
    secret = b32(SEEDS[hashlib.sha1])
    assert totp.matching_step(secret, "287 082", at=59) is not None
    for typed in ("28708", "2870822", "28708a", "", "２８７０８２"):
        assert totp.matching_step(secret, typed, at=59) is None


def test_new_secrets_are_random_160_bit_base32():
    made = {totp.new_secret() for _ in range(200)}
    assert len(made) == 200
    secret = made.pop()
    assert len(totp.secret_bytes(secret)) == 20
    assert totp.secret_bytes(totp.grouped(secret).lower()) == totp.secret_bytes(secret)


def test_provisioning_uri_names_issuer_account_and_parameters():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "ana@example.org", "Wetterau survey")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert parts.path == "/Wetterau%20survey:ana@example.org"
    query = parse_qs(parts.query)
    assert query == {
        "secret": ["JBSWY3DPEHPK3PXP"],
        "issuer": ["Wetterau survey"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }
