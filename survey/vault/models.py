"""Stored responses: sealed content plus the few plain columns needed to count and find them."""

from __future__ import annotations

import datetime

from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class SealedResponse(Base):
    __tablename__ = "sealed_response"
    # One response per participant code and wave; open-link responses have no pseudonym (NULLs
    # never collide).
    __table_args__ = (UniqueConstraint("questionnaire_id", "wave", "pseudonym"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64), index=True)
    questionnaire_version: Mapped[str] = mapped_column(String(16))
    wave: Mapped[str] = mapped_column(String(16))
    # The draft this response came from: unique, so a double submit stores one response.
    draft_id: Mapped[str] = mapped_column(String(32), unique=True)
    # Coarsened to the hour: exact times help re-identify people.
    submitted_hour: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
    # Which study key sealed it (rotation: older records need older private keys).
    key_id: Mapped[str] = mapped_column(String(16))
    # HMAC of the participant code; links waves, allows withdrawal. None for open-link answers.
    pseudonym: Mapped[str | None] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
