"""Review of assisted interviews: a researcher approves, holds or rejects a submitted interview with a
comment; the status goes into the export; an interviewer sees the status of their own interviews only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..accounts.models import User
from ..db import utcnow
from ..interview.models import Interview
from .models import InterviewReview

STATUSES = ("pending", "approved", "on_hold", "rejected")
DECISIONS = ("approved", "on_hold", "rejected")
COMMENT_LIMIT = 1000


class ReviewRefused(ValueError):
    """A review that cannot be stored; `reason` is "status", "comment", "long" or "unknown"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def note_submitted(db: Session, interview_id: str, response_id: str) -> None:
    """A submitted assisted interview waits for review (the caller commits)."""
    if db.get(InterviewReview, interview_id) is None:
        db.add(InterviewReview(interview_id=interview_id, response_id=response_id, status="pending", comment=""))


def decide(db: Session, interview_id: str, status: str, comment: str, actor: str) -> InterviewReview:
    """Set the review; on hold and rejected need a comment saying why."""
    comment = comment.strip()
    if status not in DECISIONS:
        raise ReviewRefused("status")
    if status != "approved" and not comment:
        raise ReviewRefused("comment")
    if len(comment) > COMMENT_LIMIT:
        raise ReviewRefused("long")
    found = db.get(InterviewReview, interview_id)
    if found is None:
        raise ReviewRefused("unknown")
    found.status, found.comment, found.reviewed_by = status, comment, actor
    found.reviewed_hour = utcnow().replace(minute=0, second=0, microsecond=0)
    audit.record(db, "interview.reviewed", actor, f"interview={interview_id} status={status}")
    db.commit()
    return found


@dataclass(frozen=True)
class ReviewRow:
    interview: Interview
    review: InterviewReview
    interviewer: str  # the account's email, for researchers only


def submitted(db: Session) -> list[ReviewRow]:
    rows = db.execute(
        select(Interview, InterviewReview, User.email)
        .join(InterviewReview, InterviewReview.interview_id == Interview.id)
        .join(User, User.id == Interview.interviewer_id)
        .order_by(Interview.started_hour.desc(), Interview.id)
    ).all()
    return [ReviewRow(interview, review, email) for interview, review, email in rows]


def statuses_of(db: Session, user_id: int) -> dict[str, str]:
    """Review status per interview of this interviewer (never the comment, never others' interviews)."""
    rows = db.execute(
        select(Interview.id, InterviewReview.status)
        .join(InterviewReview, InterviewReview.interview_id == Interview.id)
        .where(Interview.interviewer_id == user_id)
    ).all()
    return dict(rows)


def status_by_response(db: Session, questionnaire_id: str) -> dict[str, str]:
    rows = db.execute(
        select(InterviewReview.response_id, InterviewReview.status)
        .join(Interview, Interview.id == InterviewReview.interview_id)
        .where(Interview.questionnaire_id == questionnaire_id)
    ).all()
    return dict(rows)
