"""Draft rows read and written with plain statements. Every respondent request reads its draft and most
posts write it; the ORM's identity map and unit of work would cost more than the statements themselves.
The table is still the one `models.Draft` maps (and migrations create)."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from functools import cache
from typing import cast

from sqlalchemy import Table, Update, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from .models import Draft

_TABLE = cast(Table, Draft.__table__)
_BY_ID = select(*_TABLE.c).where(_TABLE.c.id == bindparam("draft_id"))


@dataclass
class DraftRow:
    """The columns of one draft (see `models.Draft`); changes are written by `store`."""

    id: str
    questionnaire_id: str
    questionnaire_version: str
    language: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    content: bytes
    response_id: str | None = None


def load(db: Session, draft_id: str) -> DraftRow | None:
    # On the session's connection (its transaction), past the ORM's execution layer.
    row = db.connection().execute(_BY_ID, {"draft_id": draft_id}).one_or_none()
    return None if row is None else DraftRow(**row._mapping)


def add(db: Session, draft: DraftRow) -> None:
    db.connection().execute(insert(_TABLE).values(dataclasses.asdict(draft)))


def store(db: Session, draft: DraftRow, *columns: str) -> None:
    """Write these columns of the draft (the caller commits)."""
    db.connection().execute(
        _update(columns), {"draft_id": draft.id, **{f"new_{name}": getattr(draft, name) for name in columns}}
    )


@cache
def _update(columns: tuple[str, ...]) -> Update:
    # Built once per set of columns: building a statement costs as much as running it.
    return (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("draft_id"))
        .values({name: bindparam(f"new_{name}") for name in columns})
    )


def remove(db: Session, draft_id: str) -> None:
    db.connection().execute(delete(_TABLE).where(_TABLE.c.id == draft_id))
