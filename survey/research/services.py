"""Counts that never single anyone out, fieldwork dates, and the audit log."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import AuditEvent, record
from ..participants.models import IssuedCode
from ..respond.models import Paradata
from ..vault.models import SealedResponse
from .models import Fieldwork

SMALL = 5  # counts below this are shown as "<5"


def shown(count: int) -> str:
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


@dataclass(frozen=True)
class Counts:
    total: int
    by_wave: dict[str, str]
    by_language: dict[str, str]
    by_mode: dict[str, str]


def counts(db: Session, questionnaire_id: str) -> Counts:
    rows = db.execute(
        select(SealedResponse.wave, Paradata.languages, Paradata.mode)
        .join(Paradata, Paradata.response_id == SealedResponse.id, isouter=True)
        .where(SealedResponse.questionnaire_id == questionnaire_id)
    ).all()
    waves = Counter(row[0] for row in rows)
    languages = Counter((row[1] or "").split(",")[0] or "?" for row in rows)
    modes = Counter(row[2] or "?" for row in rows)
    return Counts(
        total=len(rows),
        by_wave={key: shown(value) for key, value in sorted(waves.items())},
        by_language={key: shown(value) for key, value in sorted(languages.items())},
        by_mode={key: shown(value) for key, value in sorted(modes.items())},
    )


def fieldwork(db: Session, questionnaire_id: str, wave: str) -> Fieldwork | None:
    return db.scalar(select(Fieldwork).where(Fieldwork.questionnaire_id == questionnaire_id, Fieldwork.wave == wave))


def is_open(db: Session, questionnaire_id: str, wave: str, today: datetime.date | None = None) -> bool:
    """Open unless fieldwork dates say otherwise (no dates: always open)."""
    period = fieldwork(db, questionnaire_id, wave)
    today = today or datetime.date.today()
    if period is None:
        return True
    if period.opens_on and today < period.opens_on:
        return False
    return not (period.closes_on and today > period.closes_on)


def set_fieldwork(
    db: Session,
    questionnaire_id: str,
    wave: str,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    actor: str,
) -> Fieldwork:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValueError("closes before it opens")
    period = fieldwork(db, questionnaire_id, wave) or Fieldwork(questionnaire_id=questionnaire_id, wave=wave)
    period.opens_on, period.closes_on = opens_on, closes_on
    db.add(period)
    record(
        db,
        "fieldwork.changed",
        actor,
        f"questionnaire={questionnaire_id} wave={wave} opens={opens_on or '-'} closes={closes_on or '-'}",
    )
    db.commit()
    return period


@dataclass(frozen=True)
class Batch:
    batch: str
    wave: str
    count: int
    issued: datetime.datetime


def batches(db: Session, questionnaire_id: str) -> list[Batch]:
    rows = db.execute(
        select(IssuedCode.batch, IssuedCode.wave, func.count(), func.min(IssuedCode.issued_at))
        .where(IssuedCode.questionnaire_id == questionnaire_id)
        .group_by(IssuedCode.batch, IssuedCode.wave)
        .order_by(func.min(IssuedCode.issued_at).desc())
    ).all()
    return [Batch(*row) for row in rows]


def audit_log(db: Session, limit: int = 200) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
