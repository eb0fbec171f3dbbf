"""State changes of the respondent's journey: start a draft, save a page, submit once."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import utcnow
from ..fieldwork import dispositions
from ..questionnaires.model import Page, Questionnaire, Roster
from ..questionnaires.roster_checks import YES as ADD_YES
from ..vault import drafts as sealed_drafts
from ..vault.keys import StudyPublicKey
from ..vault.models import SealedResponse
from ..vault.responses import seal_response
from . import drafts, flow, walks
from .drafts import DraftRow
from .models import Draft, Paradata

_INSERT_RESPONSE = insert(cast(Table, SealedResponse.__table__))
_INSERT_PARADATA = insert(cast(Table, Paradata.__table__))


class JourneyError(Exception):
    """Base for what a respondent's request can get wrong; views turn these into responses."""


class DraftMissing(JourneyError):
    """No draft for this browser (never started, expired, or another questionnaire)."""


class PageNotReachable(JourneyError):
    """A page that is hidden by skip logic or comes after a page not yet completed."""


class NotReadyToSubmit(JourneyError):
    """Submit before every visible page was completed."""


class AlreadyAnswered(JourneyError):
    """This participant code has already answered the questionnaire's current wave."""


DRAFT_LIFETIME = datetime.timedelta(days=30)


@dataclass
class DraftState:
    """A draft opened with the browser's secret: answers and completed pages in plain form."""

    draft: DraftRow
    secret: bytes
    questionnaire: Questionnaire
    answers: dict[str, Any] = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    # Who answers (pseudonym of a participant code, or None for open links) and how.
    pseudonym: str | None = None
    mode: str = "self"
    device_class: str = "desktop"
    interviewer: str | None = None  # pseudonym of the interviewer in assisted interviews
    # Seconds spent per page, measured on the server between page posts: sealed with the draft and the
    # response only (never in the clear paradata), for quality flags (fieldwork.quality).
    seconds: dict[str, int] = field(default_factory=dict)
    # The skip logic's outcome for `answers` (kept with the sealed draft, brought up to date by
    # `changed`), with the key it belongs to: the answers' identity and the revision of changes.
    _walked: walks.Walk | walks.Whole | None = field(default=None, repr=False)
    _walked_key: tuple[int, int] | None = field(default=None, repr=False)
    # Bumped by every change of answers made here (`changed`).
    _revision: int = field(default=0, repr=False)
    _completed_set: frozenset[str] = field(default=frozenset(), repr=False)
    _completed_key: tuple[int, int, int] | None = field(default=None, repr=False)
    # The sealed version of the draft that `answers` are (walks.content_key), and the revision they
    # were at then; a whole walk of those answers is kept in worker memory under it.
    _content: tuple[tuple[str, bytes, str], int] | None = field(default=None, repr=False)

    def changed(self, before: dict[str, Any] | None = None) -> None:
        """Note a change of `answers` or `completed` (every change goes through this module).
        `before`: the answers the changed questions had (the walk is then brought up to date
        page by page); None when any answer may have changed."""
        walked = self._walked if self._walked_key == (id(self.answers), self._revision) else None
        self._revision += 1
        if isinstance(walked, walks.Walk) and before is not None:
            self._walked, self._walked_key = walks.rewalk(walked, self.answers, before), self._key()
        else:
            self._walked = None

    def _key(self) -> tuple[int, int]:
        return id(self.answers), self._revision

    def _walk(self) -> walks.Walk | walks.Whole:
        # Skip logic is evaluated once per change of answers: several navigation steps of one request
        # need its outcome. The key also holds the answers' identity, should the map be replaced.
        if self._walked is None or self._walked_key != self._key():
            if self.questionnaire.rosters:  # not yet walked incrementally: flow's whole walk
                self._walked = walks.whole(self.questionnaire, self.answers)
                self._keep_whole()
            else:
                self._walked = walks.full(self.questionnaire, self.answers)
            self._walked_key = self._key()
        return self._walked

    def sealed_as(self, sealed: bytes) -> None:
        """Note that `answers`, as they are now, are the draft sealed as these bytes."""
        self._content = walks.content_key(self.draft.id, sealed), self._revision
        if isinstance(self._walked, walks.Whole) and self._walked_key == self._key():
            self._keep_whole()

    def _keep_whole(self) -> None:
        if self._content is not None and self._content[1] == self._revision and isinstance(self._walked, walks.Whole):
            walks.keep_whole(self.questionnaire, self._content[0], self._walked)

    def restore_walk(self, stored: Any) -> None:
        """Take the walk kept with the sealed draft, when it still fits (else it is walked again).
        With rosters, the whole walk this worker made for this sealed version, if it made one."""
        if self.questionnaire.rosters:
            if self._content is not None and self._content[1] == self._revision:
                found = walks.kept_whole(self.questionnaire, self._content[0])
                if found is not None:
                    self._walked, self._walked_key = found, self._key()
            return
        walked = walks.restored(self.questionnaire, self.answers, stored)
        if walked is not None:
            self._walked, self._walked_key = walked, self._key()

    def stored_walk(self) -> dict[str, Any] | None:
        walked = self._walk() if self.answers else None
        return walked.stored() if isinstance(walked, walks.Walk) else None

    @property
    def completed_set(self) -> frozenset[str]:
        """`completed` for membership tests (built once per change, not per page looked up)."""
        key = (id(self.completed), len(self.completed), self._revision)
        if self._completed_key != key:
            self._completed_set, self._completed_key = frozenset(self.completed), key
        return self._completed_set

    def in_order(self) -> tuple[dict[str, Any], flow.Route]:
        """`flow.walk`'s outcome: the effective answers in questionnaire order, and the route. Taken from
        the walk already made where that was a whole walk (questionnaires with rosters)."""
        walked = self._walk()
        if isinstance(walked, walks.Whole):
            return walked.effective, walked.route
        return flow.walk(self.questionnaire, self.answers)

    @property
    def effective(self) -> dict[str, Any]:
        """The answers the respondent was asked (see `flow.effective_answers`)."""
        return self._walk().effective

    @property
    def route(self) -> flow.Route:
        """The pages this respondent sees with the answers so far."""
        return self._walk().route

    @property
    def submitted(self) -> bool:
        return self.draft.response_id is not None

    def reachable(self, page_id: str) -> bool:
        return self.route.reachable(self.completed_set, page_id)

    def next_page(self) -> Page | None:
        return self.route.first_open(self.completed_set)


