"""Sealed offline records arriving from an interviewer's device: checked, stored once each.

The device makes each record's id (a UUID) before sealing; the id is also the `response` in the
record's HPKE `info`, so the record opens only as the response stored under that id. Uploading the
same record again stores nothing new: a flaky connection may resend a whole batch safely. The server
cannot read a record (it has no private key); it checks the layout, the key id and the paradata.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..fieldwork import review
from ..interview.models import Interview
from ..questionnaires.model import Questionnaire
from ..respond.models import Paradata
from ..vault.keys import CLASSIC, HYBRID, StudyPublicKey
from ..vault.models import SealedResponse
from ..vault.responses import key_id_of_record

MODE = "assisted offline"
FILE_FORMAT = "wetterau-survey-outbox"  # an outbox saved as a file on the device (app.js)
DEVICE_CLASSES = ("mobile", "tablet", "desktop")
MAX_RECORDS = 50  # per upload; a device sends its outbox in batches
MAX_RECORD_BYTES = 64 * 1024  # sealed; a long interview is a few kilobytes
# The encapsulated key and the AES-GCM tag: a shorter record cannot be a sealed one.
_OVERHEAD = {HYBRID: 2 + 8 + 1120 + 16, CLASSIC: 2 + 8 + 32 + 16}
EXAMPLE_TIME = "2026-12-07T10:15:00Z"
NOT_SEALED = lazy_gettext("not a sealed record (truncated or unknown format)")


class UploadRefused(ValueError):
    """A whole upload that cannot be read; `pointer` is the JSON pointer of the problem. Messages
    are translated when shown (`str()`): the staff upload page shows them in the page's language."""

    def __init__(self, pointer: str, message: Any) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer = pointer
        self.message = message


class RecordRefused(ValueError):
    """One record that cannot be stored; the others of the upload are unaffected."""

    def __init__(self, pointer: str, message: Any) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


@dataclass(frozen=True)
class OfflineRecord:
    """One checked record of an upload, ready to store."""

    id: str
    questionnaire: Questionnaire
    version: str
    sealed: bytes
    key_id: str
    languages: tuple[str, ...]
    device_class: str
    started: datetime.datetime
    ended: datetime.datetime


@dataclass
class SyncResult:
    """What became of each record: stored now, stored before (a resend), or refused with a reason."""

    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    # {"id", "pointer", "error"}; the error is translated when it is turned into text.
    refused: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        refused = [{name: str(value) for name, value in problem.items()} for problem in self.refused]
        return {"stored": self.stored, "already": self.already, "refused": refused}


