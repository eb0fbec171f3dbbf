"""Completed responses: a canonical record, sealed for the study. (The encrypted-storage issue
replaces the placeholder envelope below with HPKE to the study's public key.)"""

from __future__ import annotations

import json
from typing import Any

from .drafts import canonical

_PLAIN = b"P0"


class ResponseUnreadable(Exception):
    """A stored response that cannot be opened; the message names the record."""


def seal_response(record: dict[str, Any]) -> bytes:
    return _PLAIN + canonical(record)


def unseal_response(response_id: str, blob: bytes) -> dict[str, Any]:
    if not blob.startswith(_PLAIN):
        raise ResponseUnreadable(f"response {response_id}: unknown record format")
    try:
        return json.loads(blob[len(_PLAIN) :])
    except ValueError:
        raise ResponseUnreadable(f"response {response_id}: record is damaged") from None
