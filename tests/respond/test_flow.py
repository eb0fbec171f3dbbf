"""Skip logic walked once per request: the route and the effective answers it gives."""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Any

import pytest

from survey.questionnaires.loader import load_directory
from survey.questionnaires.model import Page, Questionnaire, Roster
from survey.respond import flow, synthetic
from survey.respond.drafts import DraftRow
from survey.respond.services import DraftState

ROOT = Path(__file__).resolve().parents[2]


def questionnaires() -> list[Questionnaire]:
    found: list[Questionnaire] = []
    for folder in (ROOT / "questionnaires", ROOT / "tests" / "data" / "questionnaires"):
        loaded, _ = load_directory(str(folder))
        found += loaded.values()
    return found


def asked_page_by_page(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """The definition: keep an answer when its page and question are visible with what is kept so far."""
    kept: dict[str, Any] = {}

    def ask(page: Page, given: dict[str, Any], into: dict[str, Any]) -> None:
        if flow.page_visible(questionnaire, page, kept):
            for question in flow.visible_questions(questionnaire, page, kept):
                answer = given.get(question.id)
                if question.answerable and answer is not None and question.keeps(answer):
                    into[question.id] = answer

    for index, page in enumerate([*questionnaire.pages, None]):
        for roster in questionnaire.rosters:
            if roster.position != index or (
                roster.show_if and not roster.show_if.holds(flow.lookup(questionnaire, kept))
            ):
                continue
            members = answers.get(roster.id, [])
            wanted = flow.members_wanted(roster, flow.lookup(questionnaire, kept), len(members))
            kept[roster.id] = []
            for number in range(1, wanted + 1):
                kept[roster.id].append({})
                given = members[number - 1] if number <= len(members) else {}
                for template in roster.pages:
                    ask(roster.member_page(template, number), given, kept[roster.id][-1])
        if page is not None:
            ask(page, answers, kept)
    return kept


@pytest.mark.parametrize("questionnaire", questionnaires(), ids=lambda questionnaire: questionnaire.id)
def test_route_is_the_visible_pages_of_the_effective_answers(questionnaire):
    rng = random.Random(7)
    for _ in range(60):
        # Two journeys mixed: as if the respondent went back and changed answers that hide others.
        answers = {**synthetic.answers_for(questionnaire, rng), **synthetic.answers_for(questionnaire, rng)}
        effective, route = flow.walk(questionnaire, answers)
        assert list(effective.items()) == list(asked_page_by_page(questionnaire, answers).items())  # order too
        assert list(route.pages) == flow.visible_pages(questionnaire, effective)


def test_route_answers_navigation_questions():
    questionnaire = next(q for q in questionnaires() if q.id == "every-type")
    _, route = flow.walk(questionnaire, {})
    first, second, third = (page.id for page in route.pages[:3])
    assert route.first_open([first]) is route.pages[1]
    assert route.reachable([first], second) and not route.reachable([first], third)
    assert route.neighbours(second) == (route.pages[0], route.pages[2])
    assert route.progress(second) == (2, len(route.pages))


def test_route_navigation_with_completed_as_a_set():
    questionnaire = next(q for q in questionnaires() if q.id == "every-type")
    _, route = flow.walk(questionnaire, {})
    ids = [page.id for page in route.pages]
    done = set(ids[:3])
    assert route.first_open(done) is route.pages[3]
    assert route.reachable(done, ids[3]) and not route.reachable(done, ids[4])
    assert not route.reachable(set(ids), "no-such-page")
    assert route.progress("no-such-page") == (len(ids), len(ids))
    assert route.progress(None) == (len(ids), len(ids))
    assert route.first_open(set(ids)) is None


def test_draft_walks_the_skip_logic_once_per_change_of_answers():
    questionnaire = next(q for q in questionnaires() if q.id == "every-type")
    rng = random.Random(3)
    answers = synthetic.answers_for(questionnaire, rng)
    now = datetime.datetime(2026, 1, 1)
    row = DraftRow("d", questionnaire.id, questionnaire.version, "de", now, now, b"")
    state = DraftState(row, b"secret", questionnaire)
    first = state.route
    assert state.route is first and state.effective == {}  # no answers yet: cached between steps
    state.answers.update(answers)
    state.completed.append(first.pages[0].id)
    state.changed()
    effective, route = flow.walk(questionnaire, answers)
    assert state.route is not first and state.route.pages == route.pages and state.effective == effective
    assert state.next_page() is route.first_open({first.pages[0].id})
    state.answers = {}  # a new map of answers is walked again even without `changed`
    assert state.effective == {}


def test_only_pages_without_conditions_or_filtered_lists_skip_the_skip_logic():
    for questionnaire in questionnaires():
        for step in flow._plan(questionnaire):
            if isinstance(step, Roster):
                continue
            page, ids, plain = step
            assert ids == tuple(question.id for question in page.questions)
            conditional = page.show_if is not None or any(
                question.show_if is not None or getattr(question, "options_from", None) is not None
                for question in page.questions
            )
            assert (plain is None) == (conditional or not page.questions), (questionnaire.id, page.id)
            if plain is not None:
                assert plain == tuple(question for question in page.questions if question.answerable)
    derived = next(q for q in questionnaires() if q.id == "derived")
    assert any(step[2] is None for step in flow._plan(derived) if not isinstance(step, Roster))
    assert flow._plan(derived) is flow._plan(derived)  # planned once per questionnaire
