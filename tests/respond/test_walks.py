"""The incremental walk gives what the full skip-logic walk gives, page change after page change,
and the walk kept with a sealed draft is used only while it fits."""

from __future__ import annotations

import datetime
import random
from typing import Any

from survey.questionnaires.model import Questionnaire
from survey.respond import flow, synthetic, walks
from tests.respond.test_flow import questionnaires as all_questionnaires


def questionnaires() -> list[Questionnaire]:
    """The questionnaires walked incrementally: those without rosters (see test_rosters_are_walked_whole)."""
    return [questionnaire for questionnaire in all_questionnaires() if not questionnaire.rosters]


def test_rosters_are_walked_whole() -> None:
    with_rosters = [questionnaire for questionnaire in all_questionnaires() if questionnaire.rosters]
    assert with_rosters and questionnaires()  # both kinds are tested
    for questionnaire in with_rosters:
        answers = synthetic.answers_for(questionnaire, random.Random(1))
        walked = walks.whole(questionnaire, answers)
        assert (walked.effective, walked.route) == flow.walk(questionnaire, answers)


DAY = datetime.date(2026, 3, 1)


def _same(walk: walks.Walk, questionnaire: Questionnaire, answers: dict[str, Any], today: datetime.date) -> None:
    kept, pages, _ = flow._walk(questionnaire, answers, today)
    assert walk.effective == kept
    assert walk.route.pages == tuple(pages)
    assert walk.dropped == set(answers) - set(kept)


def _change_pages(questionnaire: Questionnaire, seed: int, steps: int) -> int:
    """Change the answers of random pages (as `save_page` does) and compare after every change."""
    rng = random.Random(seed)
    answers = synthetic.answers_for(questionnaire, rng)
    walk = walks.full(questionnaire, answers, DAY)
    _same(walk, questionnaire, answers, DAY)
    saved_pages = 0
    for _ in range(steps):
        page = rng.choice(questionnaire.pages)
        before = {question.id: answers.pop(question.id, None) for question in page.questions}
        for question in page.questions:
            if question.answerable and rng.random() < 0.8:
                value = synthetic.answer(question, rng)
                if value is not None:
                    answers[question.id] = value
        walk = walks.rewalk(walk, answers, before, DAY)
        _same(walk, questionnaire, answers, DAY)
        saved_pages += 1
    return saved_pages


def test_rewalk_equals_the_full_walk_for_every_questionnaire() -> None:
    checked = 0
    for questionnaire in questionnaires():
        for seed in range(4):
            checked += _change_pages(questionnaire, seed, 25)
    assert checked == len(questionnaires()) * 4 * 25


def test_a_changed_answer_hides_and_shows_later_pages() -> None:
    questionnaire = next(q for q in questionnaires() if q.id == "derived")
    conditional = [index for index, (_, _, plain) in enumerate(flow._plan(questionnaire)) if plain is None]
    assert conditional  # the questionnaire has skip logic to exercise
    rng = random.Random(11)
    shown_counts = set()
    answers = synthetic.answers_for(questionnaire, rng)
    walk = walks.full(questionnaire, answers, DAY)
    for _ in range(60):
        page = questionnaire.pages[rng.randrange(len(questionnaire.pages))]
        before = {question.id: answers.pop(question.id, None) for question in page.questions}
        for question in page.questions:
            value = synthetic.answer(question, rng) if question.answerable else None
            if value is not None:
                answers[question.id] = value
        walk = walks.rewalk(walk, answers, before, DAY)
        _same(walk, questionnaire, answers, DAY)
        shown_counts.add(len(walk.route.pages))
    assert len(shown_counts) > 1  # the route really changed along the way


def test_a_stored_walk_is_restored_only_while_it_fits() -> None:
    for questionnaire in questionnaires():
        answers = synthetic.answers_for(questionnaire, random.Random(5))
        walk = walks.full(questionnaire, answers, DAY)
        stored = walk.stored()
        again = walks.restored(questionnaire, answers, stored, DAY)
        assert again is not None and again.route.pages == walk.route.pages and again.effective == walk.effective
        assert walks.restored(questionnaire, answers, {**stored, "of": "another layout"}, DAY) is None
        assert walks.restored(questionnaire, answers, {**stored, "hidden": [10**6]}, DAY) is None
        assert walks.restored(questionnaire, answers, None, DAY) is None
        assert walks.restored(questionnaire, answers, "walk", DAY) is None
        later = walks.restored(questionnaire, answers, stored, DAY + datetime.timedelta(days=1))
        assert (later is None) == walk.dated, questionnaire.id


def test_a_walk_that_read_the_date_is_walked_again_the_next_day() -> None:
    dated = [q for q in questionnaires() if walks.full(q, synthetic.answers_for(q, random.Random(2)), DAY).dated]
    assert dated  # some test questionnaire has a condition on the interview date
    questionnaire = dated[0]
    answers = synthetic.answers_for(questionnaire, random.Random(2))
    walk = walks.full(questionnaire, answers, DAY)
    assert walk.stored()["day"] == DAY.isoformat()
    tomorrow = DAY + datetime.timedelta(days=1)
    page = questionnaire.pages[0]
    before = {question.id: answers.get(question.id) for question in page.questions}
    _same(walks.rewalk(walk, answers, before, tomorrow), questionnaire, answers, tomorrow)
