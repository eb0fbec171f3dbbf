"""Skip logic and navigation, as pure functions of a questionnaire and the answers so far."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..questionnaires.expressions import Ref
from ..questionnaires.model import Page, Questionnaire
from ..questionnaires.questions import Question

Answers = Mapping[str, Any]


def lookup(questionnaire: Questionnaire, answers: Answers) -> Callable[[Ref], Any]:
    def value(ref: Ref) -> Any:
        question = questionnaire.question(ref.question)
        return question.comparable(answers.get(ref.question), ref.row)

    return value


def page_visible(questionnaire: Questionnaire, page: Page, answers: Answers) -> bool:
    if page.show_if is not None and not page.show_if.holds(lookup(questionnaire, answers)):
        return False
    return bool(visible_questions(questionnaire, page, answers))


def visible_questions(questionnaire: Questionnaire, page: Page, answers: Answers) -> list[Question]:
    values = lookup(questionnaire, answers)
    return [q for q in page.questions if q.show_if is None or q.show_if.holds(values)]


def visible_pages(questionnaire: Questionnaire, answers: Answers) -> list[Page]:
    return [page for page in questionnaire.pages if page_visible(questionnaire, page, answers)]


@dataclass(frozen=True)
class Route:
    """The pages one respondent sees with the answers so far, in order: skip logic evaluated once,
    then asked as often as a request needs."""

    pages: tuple[Page, ...]

    def first_open(self, completed: Collection[str]) -> Page | None:
        """The first page not yet completed; None when the review may be shown."""
        for page in self.pages:
            if page.id not in completed:
                return page
        return None

    def reachable(self, completed: Collection[str], page_id: str) -> bool:
        """A page may be shown or posted when it is on the route and every page before it is done."""
        for page in self.pages:
            if page.id == page_id:
                return True
            if page.id not in completed:
                return False
        return False

    def neighbours(self, page_id: str) -> tuple[Page | None, Page | None]:
        """The pages before and after `page_id` (which must be on the route)."""
        index = [page.id for page in self.pages].index(page_id)
        before = self.pages[index - 1] if index > 0 else None
        after = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return before, after

    def progress(self, page_id: str | None) -> tuple[int, int]:
        """(position, total) among the pages of the route."""
        ids = [page.id for page in self.pages]
        position = ids.index(page_id) + 1 if page_id in ids else len(ids)
        return position, len(ids)


def _walk(questionnaire: Questionnaire, answers: Answers) -> tuple[dict[str, Any], list[Page], set[str]]:
    """One pass of the skip logic: the effective answers, the pages shown and the questions shown.

    Conditions only look at earlier pages, so a page's visibility under the answers kept so far is its
    visibility under all effective answers: the pages equal `visible_pages` of the effective answers.
    """
    kept: dict[str, Any] = {}
    pages: list[Page] = []
    shown: set[str] = set()
    values = lookup(questionnaire, kept)  # sees `kept` grow
    for page in questionnaire.pages:
        if page.show_if is not None and not page.show_if.holds(values):
            continue
        questions = [q for q in page.questions if q.show_if is None or q.show_if.holds(values)]
        if not questions:
            continue  # a page without a visible question is not shown (see `page_visible`)
        pages.append(page)
        for question in questions:
            shown.add(question.id)
            if question.answerable and answers.get(question.id) is not None:
                kept[question.id] = answers[question.id]
    return kept, pages, shown


def walk(questionnaire: Questionnaire, answers: Answers) -> tuple[dict[str, Any], Route]:
    """In one pass: the effective answers (see `effective_answers`) and the route they lead to."""
    kept, pages, _ = _walk(questionnaire, answers)
    return kept, Route(tuple(pages))


def asked(questionnaire: Questionnaire, answers: Answers) -> tuple[dict[str, Any], set[str]]:
    """In one pass: the effective answers and the ids of every question the respondent was shown."""
    kept, _, shown = _walk(questionnaire, answers)
    return kept, shown


def effective_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Any]:
    """Only answers to questions the respondent was actually asked, in questionnaire order.

    Going back and changing an answer can hide questions answered before; their answers are not
    part of the response.
    """
    return walk(questionnaire, answers)[0]
