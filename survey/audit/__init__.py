"""An append-only log of what happened (exports, withdrawals, code batches), never of content."""

from __future__ import annotations

import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(UTCDateTime(), index=True)
    event: Mapped[str] = mapped_column(String(64))
    # Who did it (an account, "cli" or "respondent") and what, without answers or codes.
    actor: Mapped[str] = mapped_column(String(128), default="")
    detail: Mapped[str] = mapped_column(String(1024), default="")


def record(db: Session, event: str, actor: str = "", detail: str = "") -> None:
    """Add an event to the session; the caller's commit makes it durable with its change."""
    db.add(AuditEvent(at=utcnow(), event=event, actor=actor, detail=detail))
