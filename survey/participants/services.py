"""Issue, redeem and withdraw participant codes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from ..fieldwork import dispositions
from ..questionnaires.model import Questionnaire
from ..respond.models import Paradata
from ..vault import codes
from ..vault.models import SealedResponse
from .models import IssuedCode


class CodeRefused(Exception):
    """A code that cannot be used here; `reason` is what the respondent is told."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CodeBatch:
    batch: str
    codes: list[str]


def issue(db: Session, questionnaire: Questionnaire, wave: str, count: int, key: bytes) -> CodeBatch:
    """Make `count` new codes; only their pseudonyms are stored. The codes are returned once."""
    batch = uuid.uuid4().hex[:12]
    now = utcnow()
    made: list[str] = []
    seen: set[str] = set()
    while len(made) < count:
        code = codes.new_code()
        stand_in = codes.pseudonym(key, code)
        if stand_in in seen:
            continue
        seen.add(stand_in)
        made.append(code)
        db.add(IssuedCode(questionnaire_id=questionnaire.id, pseudonym=stand_in, batch=batch, wave=wave, issued_at=now))
    audit.record(db, "codes.issued", "cli", f"questionnaire={questionnaire.id} wave={wave} count={count} batch={batch}")
    db.commit()
    return CodeBatch(batch, made)


def redeem(db: Session, questionnaire: Questionnaire, typed: str, key: bytes) -> str:
    """The pseudonym for a typed code that may answer this questionnaire's current wave."""
    try:
        code = codes.normalise(typed)
    except codes.InvalidCode as error:
        raise CodeRefused(error.reason) from None
    stand_in = codes.pseudonym(key, code)
    issued = db.scalar(
        select(IssuedCode.id).where(IssuedCode.questionnaire_id == questionnaire.id, IssuedCode.pseudonym == stand_in)
    )
    if issued is None:
        raise CodeRefused("unknown")
    if answered(db, questionnaire, stand_in):
        raise CodeRefused("used")
    dispositions.note_started(db, questionnaire.id, stand_in)  # committed with the draft it starts
    return stand_in


def answered(db: Session, questionnaire: Questionnaire, stand_in: str) -> bool:
    found = db.scalar(
        select(SealedResponse.id).where(
            SealedResponse.questionnaire_id == questionnaire.id,
            SealedResponse.wave == questionnaire.wave,
            SealedResponse.pseudonym == stand_in,
        )
    )
    return found is not None


def withdraw(db: Session, typed: str, key: bytes) -> int:
    """Delete every response given with this code (GDPR Art. 17); returns how many."""
    try:
        code = codes.normalise(typed)
    except codes.InvalidCode as error:
        raise CodeRefused(error.reason) from None
    stand_in = codes.pseudonym(key, code)
    if db.scalar(select(IssuedCode.id).where(IssuedCode.pseudonym == stand_in)) is None:
        raise CodeRefused("unknown")
    ids = list(db.scalars(select(SealedResponse.id).where(SealedResponse.pseudonym == stand_in)))
    if ids:
        db.execute(delete(Paradata).where(Paradata.response_id.in_(ids)))
        db.execute(delete(SealedResponse).where(SealedResponse.id.in_(ids)))
    dispositions.note_withdrawn(db, stand_in)
    audit.record(db, "responses.withdrawn", "respondent")
    db.commit()
    return len(ids)
