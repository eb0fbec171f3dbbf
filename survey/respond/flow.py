"""Skip logic and navigation, as pure functions of a questionnaire and the answers so far."""

from __future__ import annotations

import datetime
from collections import ChainMap
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..questionnaires import model
from ..questionnaires.expressions import Ref
from ..questionnaires.model import Page, Questionnaire, Roster, member_answers
from ..questionnaires.questions import Question

Answers = Mapping[str, Any]


def lookup(questionnaire: Questionnaire, answers: Answers, today: datetime.date | None = None) -> Callable[[Ref], Any]:
    """What conditions see: answers, computed values and the interview date (see `model.lookup`)."""
    return model.lookup(questionnaire, answers, today)


def page_answers(page: Page, answers: Answers) -> Answers:
    """What a page sees: for a roster member's page, that member's answers before all others."""
    if not page.roster:
        return answers
    return member_answers(answers, page.roster, page.member)


def page_visible(questionnaire: Questionnaire, page: Page, answers: Answers) -> bool:
    answers = page_answers(page, answers)
    if page.show_if is not None and not page.show_if.holds(lookup(questionnaire, answers)):
        return False
    return bool(visible_questions(questionnaire, page, answers))


def visible_questions(
    questionnaire: Questionnaire, page: Page, answers: Answers, today: datetime.date | None = None
) -> list[Question]:
    """The questions of a page this respondent is asked, as they see them (filtered lists narrowed)."""
    return _shown(page, lookup(questionnaire, page_answers(page, answers), today))


def _shown(page: Page, values: Callable[[Ref], Any]) -> list[Question]:
    shown = []
    for question in page.questions:
        if question.show_if is not None and not question.show_if.holds(values):
            continue
        narrowed = question.narrowed(values)
        if narrowed is not None:  # a filtered list with nothing left to choose from is not asked
            shown.append(narrowed)
    return shown


def visible_pages(questionnaire: Questionnaire, answers: Answers) -> list[Page]:
    return list(walk(questionnaire, answers)[1].pages)


