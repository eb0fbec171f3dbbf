"""The shipped study (questionnaires/wetterau-integration.json) goes offline whole.

- Markup: the household questionnaire of tests/data/questionnaires/ (two rosters, a member computed
  value, any() over members) and the study's pages up to the first page after its roster, with the
  members' names piped into their pages (Arabic respondent, German interviewer), build the server's
  markup offline.
- An offline interview of the whole study in Chromium with the network off: the `valid_if` rule on
  the arrival year with its Arabic message, the household roster with two members whose names are
  piped into their pages, the filtered list of the best language, the hand-overs of the sensitive
  pages; the synced record unseals on the server to the typed answers in the server's shape, the
  server's skip logic keeps every one, and the export works out each member's age.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from survey.export.members import MemberRecords
from survey.questionnaires.model import Questionnaire
from survey.respond import flow
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..browser.test_study_in_browser import type_in
from ..conftest import ROOT, private_keys
from ..journey import valid_post
from .conftest import InThread
from .markup import answer, assert_same_markup, compare_pages, questionnaire_of, serving, tags
from .test_offline_interviews import Server, continue_, offline_device, send_and_sync, stored_bytes

pytestmark = pytest.mark.browser

EMAIL = "study-offline@example.org"
STUDY = "wetterau-integration"
LENA, SARA = "Lena", "سارة"  # a Latin name in the Arabic pages, an Arabic one


@pytest.fixture(scope="module")
def study_markup_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with serving(tmp_path_factory.mktemp("study-markup"), ROOT / "questionnaires") as served:
        yield served


@pytest.fixture(scope="module")
def household_markup_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with serving(tmp_path_factory.mktemp("household-markup"), ROOT / "tests" / "data" / "questionnaires") as served:
        yield served


def test_the_household_questionnaire_builds_the_servers_markup_offline(
    chromium: InThread, household_markup_server: tuple[str, Any]
) -> None:
    url, app = household_markup_server
    household = questionnaire_of(app, "household")
    compared = chromium.within(compare_pages, url, household)
    # Both rosters' member pages (the work page only for members of 15 or more: member_age), the
    # "add another?" pages, and the pages around them.
    assert {"size", "member_name_page.1", "member_born.1", "relatives.0", "relative.1", "end"} <= set(compared)
    assert any(page_id.startswith("member_work_page.") for page_id in compared)
    assert_same_markup(compared)


def _study_answer(page: Any, question: Any) -> None:
    """As a person would, with two household members named in two scripts."""
    if question.id == "household_size":
        page.fill('[name="household_size"]', "2")
    elif question.id == "member_first_name":
        number = int(page.url.rsplit(".", 1)[1])  # /p/member_name.N
        page.fill('[name="member_first_name"]', SARA if number == 1 else LENA)
    else:
        answer(page, question)
        if getattr(question, "chooses_calendar", False):  # a date or year offered in several calendars
            page.locator(f'[name="{question.calendar_field}"][value="gregorian"]').check()


def test_the_studys_pages_with_member_names_piped_build_the_servers_markup_offline(
    chromium: InThread, study_markup_server: tuple[str, Any]
) -> None:
    url, app = study_markup_server
    study = questionnaire_of(app, STUDY)
    walk = partial(compare_pages, answering=_study_answer, languages=("ar", "de"), until="german_skills")
    compared = chromium.within(walk, url, study)
    assert {"about_you", "arrival", "household", "member_name.1", "member_birth.2", "german_skills"} <= set(compared)
    # Each member's name piped into that member's birth-year page, in <bdi>.
    names = {page_id: json.dumps(compared[page_id][0][0], ensure_ascii=False) for page_id in compared}
    assert "bdi" in tags(compared["member_birth.1"][0][0])
    assert SARA in names["member_birth.1"] and LENA not in names["member_birth.1"]
    assert LENA in names["member_birth.2"] and SARA not in names["member_birth.2"]
    assert_same_markup(compared)


@pytest.fixture(scope="module")
def study_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("study-offline"), ROOT / "questionnaires", EMAIL) as (url, app):
        yield Server(url, app)


TYPED = {"household_size": "2", "birth_year": "1984", "arrival_year": "2015"}
MEMBERS = [(SARA, "1984"), (LENA, "2019")]

MARK = "() => document.querySelectorAll('#app > *').forEach((element) => { element.dataset.old = '1'; })"
CHANGED = "() => document.querySelector('#app > *') !== null && document.querySelector('#app > [data-old]') === null"


def _then(page: Any, action: Any) -> None:
    """Do `action` and wait for the offline app to draw its next screen."""
    page.evaluate(MARK)
    action()
    page.wait_for_function(CHANGED)


def _fill(page: Any, question: Any, member: int) -> None:
    """Type an answer as a person would (tests/journey.py), with the values of TYPED and MEMBERS."""
    values = dict(valid_post(question))
    if getattr(question, "chooses_calendar", False):  # a date or year offered in several calendars
        values.setdefault(question.calendar_field, "gregorian")
    if question.id in TYPED:
        values[question.id] = TYPED[question.id]
    if question.id == "member_first_name":
        values[question.id] = MEMBERS[member - 1][0]
    if question.id == "member_birth_year":
        values[question.id] = MEMBERS[member - 1][1]
    if question.id == "home_languages":  # two languages: the best one is then chosen from those two
        for option in [option for option in question.options if not option.exclusive][:2]:
            page.locator(f'[name="home_languages"][value="{option.code}"]').check()
        return
    type_in(page, values.items())


def study_interview(browser: Any, url: str, study: Questionnaire) -> dict[str, Any]:
    every = [*study.questions(), *(question for roster in study.rosters for question in roster.questions())]
    found: dict[str, Any] = {"screens": 0, "member_pages": {}, "asked": []}
    member = 0
    with offline_device(browser, url, EMAIL) as (context, page, problems):
        page.select_option("#questionnaire", STUDY)
        page.select_option("#language", "ar")
        page.select_option("#interviewer_language", "de")
        _then(page, lambda: page.click("form:has(#language) button[type=submit]"))
        while not page.locator("#send").count():
            found["screens"] += 1
            assert found["screens"] < 200, "the interview does not end"
            if page.locator(".to-respondent").count():
                _then(page, lambda: page.click(".to-respondent button"))
                continue
            if page.locator(".to-interviewer a").count():
                _then(page, lambda: page.click(".to-interviewer a"))
                continue
            names = set(page.eval_on_selector_all("form [name]", "els => els.map(e => e.name)"))
            questions = [q for q in every if any(name in names for name in q.field_names())]
            ids = [question.id for question in questions]
            found["asked"].extend(ids)
            if "member_first_name" in ids:
                member += 1
            if "member_birth_year" in ids:
                found["member_pages"][member] = page.inner_html(".respondent")
            if "arrival_year" in ids and "arrival_error" not in found:
                for question in questions:
                    _fill(page, question, member)
                page.fill('[name="arrival_year"]', "1980")  # before the birth year: the rule says so
                _then(page, lambda: continue_(page))
                found["arrival_error"] = page.inner_text(".error-summary")
            for question in questions:
                _fill(page, question, member)
            _then(page, lambda: continue_(page))
        found["review"] = page.inner_text("main")
        found["database"], found["sync"] = send_and_sync(context, page)
    found["problems"] = problems
    return found


def test_the_whole_study_offline_syncs_a_record_the_server_opens_to_the_typed_answers(
    chromium: InThread, study_server: Server
) -> None:
    app = study_server.app
    study = questionnaire_of(app, STUDY)
    found = chromium.within(study_interview, study_server.url, study)
    assert found["problems"] == []
    rule = study.question("arrival_year").invalid_message
    assert rule is not None and rule.get("ar") in found["arrival_error"]
    # Each member's name in that member's birth-year question, in <bdi>; the other's nowhere.
    assert f"<bdi>{SARA}</bdi>" in found["member_pages"][1] and LENA not in found["member_pages"][1]
    assert f"<bdi>{LENA}</bdi>" in found["member_pages"][2] and SARA not in found["member_pages"][2]
    assert "best_language" in found["asked"]  # the filtered list: two home languages to choose from
    assert SARA in found["review"] and LENA in found["review"]
    everything = stored_bytes(found["database"])
    for text in (SARA, LENA):
        assert not any(text.encode() in item or text.encode("utf-16-le") in item for item in everything), text
    outbox = found["database"]["outbox"]
    assert len(outbox) == 1 and "1" in found["sync"]

    with app.extensions["survey.db"].sessions() as db:
        row = db.scalar(select(SealedResponse))
        assert row is not None and row.id == uuid.UUID(outbox[0]["id"]).hex
        record = unseal_response(row.id, STUDY, study.version, row.content, private_keys())
    answers = record["answers"]
    assert answers["household_size"] == 2 and answers["birth_year"] == 1984 and answers["arrival_year"] == 2015
    assert answers["household_members"] == [
        {"member_first_name": SARA, "member_birth_year": 1984},
        {"member_first_name": LENA, "member_birth_year": 2019},
    ]
    assert len(answers["home_languages"]) == 2 and answers["best_language"] in answers["home_languages"]
    # The server's own skip logic keeps every answer and walks the same pages.
    effective, route = flow.walk(study, answers)
    assert effective == answers
    assert record["pages"] == [page.id for page in route.pages]
    assert {"member_name.2", "member_birth.2", "best_language", "comment"} <= set(record["pages"])
    # The export works out each member's age (member_age) from the typed birth years.
    members = MemberRecords(study)
    day = datetime.date(2026, 12, 7)
    members.add("r1", answers, day, flow.asked_by_member(study, answers, day)[2])
    household = members.rosters[0]
    assert [row[:2] for row in household.rows] == [["r1", 1], ["r1", 2]]
    assert 42 in household.rows[0] and 7 in household.rows[1]
