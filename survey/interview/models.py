"""Interviews an interviewer started: status only, never answer content."""

from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class Interview(Base):
    __tablename__ = "interview"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))  # the respondent's
    interviewer_language: Mapped[str] = mapped_column(String(16))
    started_hour: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
    # "open" until submitted; the response id links nothing but the status.
    status: Mapped[str] = mapped_column(String(16), default="open")
