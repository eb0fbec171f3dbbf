"""Reminder batches: who gets the next letter.

By default only those whose code has not completed (by the code's redemption state); withdrawn codes
are never reminded (a withdrawal is a refusal), nor returned letters (the address is wrong). With
`everyone`, every drawn person except returned letters gets the reminder, so that the mailing side
learns nothing about who answered (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from .. import audit
from . import mailing
from .dispositions import code_states
from .services import FieldworkError, get_draw

NOT_REMINDED = frozenset({"complete", "withdrawn", "undeliverable"})


@dataclass(frozen=True)
class ReminderBatch:
    draw_id: str
    everyone: bool
    entries: list[mailing.Entry]


def reminder_batch(db: Session, base: Path, draw_id: str, everyone: bool = False, actor: str = "cli") -> ReminderBatch:
    """The mailing entries to remind now; recorded in the audit log with its size only."""
    found = get_draw(db, draw_id)
    if found.mailing_deleted_at is not None:
        raise FieldworkError(f"the mailing file of draw {draw_id} was deleted (retention); no more letters")
    states = {state.member: state.disposition for state in code_states(db, found.questionnaire_id, draw_id)}
    skip = {"undeliverable"} if everyone else NOT_REMINDED
    chosen = [entry for entry in mailing.read(base, draw_id) if states.get(entry.member, "issued") not in skip]
    audit.record(
        db, "fieldwork.reminders", actor, f"draw={draw_id} everyone={'yes' if everyone else 'no'} letters={len(chosen)}"
    )
    db.commit()
    return ReminderBatch(draw_id, everyone, chosen)