def start(
    db: Session,
    questionnaire: Questionnaire,
    language: str,
    pseudonym: str | None = None,
    device_class: str = "desktop",
    mode: str = "self",
    interviewer: str | None = None,
) -> DraftState:
    """A new, empty draft; the returned secret must go to the respondent's browser only."""
    secret = sealed_drafts.new_secret()
    now = utcnow()
    draft = DraftRow(
        id=sealed_drafts.draft_id(secret),
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        language=language,
        created_at=now,
        updated_at=now,
        content=b"",
    )
    state = DraftState(
        draft,
        secret,
        questionnaire,
        languages=[language],
        pseudonym=pseudonym,
        mode=mode,
        device_class=device_class,
        interviewer=interviewer,
    )
    _write(state)
    drafts.add(db, draft)
    db.commit()
    return state


def open_draft(
    db: Session, questionnaire: Questionnaire, secret: bytes | None, lifetime: datetime.timedelta = DRAFT_LIFETIME
) -> DraftState:
    if not secret:
        raise DraftMissing()
    draft = drafts.load(db, sealed_drafts.draft_id(secret))
    if draft is None or draft.questionnaire_id != questionnaire.id:
        raise DraftMissing()
    if draft.response_id is None and draft.updated_at < utcnow() - lifetime:
        raise DraftMissing()
    if draft.questionnaire_version != questionnaire.version:
        # The questionnaire changed under the respondent; answers may not fit the new version.
        raise DraftMissing()
    try:
        content = sealed_drafts.unseal(secret, draft.content)
    except sealed_drafts.DraftUnreadable:
        raise DraftMissing() from None
    state = DraftState(
        draft,
        secret,
        questionnaire,
        answers=content.get("answers", {}),
        completed=content.get("completed", []),
        languages=content.get("languages", []),
        pseudonym=content.get("pseudonym"),
        mode=content.get("mode", "self"),
        device_class=content.get("device_class", "desktop"),
        interviewer=content.get("interviewer"),
        seconds=content.get("seconds", {}),
    )
    state.sealed_as(draft.content)
    state.restore_walk(content.get("walk"))
    return state


