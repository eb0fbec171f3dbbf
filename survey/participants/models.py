"""Issued codes, stored only as keyed pseudonyms."""

from __future__ import annotations

import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class IssuedCode(Base):
    __tablename__ = "issued_code"
    __table_args__ = (UniqueConstraint("questionnaire_id", "pseudonym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256(pseudonym key, code); the code itself is never stored.
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    batch: Mapped[str] = mapped_column(String(32))
    wave: Mapped[str] = mapped_column(String(16))  # the wave the letter was sent for
    issued_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
