"""Fieldwork periods: when a questionnaire's wave is open to respondents."""

from __future__ import annotations

import datetime

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class Fieldwork(Base):
    __tablename__ = "fieldwork"
    __table_args__ = (UniqueConstraint("questionnaire_id", "wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    wave: Mapped[str] = mapped_column(String(16))
    opens_on: Mapped[datetime.date | None] = mapped_column(Date)
    closes_on: Mapped[datetime.date | None] = mapped_column(Date)  # last day answers are taken
