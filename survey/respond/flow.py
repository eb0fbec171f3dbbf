"""Skip logic and navigation, as pure functions of a questionnaire and the answers so far."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
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


def first_open_page(questionnaire: Questionnaire, answers: Answers, completed: Collection[str]) -> Page | None:
    """The first visible page not yet completed; None when the review may be shown."""
    for page in visible_pages(questionnaire, answers):
        if page.id not in completed:
            return page
    return None


def reachable(questionnaire: Questionnaire, answers: Answers, completed: Collection[str], page_id: str) -> bool:
    """A page may be shown or posted when it is visible and every visible page before it is done."""
    for page in visible_pages(questionnaire, answers):
        if page.id == page_id:
            return True
        if page.id not in completed:
            return False
    return False


def neighbours(questionnaire: Questionnaire, answers: Answers, page_id: str) -> tuple[Page | None, Page | None]:
    """The visible pages before and after `page_id`."""
    pages = visible_pages(questionnaire, answers)
    ids = [page.id for page in pages]
    index = ids.index(page_id)
    before = pages[index - 1] if index > 0 else None
    after = pages[index + 1] if index + 1 < len(pages) else None
    return before, after


def progress(questionnaire: Questionnaire, answers: Answers, page_id: str | None) -> tuple[int, int]:
    """(position, total) among pages this respondent will actually see."""
    pages = visible_pages(questionnaire, answers)
    ids = [page.id for page in pages]
    position = ids.index(page_id) + 1 if page_id in ids else len(ids)
    return position, len(ids)


def asked(questionnaire: Questionnaire, answers: Answers) -> tuple[dict[str, Any], set[str]]:
    """In one pass: the effective answers and the ids of every question the respondent was shown."""
    kept: dict[str, Any] = {}
    shown: set[str] = set()
    for page in questionnaire.pages:
        if not page_visible(questionnaire, page, kept):
            continue
        for question in visible_questions(questionnaire, page, kept):
            shown.add(question.id)
            if question.answerable and answers.get(question.id) is not None:
                kept[question.id] = answers[question.id]
    return kept, shown


def effective_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Any]:
    """Only answers to questions the respondent was actually asked, in questionnaire order.

    Going back and changing an answer can hide questions answered before; their answers are not
    part of the response.
    """
    kept: dict[str, Any] = {}
    for page in questionnaire.pages:
        # Conditions only look at earlier pages, so evaluating with what is kept so far is exact.
        if not page_visible(questionnaire, page, kept):
            continue
        for question in visible_questions(questionnaire, page, kept):
            if question.answerable and answers.get(question.id) is not None:
                kept[question.id] = answers[question.id]
    return kept
