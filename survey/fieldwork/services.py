"""Draw a sample: codes, design weights and the audit record in the database, addresses in the
encrypted mailing file; and the retention that deletes the mailing file."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from ..participants.models import IssuedCode
from ..questionnaires.model import Questionnaire
from ..vault import codes
from . import mailing
from .languages import letter_language
from .models import SampleDraw, SampleMember
from .register import Register
from .sampling import Design, draw


class FieldworkError(Exception):
    """A fieldwork step that cannot run as asked; the message says why."""


@dataclass(frozen=True)
class DrawResult:
    draw: SampleDraw
    members: int
    mailing: Path


def draw_sample(
    db: Session,
    questionnaire: Questionnaire,
    wave: str,
    register: Register,
    design: Design,
    seed: int,
    base: Path,
    languages: dict[str, str],
    pseudonym_key: bytes,
    actor: str = "cli",
) -> DrawResult:
    """Draw, issue one code per drawn person, store members and weights, write the mailing file.

    The mailing file gets its final name only after the database commit: an interrupted draw leaves
    neither codes without addresses nor addresses without codes (a `.part` file is overwritten next time)."""
    if questionnaire.access != "code":
        raise FieldworkError(f"'{questionnaire.id}' is an open-link questionnaire; a sample needs codes")
    sample = draw(register.people, design, seed)
    draw_id = uuid.uuid4().hex[:16]
    batch = uuid.uuid4().hex[:12]
    now = utcnow()
    strata = {name: {"population": c.population, "sample": c.sample} for name, c in sample.counts.items()}
    record = SampleDraw(
        id=draw_id,
        questionnaire_id=questionnaire.id,
        wave=wave,
        seed=seed,
        register_sha256=register.sha256,
        batch=batch,
        strata=json.dumps(strata, sort_keys=True),
        drawn_at=now,
    )
    db.add(record)
    offered = questionnaire.language_tags
    made: set[str] = set()
    issued: list[tuple[str, IssuedCode]] = []
    for _drawn in sample.members:
        code = codes.new_code()
        while code in made:
            code = codes.new_code()
        made.add(code)
        stand_in = codes.pseudonym(pseudonym_key, code)
        row = IssuedCode(questionnaire_id=questionnaire.id, pseudonym=stand_in, batch=batch, wave=wave, issued_at=now)
        issued.append((code, row))
    db.add_all(row for _code, row in issued)
    db.flush()
    members = []
    for drawn, (_code, row) in zip(sample.members, issued, strict=True):
        language = letter_language(drawn.person.nationality, languages, offered)
        members.append(
            SampleMember(
                draw_id=draw_id, issued_code_id=row.id, stratum=drawn.stratum, weight=drawn.weight, language=language
            )
        )
    db.add_all(members)
    db.flush()
    entries = [
        mailing.Entry(member.id, drawn.person.record_id, code, member.language, member.stratum, drawn.person.address)
        for drawn, (code, _row), member in zip(sample.members, issued, members, strict=True)
    ]
    audit.record(
        db,
        "fieldwork.drawn",
        actor,
        (
            f"questionnaire={questionnaire.id} wave={wave} draw={draw_id} batch={batch} seed={seed} "
            f"register={register.source} sha256={register.sha256} people={len(register.people)} "
            f"outside_strata={sample.outside} drawn={len(entries)} strata={json.dumps(strata, sort_keys=True)}"
        )[:1024],
    )
    pending = mailing.write(base, draw_id, entries)
    try:
        db.commit()
    except BaseException:
        db.rollback()
        mailing.discard(pending)
        raise
    mailing.publish(pending)
    return DrawResult(record, len(entries), mailing.paths(base, draw_id)[0])


def get_draw(db: Session, draw_id: str) -> SampleDraw:
    found = db.get(SampleDraw, draw_id)
    if found is None:
        raise FieldworkError(f"no draw '{draw_id}'")
    return found


def draws(db: Session, questionnaire_id: str | None = None) -> list[SampleDraw]:
    query = select(SampleDraw).order_by(SampleDraw.drawn_at, SampleDraw.id)
    if questionnaire_id:
        query = query.where(SampleDraw.questionnaire_id == questionnaire_id)
    return list(db.scalars(query))


def retention(
    db: Session, base: Path, draw_id: str | None, older_than: datetime.timedelta | None, actor: str = "cli"
) -> list[str]:
    """Delete the mailing files (and keys and letters) of one draw, or of every draw older than
    `older_than`; returns the draw ids whose files were deleted."""
    if draw_id is None and older_than is None:
        raise FieldworkError("name a draw, or an age")
    chosen = [get_draw(db, draw_id)] if draw_id else draws(db)
    if older_than is not None:
        cutoff = utcnow() - older_than
        chosen = [found for found in chosen if found.drawn_at <= cutoff]
    done = []
    for found in chosen:
        if found.mailing_deleted_at is not None:
            continue
        deleted = mailing.shred(base, found.id)
        found.mailing_deleted_at = utcnow()
        audit.record(db, "fieldwork.mailing_deleted", actor, f"draw={found.id} files={len(deleted)}")
        done.append(found.id)
    db.commit()
    return done