@dataclass(frozen=True)
class Route:
    """The pages one respondent sees with the answers so far, in order: skip logic evaluated once,
    then asked as often as a request needs (positions looked up in a map, not by scanning)."""

    pages: tuple[Page, ...]
    _positions: dict[str, int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positions", {page.id: index for index, page in enumerate(self.pages)})

    def first_open(self, completed: Collection[str]) -> Page | None:
        """The first page not yet completed; None when the review may be shown (`completed`: a set
        for large questionnaires, since every page before the open one is looked up in it)."""
        for page in self.pages:
            if page.id not in completed:
                return page
        return None

    def reachable(self, completed: Collection[str], page_id: str) -> bool:
        """A page may be shown or posted when it is on the route and every page before it is done."""
        position = self._positions.get(page_id)
        if position is None:
            return False
        return all(page.id in completed for page in self.pages[:position])

    def neighbours(self, page_id: str) -> tuple[Page | None, Page | None]:
        """The pages before and after `page_id` (which must be on the route)."""
        index = self._positions[page_id]
        before = self.pages[index - 1] if index > 0 else None
        after = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return before, after

    def progress(self, page_id: str | None) -> tuple[int, int]:
        """(position, total) among the pages of the route."""
        total = len(self.pages)
        position = self._positions.get(page_id) if page_id is not None else None
        return (position + 1 if position is not None else total), total


class _Unconditional(Exception):
    """Raised when a question asks for earlier answers to narrow itself (see `_plain`)."""


def _no_values(ref: Ref) -> Any:
    raise _Unconditional()


def _plain(page: Page) -> tuple[Question, ...] | None:
    """A page every respondent sees whole (no condition, no filtered list): its answerable questions
    (answers to them are kept as given); None for a page skip logic must look at."""
    if page.show_if is not None or not page.questions:
        return None
    for question in page.questions:
        if question.show_if is not None:
            return None
        try:
            if question.narrowed(_no_values) is not question:
                return None
        except _Unconditional:
            return None
    return tuple(question for question in page.questions if question.answerable)


PageStep = tuple[Page, tuple[str, ...], tuple[Question, ...] | None]
MemberShown = dict[tuple[str, int], set[str]]  # (roster id, member number) -> the questions asked
Plan = tuple[PageStep | Roster, ...]


def _build_plan(questionnaire: Questionnaire) -> Plan:
    plan: list[tuple[Page, tuple[str, ...], tuple[Question, ...] | None] | Roster] = []
    rosters = sorted(questionnaire.rosters, key=lambda roster: roster.position)
    for index, page in enumerate(questionnaire.pages):
        plan.extend(roster for roster in rosters if roster.position == index)
        plan.append((page, tuple(q.id for q in page.questions), _plain(page)))
    plan.extend(roster for roster in rosters if roster.position >= len(questionnaire.pages))
    return tuple(plan)


def members_wanted(roster: Roster, values: Callable[[Ref], Any], given: int) -> int:
    """How many members a roster asks about: the count question's answer, or (for "add another")
    as many as were added; never more than the roster's maximum."""
    if roster.count is not None:
        count = values(Ref(roster.count, None, 0))
        wanted = count if isinstance(count, int) and not isinstance(count, bool) else 0
    else:
        wanted = given
    return max(0, min(wanted, roster.max_members))


@dataclass(frozen=True)
class _MemberStep:
    """One page of a roster, compiled once per questionnaire (see `_roster_steps`): what asking it
    of a member needs, and its pages as asked of member 1, 2, ... (made when first needed)."""

    roster: Roster
    template: Page
    ids: frozenset[str]  # its questions
    plain: tuple[Question, ...] | None  # as `_plain`: its answerable questions when shown whole to all
    pages: dict[int, Page] = field(default_factory=dict, compare=False, repr=False)

    def page(self, number: int) -> Page:
        """The page as asked of member `number` (`Roster.member_page`), made once."""
        found = self.pages.get(number)
        if found is None:
            found = self.pages.setdefault(number, self.roster.member_page(self.template, number))
        return found


def _build_roster_steps(questionnaire: Questionnaire) -> dict[str, tuple[_MemberStep, ...]]:
    return {
        roster.id: tuple(
            _MemberStep(roster, template, frozenset(q.id for q in template.questions), _plain(template))
            for template in roster.pages
        )
        for roster in questionnaire.rosters
    }


def _roster_steps(questionnaire: Questionnaire, roster: Roster) -> tuple[_MemberStep, ...]:
    """Per roster, its pages compiled once per questionnaire: a member's walk then tests only the
    conditions there are, and takes the member's pages from a table instead of making them anew."""
    steps: dict[str, tuple[_MemberStep, ...]] = questionnaire.derived("respond.flow.roster_steps", _build_roster_steps)
    return steps[roster.id]


def _walk_roster(
    questionnaire: Questionnaire,
    roster: Roster,
    answers: Answers,
    kept: dict[str, Any],
    pages: list[Page],
    shown: set[str],
    today: datetime.date | None,
    by_member: MemberShown | None = None,
) -> None:
    """The skip logic of one roster: each member's pages with that member's answers, in order (and,
    into `by_member`, the questions each member was asked)."""
    given = answers.get(roster.id)
    members = given if isinstance(given, list) else []
    wanted = members_wanted(roster, lookup(questionnaire, kept, today), len(members))
    kept_members: list[dict[str, Any]] = []
    kept[roster.id] = kept_members
    steps = _roster_steps(questionnaire, roster)
    conditional = any(step.plain is None for step in steps)
    for number in range(1, wanted + 1):
        raw = members[number - 1] if number <= len(members) and isinstance(members[number - 1], dict) else {}
        own: dict[str, Any] = {}
        kept_members.append(own)
        # What the member's conditions see (it sees `own` grow); only made when some page has one.
        values = lookup(questionnaire, member_answers(kept, roster.id, number), today) if conditional else None
        asked_here: set[str] = set() if by_member is None else by_member.setdefault((roster.id, number), set())
        for step in steps:
            if step.plain is not None:  # shown whole to every member: nothing to evaluate
                pages.append(step.page(number))
                shown |= step.ids
                asked_here |= step.ids
                for question in step.plain:
                    answer = raw.get(question.id)
                    if answer is not None and question.keeps(answer):
                        own[question.id] = answer
                continue
            assert values is not None
            template = step.template
            if template.show_if is not None and not template.show_if.holds(values):
                continue
            questions = _shown(template, values)
            if not questions:
                continue
            pages.append(step.page(number))
            shown.update(question.id for question in questions)
            asked_here.update(question.id for question in questions)
            for question in questions:
                answer = raw.get(question.id)
                if question.answerable and answer is not None and question.keeps(answer):
                    own[question.id] = answer
    if roster.add_another is not None and wanted < roster.max_members:
        pages.append(roster.add_page(wanted))


def _plan(questionnaire: Questionnaire) -> Plan:
    """Skip logic compiled once per questionnaire: per page, the ids of its questions and, for a page
    shown whole to everyone, its answerable ones (else None)."""
    plan: Plan = questionnaire.derived("respond.flow.plan", _build_plan)
    return plan


def _walk(
    questionnaire: Questionnaire,
    answers: Answers,
    today: datetime.date | None = None,
    by_member: MemberShown | None = None,
) -> tuple[dict[str, Any], list[Page], set[str]]:
    """One pass of the skip logic: the effective answers, the pages shown and the questions shown.

    Conditions only look at earlier pages, so a page's visibility under the answers kept so far is its
    visibility under all effective answers: the pages equal `visible_pages` of the effective answers.
    """
    kept: dict[str, Any] = {}
    pages: list[Page] = []
    shown: set[str] = set()
    values = lookup(questionnaire, kept, today)  # sees `kept` grow
    for step in _plan(questionnaire):
        if isinstance(step, Roster):
            if step.show_if is None or step.show_if.holds(values):
                _walk_roster(questionnaire, step, answers, kept, pages, shown, today, by_member)
            continue
        page, ids, plain = step
        if plain is not None:  # shown whole to everyone: no condition to evaluate
            pages.append(page)
            shown.update(ids)
            for question in plain:
                answer = answers.get(question.id)
                if answer is not None and question.keeps(answer):
                    kept[question.id] = answer
            continue
        if page.show_if is not None and not page.show_if.holds(values):
            continue
        questions = _shown(page, values)
        if not questions:
            continue  # a page without a visible question is not shown (see `page_visible`)
        pages.append(page)
        shown.update(question.id for question in questions)
        for question in questions:
            answer = answers.get(question.id)
            # An answer to a filtered list that earlier answers no longer offer is not kept.
            if question.answerable and answer is not None and question.keeps(answer):
                kept[question.id] = answer
    return kept, pages, shown


def walk(
    questionnaire: Questionnaire, answers: Answers, today: datetime.date | None = None
) -> tuple[dict[str, Any], Route]:
    """In one pass: the effective answers (see `effective_answers`) and the route they lead to."""
    kept, pages, _ = _walk(questionnaire, answers, today)
    return kept, Route(tuple(pages))


def asked(
    questionnaire: Questionnaire, answers: Answers, today: datetime.date | None = None
) -> tuple[dict[str, Any], set[str]]:
    """In one pass: the effective answers and the ids of every question the respondent was shown
    (`today`: the interview date conditions see, by default the current UTC date)."""
    kept, _, shown = _walk(questionnaire, answers, today)
    return kept, shown


def asked_by_member(
    questionnaire: Questionnaire, answers: Answers, today: datetime.date | None = None
) -> tuple[dict[str, Any], set[str], MemberShown]:
    """`asked`, and per roster member the questions that member was asked (for the member files)."""
    by_member: MemberShown = {}
    kept, _, shown = _walk(questionnaire, answers, today, by_member)
    return kept, shown, by_member


def rule_errors(
    questionnaire: Questionnaire,
    questions: Collection[Question],
    posted: Answers,
    earlier: Answers,
    lang: str,
    today: datetime.date | None = None,
) -> list[tuple[Question, str]]:
    """The `valid_if` rules a page's answers break: a rule is checked only when every value it reads
    is known (a "don't know" elsewhere never blocks the respondent)."""
    values = lookup(questionnaire, ChainMap(posted, earlier), today)  # type: ignore[arg-type]
    broken = []
    for question in questions:
        rule = question.valid_if
        if rule is None or posted.get(question.id) is None:
            continue
        if any(values(ref) is None for ref in rule.references) or rule.holds(values):
            continue
        message = question.invalid_message.get(lang) if question.invalid_message else ""
        broken.append((question, message))
    return broken


def effective_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Any]:
    """Only answers to questions the respondent was actually asked, in questionnaire order.

    Going back and changing an answer can hide questions answered before; their answers are not
    part of the response.
    """
    return walk(questionnaire, answers)[0]