def _hour(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _text(item: Mapping[str, Any], name: str, pointer: str, limit: int) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise RecordRefused(f"{pointer}/{name}", lazy_gettext("needs a text of 1 to %(limit)d characters", limit=limit))
    return value


def _moment(item: Mapping[str, Any], name: str, pointer: str) -> datetime.datetime:
    value = item.get(name)
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordRefused(
            f"{pointer}/{name}", lazy_gettext("needs a date and time like %(example)s", example=EXAMPLE_TIME)
        ) from None
    if not isinstance(value, str) or moment.tzinfo is None:
        raise RecordRefused(
            f"{pointer}/{name}",
            lazy_gettext("needs a date and time with its time zone, like %(example)s", example=EXAMPLE_TIME),
        )
    return moment.astimezone(datetime.UTC)


def record_id(value: Any, pointer: str) -> str:
    """The stored id of a client-made UUID (32 hex digits)."""
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        raise RecordRefused(f"{pointer}/id", lazy_gettext("needs the record's UUID, made on the device")) from None


def read_record(
    item: Any,
    pointer: str,
    questionnaires: Mapping[str, Questionnaire],
    key: StudyPublicKey,
    now: datetime.datetime,
) -> OfflineRecord:
    """Check one record of an upload; raises RecordRefused naming the JSON pointer."""
    if not isinstance(item, dict):
        raise RecordRefused(pointer, lazy_gettext("needs an object"))
    rid = record_id(item.get("id"), pointer)
    questionnaire = questionnaires.get(str(item.get("questionnaire")))
    if questionnaire is None:
        raise RecordRefused(f"{pointer}/questionnaire", lazy_gettext("no questionnaire with this id on this server"))
    version = _text(item, "version", pointer, 16)
    encoded = item.get("sealed")
    try:
        sealed = base64.b64decode(str(encoded), validate=True) if isinstance(encoded, str) else b""
    except binascii.Error:
        sealed = b""
    if not sealed:
        raise RecordRefused(f"{pointer}/sealed", lazy_gettext("needs the sealed record in base64"))
    if len(sealed) > MAX_RECORD_BYTES:
        raise RecordRefused(f"{pointer}/sealed", lazy_gettext("longer than %(limit)d bytes", limit=MAX_RECORD_BYTES))
    key_id = key_id_of_record(sealed)
    if key_id is None:
        raise RecordRefused(f"{pointer}/sealed", NOT_SEALED)
    if key_id != key.key_id:
        raise RecordRefused(
            f"{pointer}/sealed",
            lazy_gettext(
                "sealed with key %(found)s, not with the study key %(study)s: keep the record and ask the study team",
                found=key_id,
                study=key.key_id,
            ),
        )
    if len(sealed) < _OVERHEAD[key.suite] + 2:
        raise RecordRefused(f"{pointer}/sealed", NOT_SEALED)
    languages = item.get("languages")
    if (
        not isinstance(languages, list)
        or not languages
        or any(lang not in questionnaire.language_tags for lang in languages)
    ):
        raise RecordRefused(
            f"{pointer}/languages", lazy_gettext("needs the languages used, each one of the questionnaire's")
        )
    device = item.get("device_class")
    if device not in DEVICE_CLASSES:
        raise RecordRefused(
            f"{pointer}/device_class", lazy_gettext("needs one of %(choices)s", choices=", ".join(DEVICE_CLASSES))
        )
    started, ended = _moment(item, "started", pointer), _moment(item, "ended", pointer)
    if ended < started:
        raise RecordRefused(f"{pointer}/ended", lazy_gettext("is before the start"))
    if ended > now + datetime.timedelta(days=1):
        raise RecordRefused(f"{pointer}/ended", lazy_gettext("is in the future: check the device's clock"))
    return OfflineRecord(rid, questionnaire, version, sealed, key_id, tuple(languages), str(device), started, ended)


def read_upload(body: Any) -> Sequence[Any]:
    """The list of records of an upload; raises UploadRefused."""
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise UploadRefused("", 'needs an object with a list of records: {"records": [...]}')
    records = body["records"]
    if len(records) > MAX_RECORDS:
        raise UploadRefused("/records", f"at most {MAX_RECORDS} records per upload")
    return records


def _draft_id(rid: str) -> str:
    # Responses name the draft they came from (unique); an offline record had none on the server.
    return hashlib.sha256(b"offline-record\x00" + rid.encode()).hexdigest()[:32]


def _stored_before(db: Session, record: OfflineRecord) -> bool:
    """True when this very record is stored; RecordRefused when another one holds its id."""
    existing = db.get(SealedResponse, record.id)
    if existing is None:
        return False
    if existing.content != record.sealed or existing.questionnaire_id != record.questionnaire.id:
        raise RecordRefused("", lazy_gettext("another record is stored under this id"))
    return True


def store(db: Session, record: OfflineRecord, interviewer: str, user_id: int | None = None) -> bool:
    """Store one record with its paradata; False when it was stored before (a resend). With the
    interviewer's account (`user_id`), the interview also joins their list on /interview/ and the
    researchers' review queue, as an online assisted interview does."""
    if _stored_before(db, record):
        return False
    ended_hour = _hour(record.ended)
    db.add(
        SealedResponse(
            id=record.id,
            questionnaire_id=record.questionnaire.id,
            questionnaire_version=record.version,
            wave=record.questionnaire.wave,
            draft_id=_draft_id(record.id),
            submitted_hour=ended_hour,
            key_id=record.key_id,
            pseudonym=None,
            content=record.sealed,
        )
    )
    db.flush()
    db.add(
        Paradata(
            response_id=record.id,
            mode=MODE,
            languages=",".join(record.languages)[:128],
            device_class=record.device_class,
            started_hour=_hour(record.started),
            ended_hour=ended_hour,
            duration_minutes=max(0, round((record.ended - record.started).total_seconds() / 60)),
            interviewer=interviewer,
        )
    )
    if user_id is not None:
        db.add(
            Interview(
                id=record.id,
                interviewer_id=user_id,
                questionnaire_id=record.questionnaire.id,
                language=record.languages[0],  # the device lists the respondent's first
                interviewer_language=record.languages[-1],
                started_hour=_hour(record.started),
                status="submitted",
            )
        )
        db.flush()
        review.note_submitted(db, record.id, record.id)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        # The same record arrived twice at once (two tabs, a retry): one insert won.
        if _stored_before(db, record):
            return False
        raise
    return True


def read_outbox_file(document: Any) -> Sequence[Any]:
    """The records of an outbox file saved on a device; raises UploadRefused naming the JSON pointer."""
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise UploadRefused(
            "/format",
            lazy_gettext('needs "%(format)s": not an outbox saved by the offline interview page', format=FILE_FORMAT),
        )
    if document.get("version") != 1:
        raise UploadRefused(
            "/version", lazy_gettext("needs version 1 (a newer device saved it: update the platform first)")
        )
    records = document.get("records")
    if not isinstance(records, list):
        raise UploadRefused("/records", lazy_gettext("needs a list of records"))
    return records


def store_all(
    db: Session,
    records: Sequence[Any],
    questionnaires: Mapping[str, Questionnaire],
    key: StudyPublicKey,
    interviewer: str,
    now: datetime.datetime,
    user_id: int | None = None,
) -> SyncResult:
    """Store every acceptable record once; each refusal names the record's JSON pointer."""
    result = SyncResult()
    for index, item in enumerate(records):
        pointer = f"/records/{index}"
        given = item.get("id") if isinstance(item, dict) else None
        try:
            record = read_record(item, pointer, questionnaires, key, now)
            (result.stored if store(db, record, interviewer, user_id) else result.already).append(record.id)
        except RecordRefused as refused:
            result.refused.append(
                {"id": str(given)[:64], "pointer": refused.pointer or f"{pointer}/id", "error": refused.message}
            )
    return result


def synchronise(
    db: Session,
    body: Any,
    questionnaires: Mapping[str, Questionnaire],
    key: StudyPublicKey,
    interviewer: str,
    now: datetime.datetime,
    user_id: int | None = None,
) -> SyncResult:
    """Store every acceptable record of an upload once; raises UploadRefused for an unreadable upload."""
    return store_all(db, read_upload(body), questionnaires, key, interviewer, now, user_id)
