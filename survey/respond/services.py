"""State changes of the respondent's journey: start a draft, save a page, submit once."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import utcnow
from ..questionnaires.model import Page, Questionnaire
from ..vault import drafts as sealed_drafts
from ..vault.models import SealedResponse
from ..vault.responses import seal_response
from . import flow
from .models import Draft


class JourneyError(Exception):
    """Base for what a respondent's request can get wrong; views turn these into responses."""


class DraftMissing(JourneyError):
    """No draft for this browser (never started, expired, or another questionnaire)."""


class PageNotReachable(JourneyError):
    """A page that is hidden by skip logic or comes after a page not yet completed."""


class NotReadyToSubmit(JourneyError):
    """Submit before every visible page was completed."""


@dataclass
class DraftState:
    """A draft opened with the browser's secret: answers and completed pages in plain form."""

    draft: Draft
    secret: bytes
    questionnaire: Questionnaire
    answers: dict[str, Any] = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def effective(self) -> dict[str, Any]:
        return flow.effective_answers(self.questionnaire, self.answers)

    @property
    def submitted(self) -> bool:
        return self.draft.response_id is not None

    def reachable(self, page_id: str) -> bool:
        return flow.reachable(self.questionnaire, self.effective, self.completed, page_id)

    def next_page(self) -> Page | None:
        return flow.first_open_page(self.questionnaire, self.effective, self.completed)


def start(db: Session, questionnaire: Questionnaire, language: str) -> DraftState:
    """A new, empty draft; the returned secret must go to the respondent's browser only."""
    secret = sealed_drafts.new_secret()
    now = utcnow()
    draft = Draft(
        id=sealed_drafts.draft_id(secret),
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        language=language,
        created_at=now,
        updated_at=now,
        content=b"",
    )
    state = DraftState(draft, secret, questionnaire, languages=[language])
    _write(state)
    db.add(draft)
    db.commit()
    return state


def open_draft(db: Session, questionnaire: Questionnaire, secret: bytes | None) -> DraftState:
    if not secret:
        raise DraftMissing()
    draft = db.get(Draft, sealed_drafts.draft_id(secret))
    if draft is None or draft.questionnaire_id != questionnaire.id:
        raise DraftMissing()
    if draft.questionnaire_version != questionnaire.version:
        # The questionnaire changed under the respondent; answers may not fit the new version.
        raise DraftMissing()
    content = sealed_drafts.unseal(secret, draft.content)
    return DraftState(
        draft,
        secret,
        questionnaire,
        answers=content.get("answers", {}),
        completed=content.get("completed", []),
        languages=content.get("languages", []),
    )


def _write(state: DraftState) -> None:
    content = {"answers": state.answers, "completed": state.completed, "languages": state.languages}
    state.draft.content = sealed_drafts.seal(state.secret, content)
    state.draft.updated_at = utcnow()


def save_page(
    db: Session, state: DraftState, page: Page, page_answers: dict[str, Any], language: str
) -> None:
    """Store the answers of one page (already validated) and mark it completed."""
    if state.submitted:
        return
    if not state.reachable(page.id):
        raise PageNotReachable(page.id)
    for question in page.questions:
        state.answers.pop(question.id, None)
    state.answers.update({qid: value for qid, value in page_answers.items() if value is not None})
    if page.id not in state.completed:
        state.completed.append(page.id)
    if language not in state.languages:
        state.languages.append(language)
    _write(state)
    db.commit()


def note_language(db: Session, state: DraftState, language: str) -> None:
    """Record a language switch (paradata: languages used) without touching answers."""
    if language not in state.languages and not state.submitted:
        state.languages.append(language)
        _write(state)
        db.commit()


def submit(db: Session, state: DraftState) -> str:
    """Seal and store the response once; a repeated submit returns the first response's id."""
    if state.submitted:
        return state.draft.response_id  # type: ignore[return-value]
    if state.next_page() is not None:
        raise NotReadyToSubmit()
    questionnaire = state.questionnaire
    response_id = uuid.uuid4().hex
    now = utcnow()
    record = {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "wave": questionnaire.wave,
        "response": response_id,
        "answers": state.effective,
    }
    response = SealedResponse(
        id=response_id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        wave=questionnaire.wave,
        draft_id=state.draft.id,
        submitted_hour=now.replace(minute=0, second=0, microsecond=0),
        content=seal_response(record),
    )
    state.draft.response_id = response_id
    # The answers now live in the sealed response only.
    state.answers, state.completed = {}, []
    _write(state)
    db.add(response)
    try:
        db.commit()
    except IntegrityError:
        # A concurrent submit of the same draft won the race; its response stands.
        db.rollback()
        existing = db.scalar(select(SealedResponse.id).where(SealedResponse.draft_id == state.draft.id))
        if existing is None:
            raise
        return existing
    return response_id


def purge_drafts(db: Session, older_than: datetime.timedelta) -> int:
    """Delete drafts untouched for longer than `older_than`; returns how many."""
    cutoff = utcnow() - older_than
    stale = db.scalars(select(Draft).where(Draft.updated_at < cutoff)).all()
    for draft in stale:
        db.delete(draft)
    db.commit()
    return len(stale)
