"""The skip logic walked incrementally: a change of one page's answers re-evaluates only the pages
whose conditions or filtered lists read something that changed, not the whole questionnaire.

A `Walk` is the outcome of `flow.walk` in a form that can be brought up to date and kept with the
sealed draft between requests: per page whether it is shown, which given answers are not kept, and
what each evaluated page read. Reads are recorded while evaluating (so computed values, filtered
lists and the interview date are covered without a list of what may read what): a page whose reads
did not change decides as before. Evaluating page j sees only the kept answers of pages before j,
as the full walk does, so both give the same route and the same effective answers.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..questionnaires.expressions import Ref
from ..questionnaires.model import Questionnaire, Roster, utc_today
from ..questionnaires.values import TODAY
from ..recent import Recent
from . import flow

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class _Layout:
    """What a walk needs to know about a questionnaire, worked out once (`Questionnaire.derived`)."""

    plan: tuple[flow.PageStep, ...]
    owner: dict[str, int]  # question id -> index of its page
    conditional: tuple[int, ...]  # indices of the pages skip logic must evaluate, ascending
    fingerprint: str  # changes whenever something the skip logic depends on changes


def _fingerprint(questionnaire: Questionnaire) -> str:
    shape = {
        "version": questionnaire.version,
        "pages": [
            [
                page.id,
                page.show_if.source if page.show_if else None,
                [
                    [
                        question.id,
                        question.type_name,
                        question.show_if.source if question.show_if else None,
                        getattr(question, "options_from", None),
                        [option.code for option in getattr(question, "options", ())],
                        question.answerable,
                    ]
                    for question in page.questions
                ],
            ]
            for page in questionnaire.pages
        ],
        "computed": [[item.id, item.calculation.source] for item in questionnaire.computed],
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _build_layout(questionnaire: Questionnaire) -> _Layout:
    plan = tuple(step for step in flow._plan(questionnaire) if not isinstance(step, Roster))
    if questionnaire.rosters:
        raise ValueError("questionnaires with rosters are walked whole (walks.whole)")
    owner = {question_id: index for index, (_, ids, _) in enumerate(plan) for question_id in ids}
    conditional = tuple(index for index, (_, _, plain) in enumerate(plan) if plain is None)
    return _Layout(plan, owner, conditional, _fingerprint(questionnaire))


def _layout(questionnaire: Questionnaire) -> _Layout:
    layout: _Layout = questionnaire.derived("respond.walks.layout", _build_layout)
    return layout


@dataclass
class Walk:
    """The skip logic's outcome for one set of answers (see the module's docstring)."""

    questionnaire: Questionnaire
    visible: list[bool]  # per page of the questionnaire
    dropped: set[str]  # ids of given answers that are not kept
    reads: dict[int, frozenset[str]]  # per evaluated (conditional) page: the ids its evaluation read
    day: str  # the interview date the walk saw (it matters only when some page read it)
    _answers: Answers = field(repr=False, default_factory=dict)

    @cached_property
    def effective(self) -> dict[str, Any]:
        """The answers the respondent was asked (see `flow.effective_answers`; not in questionnaire order)."""
        if not self.dropped:
            return dict(self._answers)
        dropped = self.dropped
        return {key: value for key, value in self._answers.items() if key not in dropped}

    @cached_property
    def route(self) -> flow.Route:
        return flow.Route(tuple(itertools.compress(self.questionnaire.pages, self.visible)))

    @property
    def dated(self) -> bool:
        return any(TODAY in read for read in self.reads.values())

    def stored(self) -> dict[str, Any]:
        """The walk as kept in the sealed draft (with the answers it was worked out from)."""
        return {
            "of": _layout(self.questionnaire).fingerprint,
            "hidden": [index for index, shown in enumerate(self.visible) if not shown],
            "dropped": sorted(self.dropped),
            "reads": {str(index): sorted(read) for index, read in self.reads.items()},
            "day": self.day if self.dated else None,
        }


@dataclass
class Whole:
    """`flow.walk`'s outcome, for questionnaires with rosters (member pages are not yet walked
    incrementally, nor kept with the draft)."""

    effective: dict[str, Any]
    route: flow.Route


def whole(questionnaire: Questionnaire, answers: Answers) -> Whole:
    effective, route = flow.walk(questionnaire, answers)
    return Whole(effective, route)


WHOLE_WALKS_KEPT = 4096  # per questionnaire and worker; a walk is a few KB
WHOLE_WALKS_SECONDS = 15 * 60  # a walk holds answers in the clear: kept for active respondents only


def _kept_walks(questionnaire: Questionnaire) -> Recent[Whole]:
    kept: Recent[Whole] = questionnaire.derived(
        "respond.walks.kept_whole", lambda _: Recent(WHOLE_WALKS_KEPT, WHOLE_WALKS_SECONDS)
    )
    return kept


def content_key(draft_id: str, sealed: bytes) -> tuple[str, bytes, str]:
    """What names one sealed version of a draft on one day: its id, the sealed bytes' last 16 (the
    AEAD tag, different for every sealing, which draws a fresh nonce) and the date (skip logic may
    read today's date)."""
    return draft_id, bytes(sealed[-16:]), utc_today().isoformat()


def kept_whole(questionnaire: Questionnaire, key: tuple[str, bytes, str]) -> Whole | None:
    """The whole walk worked out in this worker for the draft version `key` names, if it was.

    Questionnaires with rosters are walked whole on every request (the walk is not kept with the
    draft); a respondent's next request usually comes to the same worker (the browser keeps its
    connection), which then finds the walk made when the draft was written. Kept walks are only read,
    and forgotten after 15 minutes: they hold answers in the clear."""
    return _kept_walks(questionnaire).get(key)


def keep_whole(questionnaire: Questionnaire, key: tuple[str, bytes, str], walked: Whole) -> None:
    _kept_walks(questionnaire).put(key, walked)


def restored(
    questionnaire: Questionnaire, answers: Answers, stored: Any, today: datetime.date | None = None
) -> Walk | None:
    """The walk kept with a draft, or None when it cannot be used (another questionnaire layout,
    a day later for a walk that read the date, or not a walk at all): then walk again."""
    layout = _layout(questionnaire)
    day = (today or utc_today()).isoformat()
    if not isinstance(stored, dict) or stored.get("of") != layout.fingerprint:
        return None
    if stored.get("day") not in (None, day):
        return None
    try:
        visible = [True] * len(layout.plan)
        for index in stored["hidden"]:
            visible[index] = False
        reads = {int(index): frozenset(read) for index, read in stored["reads"].items()}
        dropped = set(stored["dropped"])
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    if set(reads) != set(layout.conditional) or any(question_id not in answers for question_id in dropped):
        return None
    return Walk(questionnaire, visible, dropped, reads, day, answers)


def _evaluate(
    questionnaire: Questionnaire, layout: _Layout, index: int, answers: Answers, dropped: set[str], day: str
) -> tuple[bool, set[str], frozenset[str] | None]:
    """Page `index` under the kept answers of the pages before it: (shown, ids of its kept answers,
    what it read, or None for a page shown whole to everyone)."""
    page, _, plain = layout.plan[index]
    if plain is not None:
        kept = set()
        for question in plain:
            answer = answers.get(question.id)
            if answer is not None and question.keeps(answer):
                kept.add(question.id)
        return True, kept, None
    owner = layout.owner
    read: set[str] = set()

    def value(ref: Ref) -> Any:
        name = ref.question
        read.add(name)
        if name == TODAY:
            return day
        computed = questionnaire.computed_value(name)
        if computed is not None:
            return computed.calculation.value(value)
        earlier = owner.get(name, index) < index and name not in dropped
        return questionnaire.question(name).comparable(answers.get(name) if earlier else None, ref.row)

    if page.show_if is not None and not page.show_if.holds(value):
        return False, set(), frozenset(read)
    questions = flow._shown(page, value)
    if not questions:
        return False, set(), frozenset(read)
    kept = set()
    for question in questions:
        answer = answers.get(question.id)
        if question.answerable and answer is not None and question.keeps(answer):
            kept.add(question.id)
    return True, kept, frozenset(read)


def full(questionnaire: Questionnaire, answers: Answers, today: datetime.date | None = None) -> Walk:
    """The whole skip logic walked once (what `flow.walk` does, with what each page read)."""
    layout = _layout(questionnaire)
    day = (today or utc_today()).isoformat()
    visible: list[bool] = []
    kept: set[str] = set()
    reads: dict[int, frozenset[str]] = {}
    dropped: set[str] = set()  # pages before the one evaluated are final; later ones are not read
    for index in range(len(layout.plan)):
        shown, kept_here, read = _evaluate(questionnaire, layout, index, answers, dropped, day)
        visible.append(shown)
        kept |= kept_here
        dropped.update(
            question_id
            for question_id in layout.plan[index][1]
            if question_id in answers and question_id not in kept_here
        )
        if read is not None:
            reads[index] = read
    dropped = {question_id for question_id in answers if question_id not in kept}
    return Walk(questionnaire, visible, dropped, reads, day, answers)


def rewalk(walk: Walk, answers: Answers, before: Answers, today: datetime.date | None = None) -> Walk:
    """`walk` brought up to date after the answers to the questions in `before` changed (`before`:
    their answers then; `answers`: all answers now). Only the pages holding a changed question and the
    conditional pages that read a changed kept value are evaluated again."""
    questionnaire = walk.questionnaire
    layout = _layout(questionnaire)
    day = (today or utc_today()).isoformat()
    if (walk.dated and day != walk.day) or any(question_id not in layout.owner for question_id in before):
        return full(questionnaire, answers, today)
    visible, dropped, reads = list(walk.visible), set(walk.dropped), dict(walk.reads)
    changed = {question_id for question_id in before if before[question_id] != answers.get(question_id)}
    touched = {layout.owner[question_id] for question_id in before}
    start = min(touched, default=len(layout.plan))
    later = layout.conditional[bisect.bisect_left(layout.conditional, start) :]
    for index in sorted(touched.union(later)):
        if index not in touched and reads[index].isdisjoint(changed):
            continue  # reads nothing that changed: decides as before
        ids = layout.plan[index][1]
        dropped.difference_update(ids)
        shown, kept_here, read = _evaluate(questionnaire, layout, index, answers, dropped, day)
        visible[index] = shown
        if read is not None:
            reads[index] = read
        for question_id in ids:
            old = before[question_id] if question_id in before else answers.get(question_id)
            was = None if question_id in walk.dropped else old
            if question_id in answers and question_id not in kept_here:
                dropped.add(question_id)
            if was != (answers.get(question_id) if question_id in kept_here else None):
                changed.add(question_id)
    return Walk(questionnaire, visible, dropped, reads, day, answers)
