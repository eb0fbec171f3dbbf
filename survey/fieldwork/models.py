"""Fieldwork records in the survey database: draws, drawn codes with their design weights, and each
code's disposition. Never a name, an address or a register record id: those stay in the encrypted
mailing file (see `mailing`)."""

from __future__ import annotations

import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class SampleDraw(Base):
    """One stratified draw from a register extract: enough to repeat it and to weight the answers."""

    __tablename__ = "sample_draw"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    wave: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int] = mapped_column(Integer)
    # SHA-256 of the register file as read: the same file and seed give the same sample.
    register_sha256: Mapped[str] = mapped_column(String(64))
    # The code batch (IssuedCode.batch) holding this draw's codes.
    batch: Mapped[str] = mapped_column(String(32))
    # JSON: per stratum the population size N_h and sample size n_h.
    strata: Mapped[str] = mapped_column(Text)
    drawn_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime())
    # Set by the retention command once the mailing file and its key are deleted.
    mailing_deleted_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime())


class SampleMember(Base):
    """A drawn person as the survey database knows them: a code, a stratum, a weight, a letter language."""

    __tablename__ = "sample_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("sample_draw.id", ondelete="CASCADE"), index=True)
    issued_code_id: Mapped[int] = mapped_column(ForeignKey("issued_code.id", ondelete="CASCADE"), unique=True)
    stratum: Mapped[str] = mapped_column(String(64))
    weight: Mapped[float] = mapped_column(Float)  # design weight N_h / n_h
    language: Mapped[str] = mapped_column(String(16))  # the letter's second language


class CodeDisposition(Base):
    """How far one issued code got, beyond what its sealed response (complete) already says."""

    __tablename__ = "code_disposition"

    issued_code_id: Mapped[int] = mapped_column(ForeignKey("issued_code.id", ondelete="CASCADE"), primary_key=True)
    # "started" once redeemed; "partial" once the partial threshold of pages is completed.
    progress: Mapped[str | None] = mapped_column(String(8))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    undeliverable: Mapped[bool] = mapped_column(Boolean, default=False)  # the letter came back


class InterviewReview(Base):
    """A researcher's review of one submitted assisted interview; exported with its response."""

    __tablename__ = "interview_review"

    interview_id: Mapped[str] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"), primary_key=True)
    # Deleting the response (withdrawal) deletes its review.
    response_id: Mapped[str] = mapped_column(ForeignKey("sealed_response.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, approved, on_hold, rejected
    comment: Mapped[str] = mapped_column(String(1000), default="")  # for researchers; interviewers see the status
    reviewed_by: Mapped[str] = mapped_column(String(128), default="")
    reviewed_hour: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime())
