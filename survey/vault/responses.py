"""Completed responses, sealed with HPKE to the study's public key.

Layout of a sealed record: b"R1", the 8-byte key id, then the HPKE ciphertext (encapsulated key and
AES-256-GCM ciphertext). The HPKE `info` binds the questionnaire id and version, the response id and
the key id, so a record copied onto another row, or into another study, does not open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag

from .drafts import canonical
from .keys import SUITES, StudyPrivateKey, StudyPublicKey

_FORMAT = b"R1"
_KEY_ID_BYTES = 8


class ResponseUnreadable(Exception):
    """A stored response that cannot be opened; the message names the record and the reason."""


def info(questionnaire_id: str, version: str, response_id: str, key_id: str) -> bytes:
    binding = {"key": key_id, "questionnaire": questionnaire_id, "response": response_id, "version": version}
    return b"wetterau-survey response v1\x00" + canonical(binding)


def seal_response(record: Mapping[str, Any], key: StudyPublicKey) -> bytes:
    """Seal a record holding at least questionnaire, version and response ids."""
    binding = info(record["questionnaire"], record["version"], record["response"], key.key_id)
    sealed = SUITES[key.suite].encrypt(canonical(dict(record)), key.hpke_key(), info=binding)
    return _FORMAT + bytes.fromhex(key.key_id) + sealed


def key_id_of_record(blob: bytes) -> str | None:
    if len(blob) < len(_FORMAT) + _KEY_ID_BYTES or not blob.startswith(_FORMAT):
        return None
    return blob[len(_FORMAT) : len(_FORMAT) + _KEY_ID_BYTES].hex()


def unseal_response(
    response_id: str,
    questionnaire_id: str,
    version: str,
    blob: bytes,
    keys: Mapping[str, StudyPrivateKey],
) -> dict[str, Any]:
    """Open one stored response; every failure names the record and never yields partial data."""
    key_id = key_id_of_record(blob)
    if key_id is None:
        raise ResponseUnreadable(f"response {response_id}: not a sealed record (truncated or unknown format)")
    key = keys.get(key_id)
    if key is None:
        raise ResponseUnreadable(f"response {response_id}: sealed with key {key_id}, which is not among the keys given")
    binding = info(questionnaire_id, version, response_id, key_id)
    body = blob[len(_FORMAT) + _KEY_ID_BYTES :]
    try:
        plain = SUITES[key.suite].decrypt(body, key.hpke_key(), info=binding)
    except (InvalidTag, ValueError):
        raise ResponseUnreadable(
            f"response {response_id}: does not open: the record was altered, truncated or swapped with another record"
        ) from None
    record = json.loads(plain)
    if record.get("response") != response_id or record.get("questionnaire") != questionnaire_id:
        raise ResponseUnreadable(f"response {response_id}: record belongs to another response")
    return record