def _write(state: DraftState) -> None:
    """Seal the state into its draft row (the caller writes the row)."""
    content = {
        "answers": state.answers,
        "completed": state.completed,
        "languages": state.languages,
        "pseudonym": state.pseudonym,
        "mode": state.mode,
        "device_class": state.device_class,
        "interviewer": state.interviewer,
        "seconds": state.seconds,
        "walk": state.stored_walk(),  # sealed with the answers it was worked out from
    }
    state.draft.content = sealed_drafts.seal(state.secret, content)
    state.draft.updated_at = utcnow()
    state.sealed_as(state.draft.content)


def save_page(db: Session, state: DraftState, page: Page, page_answers: dict[str, Any], language: str) -> None:
    """Store the answers of one page (already validated) and mark it completed."""
    if state.submitted:
        return
    if not state.reachable(page.id):
        raise PageNotReachable(page.id)
    before: dict[str, Any] | None = None  # None: the walk is worked out again in full
    if page.adds_member:
        _add_member(state, page, page_answers)
    elif page.roster:
        answers = _member_of(state, page)
        for question in page.questions:
            answers.pop(question.id, None)
        answers.update({qid: value for qid, value in page_answers.items() if value is not None})
    else:
        before = {question.id: state.answers.pop(question.id, None) for question in page.questions}
        state.answers.update({qid: value for qid, value in page_answers.items() if value is not None})
    if page.id not in state.completed_set:
        state.completed.append(page.id)
    state.changed(before)
    if language not in state.languages:
        state.languages.append(language)
    # Since the last write (the previous page post, the start or a language switch) the person was on this page.
    elapsed = max(0, round((utcnow() - state.draft.updated_at).total_seconds()))
    state.seconds[page.id] = state.seconds.get(page.id, 0) + elapsed
    _write(state)
    drafts.store(db, state.draft, "content", "updated_at")
    if state.pseudonym is not None:  # the code's disposition: partial once enough of its route is done
        done = sum(1 for step in state.route.pages if step.id in state.completed_set)
        dispositions.note_pages(db, state.questionnaire.id, state.pseudonym, done, len(state.route.pages))
    db.commit()


def _members(state: DraftState, roster_id: str) -> list[dict[str, Any]]:
    members = state.answers.get(roster_id)
    if not isinstance(members, list):
        members = state.answers[roster_id] = []
    return members


def _member_of(state: DraftState, page: Page) -> dict[str, Any]:
    """The answers of the member a roster page asks about (made when it is the first answer)."""
    members = _members(state, page.roster)
    while len(members) < page.member:
        members.append({})
    return members[page.member - 1]


def _add_member(state: DraftState, page: Page, page_answers: dict[str, Any]) -> None:
    """The "add another?" page: a yes adds an empty member after the `page.member` ones so far."""
    (answer,) = page_answers.values()
    members = _members(state, page.roster)
    del members[page.member :]  # members beyond the page's count were removed (review)
    if answer == ADD_YES:
        members.append({})


def remove_member(db: Session, state: DraftState, roster: Roster, number: int) -> None:
    """Remove one member of an "add another" roster; later members move up one place. Their pages
    were completed under their old numbers, so every page up to the new count stays completed."""
    members = _members(state, roster.id)
    if not 1 <= number <= len(members) or roster.add_another is None:
        raise PageNotReachable(f"{roster.id}.{number}")
    del members[number - 1]
    state.changed()
    _write(state)
    drafts.store(db, state.draft, "content", "updated_at")
    db.commit()


