"""Drafts: a questionnaire in progress. Content is sealed by the vault; these columns hold none."""

from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class Draft(Base):
    __tablename__ = "draft"

    # A one-way function of the secret in the respondent's cookie (see vault.drafts.draft_id).
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime(), index=True)
    # Answers and completed pages, sealed under the browser's key.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # Set once submitted; later submits of the same draft find it and store nothing.
    response_id: Mapped[str | None] = mapped_column(String(32), unique=True)


class Paradata(Base):
    """How a response came about, kept apart from the answers and coarsened: these are
    quasi-identifiers (exact times and devices help re-identify people)."""

    __tablename__ = "paradata"

    response_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("sealed_response.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(16))  # "self" or "assisted"
    languages: Mapped[str] = mapped_column(String(128))  # languages used, in order, comma-separated
    device_class: Mapped[str] = mapped_column(String(16))  # "mobile", "tablet", "desktop"
    started_hour: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
    ended_hour: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # Keyed pseudonym of the interviewer (assisted mode), for interviewer-effect analysis; exports
    # replace it by a per-export code. Never a name or an email.
    interviewer: Mapped[str | None] = mapped_column(String(64))
