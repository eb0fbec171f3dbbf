"""Start and finish assisted interviews; the answers go through the same journey and vault."""

from __future__ import annotations

import hashlib
import hmac
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..fieldwork import review
from ..participants import services as participants
from ..questionnaires.model import Questionnaire
from ..respond import services as journey
from ..vault.keys import StudyPublicKey
from .models import Interview


def interviewer_pseudonym(key: bytes, user_id: int) -> str:
    """Stable per interviewer, meaningless without the pseudonym key; never a name or email."""
    return hmac.new(key, f"interviewer\x00{user_id}".encode(), hashlib.sha256).hexdigest()


def start(
    db: Session,
    user_id: int,
    questionnaire: Questionnaire,
    language: str,
    interviewer_language: str,
    pseudonym_key: bytes,
    code: str = "",
    device_class: str = "desktop",
) -> tuple[Interview, journey.DraftState]:
    """A new interview with its own draft (mode: assisted). Raises CodeRefused for a bad code."""
    pseudonym = None
    if questionnaire.access == "code" or code.strip():
        pseudonym = participants.redeem(db, questionnaire, code, pseudonym_key)
    state = journey.start(
        db,
        questionnaire,
        language,
        pseudonym=pseudonym,
        device_class=device_class,
        mode="assisted",
        interviewer=interviewer_pseudonym(pseudonym_key, user_id),
    )
    interview = Interview(
        id=uuid.uuid4().hex,
        interviewer_id=user_id,
        questionnaire_id=questionnaire.id,
        language=language,
        interviewer_language=interviewer_language,
        started_hour=utcnow().replace(minute=0, second=0, microsecond=0),
        status="open",
    )
    db.add(interview)
    db.commit()
    return interview, state


def submit(db: Session, interview: Interview, state: journey.DraftState, key: StudyPublicKey) -> str:
    response_id = journey.submit(db, state, key)
    if interview.status != "submitted":
        interview.status = "submitted"
        review.note_submitted(db, interview.id, response_id)  # waits for a researcher's review
        db.commit()
    return response_id


def mine(db: Session, user_id: int) -> list[Interview]:
    return list(
        db.scalars(
            select(Interview)
            .where(Interview.interviewer_id == user_id)
            .order_by(Interview.started_hour.desc(), Interview.id)
        )
    )
