"""The mailing file: who gets which letter, encrypted at rest, never in the survey database.

A draw writes one file, `<draw>.mailing`, beside its own key, `<draw>.key`, in the fieldwork folder
(FIELDWORK_DIR, default instance/fieldwork/, mode 0700). The file is AES-256-GCM over the JSON list of
entries (member id, register record id, code, language, stratum, address), with the draw id and format
as associated data, so a file renamed to another draw does not open. Each draw has its own random 32-byte key: the
retention command deletes the file and its key, and a copy of the file left in a backup cannot be read
once the key is gone (the backup of instance/ must not keep keys beyond the retention period either).

The mailing office reads it only through this platform's commands on the server (`fieldwork letters`,
`fieldwork reminders`, and `fieldwork export-addresses` for a print shop's own address list).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_FORMAT = b"WM1\x00"
KEY_BYTES = 32


class MailingError(Exception):
    """A mailing file that is missing, deleted by retention, or does not open with its key."""


@dataclass(frozen=True)
class Entry:
    member: int  # SampleMember.id
    record: str  # the register's record id, to trace a returned letter
    code: str  # the participant code, normalised
    language: str
    stratum: str
    address: dict[str, str]


def folder(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    return base


def paths(base: Path, draw_id: str) -> tuple[Path, Path]:
    return base / f"{draw_id}.mailing", base / f"{draw_id}.key"


def _associated(draw_id: str) -> bytes:
    return _FORMAT + draw_id.encode("ascii")


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write(base: Path, draw_id: str, entries: list[Entry]) -> tuple[Path, Path]:
    """Write the file under a temporary name with a new key; `publish` makes it final."""
    folder(base)
    mailing, key_path = paths(base, draw_id)
    if mailing.exists() or key_path.exists():
        raise MailingError(f"{mailing} already exists")
    key = AESGCM.generate_key(bit_length=8 * KEY_BYTES)
    body = json.dumps([entry.__dict__ for entry in entries], ensure_ascii=False, separators=(",", ":")).encode()
    nonce = os.urandom(12)
    pending_key, pending = key_path.with_suffix(".key.part"), mailing.with_suffix(".mailing.part")
    for stale in (pending_key, pending):
        stale.unlink(missing_ok=True)
    _write_private(pending_key, key)
    _write_private(pending, _FORMAT + nonce + AESGCM(key).encrypt(nonce, body, _associated(draw_id)))
    return pending, pending_key


def publish(pending: tuple[Path, Path]) -> None:
    """Give the written file and key their final names (after the database commit)."""
    for path in pending:
        path.rename(path.with_suffix(""))


def discard(pending: tuple[Path, Path]) -> None:
    for path in pending:
        path.unlink(missing_ok=True)


def read(base: Path, draw_id: str) -> list[Entry]:
    mailing, key_path = paths(base, draw_id)
    if not mailing.exists() or not key_path.exists():
        raise MailingError(f"no mailing file for draw {draw_id} in {base} (deleted by retention, or another folder)")
    key, blob = key_path.read_bytes(), mailing.read_bytes()
    if len(key) != KEY_BYTES or not blob.startswith(_FORMAT) or len(blob) < len(_FORMAT) + 12 + 16:
        raise MailingError(f"{mailing}: not a mailing file, or its key file is damaged")
    nonce = blob[len(_FORMAT) : len(_FORMAT) + 12]
    try:
        plain = AESGCM(key).decrypt(nonce, blob[len(_FORMAT) + 12 :], _associated(draw_id))
    except InvalidTag:
        raise MailingError(f"{mailing}: does not open with {key_path.name} (altered, or another draw's file)") from None
    rows: list[dict[str, Any]] = json.loads(plain)
    return [Entry(**row) for row in rows]


def shred(base: Path, draw_id: str) -> list[Path]:
    """Delete the draw's mailing file, key and letters; returns what was deleted. The key is overwritten
    first: without it, any copy of the file left elsewhere stays unreadable."""
    mailing, key_path = paths(base, draw_id)
    deleted = []
    if key_path.exists():
        with key_path.open("r+b") as handle:
            handle.write(os.urandom(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
    letters = sorted((base / "letters").glob(f"{draw_id}-*.pdf")) if (base / "letters").exists() else []
    for path in [key_path, mailing, *letters]:
        if path.exists():
            path.unlink()
            deleted.append(path)
    return deleted