def rekey(db: Session, state: DraftState, secret: bytes) -> DraftState:
    """Move a draft under a new secret (a resume code's); the old row is deleted."""
    old = state.draft
    draft = DraftRow(
        id=sealed_drafts.draft_id(secret),
        questionnaire_id=old.questionnaire_id,
        questionnaire_version=old.questionnaire_version,
        language=old.language,
        created_at=old.created_at,
        updated_at=old.updated_at,
        content=b"",
    )
    moved = DraftState(
        draft,
        secret,
        state.questionnaire,
        answers=state.answers,
        completed=state.completed,
        languages=state.languages,
        pseudonym=state.pseudonym,
        mode=state.mode,
        device_class=state.device_class,
        interviewer=state.interviewer,
        seconds=state.seconds,
    )
    _write(moved)
    try:
        drafts.remove(db, old.id)
        drafts.add(db, draft)
        db.commit()
    except IntegrityError:  # the same post, sent again while this one ran, moved it first
        db.rollback()
        return open_draft(db, state.questionnaire, secret)
    return moved


def note_language(db: Session, state: DraftState, language: str) -> None:
    """Record a language switch (paradata: languages used) without touching answers."""
    if language not in state.languages and not state.submitted:
        state.languages.append(language)
        _write(state)
        drafts.store(db, state.draft, "content", "updated_at")
        db.commit()


def _hour(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def submit(db: Session, state: DraftState, key: StudyPublicKey) -> str:
    """Seal and store the response once; a repeated submit returns the first response's id."""
    if state.submitted:
        return state.draft.response_id  # type: ignore[return-value]
    if state.next_page() is not None:
        raise NotReadyToSubmit()
    if state.pseudonym is not None and db.scalar(
        select(SealedResponse.id).where(
            SealedResponse.questionnaire_id == state.questionnaire.id,
            SealedResponse.wave == state.questionnaire.wave,
            SealedResponse.pseudonym == state.pseudonym,
        )
    ):
        raise AlreadyAnswered()
    questionnaire = state.questionnaire
    effective, route = state.in_order()
    response_id = uuid.uuid4().hex
    now = utcnow()
    record = {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "wave": questionnaire.wave,
        "response": response_id,
        "pseudonym": state.pseudonym,
        "answers": effective,
        "page_seconds": state.seconds,
        "pages": [page.id for page in route.pages],  # the route: which questions were asked
    }
    response = {
        "id": response_id,
        "questionnaire_id": questionnaire.id,
        "questionnaire_version": questionnaire.version,
        "wave": questionnaire.wave,
        "draft_id": state.draft.id,
        "submitted_hour": _hour(now),
        "key_id": key.key_id,
        "pseudonym": state.pseudonym,
        "content": seal_response(record, key),
    }
    minutes = max(0, round((now - state.draft.created_at).total_seconds() / 60))
    paradata = {
        "response_id": response_id,
        "mode": state.mode,
        "languages": ",".join(state.languages)[:128],
        "device_class": state.device_class,
        "started_hour": _hour(state.draft.created_at),
        "ended_hour": _hour(now),
        "duration_minutes": minutes,
        "interviewer": state.interviewer,
    }
    state.draft.response_id = response_id
    # The answers now live in the sealed response only.
    state.answers, state.completed, state.seconds = {}, [], {}
    state.changed()
    _write(state)
    # The draft's times would otherwise date the response to the second.
    state.draft.created_at, state.draft.updated_at = _hour(state.draft.created_at), _hour(now)
    try:
        # Plain statements, as for drafts: the ORM's unit of work cost a quarter of a submit's CPU.
        connection = db.connection()
        connection.execute(_INSERT_RESPONSE, response)
        drafts.store(db, state.draft, "response_id", "content", "created_at", "updated_at")
        connection.execute(_INSERT_PARADATA, paradata)
        db.commit()
    except IntegrityError:
        db.rollback()
        # A concurrent submit of the same draft won the race; its response stands.
        existing = db.scalar(select(SealedResponse.id).where(SealedResponse.draft_id == state.draft.id))
        if existing is not None:
            return existing
        # Or this participant code answered the wave in another browser meanwhile.
        raise AlreadyAnswered() from None
    return response_id


def purge_drafts(db: Session, older_than: datetime.timedelta) -> int:
    """Delete drafts untouched for longer than `older_than`; returns how many."""
    cutoff = utcnow() - older_than
    stale = db.scalars(select(Draft).where(Draft.updated_at < cutoff)).all()
    for draft in stale:
        db.delete(draft)
    db.commit()
    return len(stale)
