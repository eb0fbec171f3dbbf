"""A roster interview offline in Chromium against a live server: prepare, switch the network off, ask
about two household members (counted by an earlier answer; the second too young for the work page)
and two relatives ("add another?", the first with a hand-over for the personal question), reload the
browser on a member page, remove a relative on the review, send, sync. The server's vault opens the
record to the typed member answers in the server's shape, the server's skip logic keeps every one of
them, and the export reads the member rows; IndexedDB never held a typed name in plain text."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from survey import questionnaires
from survey.export.members import MemberRecords
from survey.respond import flow
from survey.respond.models import Paradata
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import ROOT, private_keys
from .conftest import InThread
from .markup import serving
from .test_offline_interviews import DUMP_DATABASE, Server, continue_, offline_device, send_and_sync, stored_bytes

pytestmark = pytest.mark.browser

EMAIL = "roster-outreach@example.org"
STUDY = "household-offline"
OLENA, MYRON, JOB = "Олена", "Мирон", "Лікарка"
AHMED, IVAN, COMMENT = "Ахмед", "Іван", "Дякую"
TYPED = (OLENA, MYRON, JOB, AHMED, IVAN, COMMENT)


@pytest.fixture(scope="module")
def roster_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = ROOT / "tests" / "data" / "offline-rosters"
    with serving(tmp_path_factory.mktemp("roster-offline"), folder, EMAIL) as (url, app):
        yield Server(url, app)


def answer(page: Any, wait_for: str, **fields: str) -> None:
    """On the page showing `wait_for`, type into text fields, choose radios (`name=index`) or a list
    entry, then Continue."""
    page.wait_for_selector(wait_for)
    for name, value in fields.items():
        field = page.locator(f'[name="{name}"]').first
        kind = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind == "input:radio":
            page.check(f"#{name}-{value}")
        elif kind.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)
    continue_(page)


def roster_interview(browser: Any, url: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with offline_device(browser, url, EMAIL) as (context, page, problems):
        page.select_option("#questionnaire", STUDY)
        page.select_option("#language", "uk")
        page.select_option("#interviewer_language", "de")
        page.click("form:has(#language) button[type=submit]")
        answer(page, "#hh_size", hh_size="2")
        page.wait_for_selector("#member_name")
        found["member_progress"] = page.inner_text(".progress")
        answer(page, "#member_name", member_name=OLENA)
        answer(page, "#member_birth_year", member_birth_year="1985")
        answer(page, "#member_works-0", member_works="0")
        answer(page, "#member_job", member_job=JOB)
        answer(page, "#member_name", member_name=MYRON)
        page.wait_for_selector("#member_birth_year")
        continue_(page)  # nothing entered: the error summary on member 2's page
        page.wait_for_selector(".error-summary")
        found["member_error"] = page.get_attribute(".error-summary a", "href")
        found["draft"] = page.evaluate(DUMP_DATABASE)
        page.reload()  # the browser reloads on a member's page: the sealed draft resumes there
        answer(page, "#member_birth_year", member_birth_year="2016")  # too young: no work page
        answer(page, "#others_help-1", others_help="1")
        page.wait_for_selector("#relatives_more-0")
        found["add_heading"] = page.inner_text(".respondent h1")
        answer(page, "#relatives_more-0", relatives_more="0")
        answer(page, "#relative_name", relative_name=AHMED, relative_country="SY")
        page.wait_for_selector(".handover")  # the personal question of a member: the device goes over
        page.click(".to-respondent button")
        found["handed_iv"] = page.locator("aside.iv").count()
        answer(page, "#relative_contact-0", relative_contact="0")
        page.wait_for_selector(".to-interviewer a")
        page.click(".to-interviewer a")
        answer(page, "#relatives_more-0", relatives_more="0")
        answer(page, "#relative_name", relative_name=IVAN, relative_country="DE")  # in Germany: not asked
        answer(page, "#relatives_more-1", relatives_more="1")
        answer(page, "#comment", comment=COMMENT)
        page.wait_for_selector("#send")
        found["headings"] = page.locator("div.member h2").all_inner_texts()
        page.click(f"div.member:has-text('{AHMED}') button")  # remove the first relative
        page.wait_for_function("() => document.querySelectorAll('div.member').length === 3")
        found["headings_after"] = page.locator("div.member h2").all_inner_texts()
        found["add_link"] = page.inner_text("p.add-member")
        # "Change" on the review: the page again, then back to the review (not on to the next page).
        page.click(f"div.member:has-text('{OLENA}') + dl.summary dd.change a >> nth=0")  # her first answer
        page.wait_for_selector("#member_name")
        continue_(page)
        page.wait_for_selector("#send")
        found["after_change"] = [page.locator("#member_birth_year").count(), page.locator("div.member").count()]
        found["database"], found["sync"] = send_and_sync(context, page)
    found["problems"] = problems
    return found


def test_a_roster_interview_offline_opens_on_the_server_to_the_typed_member_answers(
    chromium: InThread, roster_server: Server
) -> None:
    found = chromium.within(roster_interview, roster_server.url)
    assert found["problems"] == []
    assert found["member_error"] == "#member_birth_year"
    assert found["add_heading"] == "Родичі за кордоном"  # the roster's title on "add another?"
    assert found["handed_iv"] == 0
    assert found["headings"] == [
        f"Члени домогосподарства: Person 1 – {OLENA}",
        f"Члени домогосподарства: Person 2 – {MYRON}",
        f"Родичі за кордоном: Person 1 – {AHMED}",
        f"Родичі за кордоном: Person 2 – {IVAN}",
    ]
    assert found["headings_after"][2:] == [f"Родичі за кордоном: Person 1 – {IVAN}"]
    assert found["add_link"] == "Eine Person zu dieser Liste hinzufügen: Родичі за кордоном"
    assert found["after_change"] == [0, 3]  # back on the review with its three members, as the server goes
    for dump in (found["draft"], found["database"]):
        everything = stored_bytes(dump)
        for text in TYPED:
            assert not any(text.encode() in item or text.encode("utf-16-le") in item for item in everything), text
    outbox = found["database"]["outbox"]
    assert len(outbox) == 1 and not found["database"]["drafts"]
    assert "1" in found["sync"]

    app = roster_server.app
    with app.extensions["survey.db"].sessions() as db:
        row = db.scalar(select(SealedResponse))
        assert row is not None and row.id == uuid.UUID(outbox[0]["id"]).hex
        record = unseal_response(row.id, STUDY, "1.0", row.content, private_keys())
        paradata = db.scalar(select(Paradata).where(Paradata.response_id == row.id))
    assert paradata is not None and paradata.mode == "assisted offline" and paradata.languages == "uk,de"
    answers = record["answers"]
    assert answers == {
        "hh_size": 2,
        "members": [
            {"member_name": OLENA, "member_birth_year": 1985, "member_works": 1, "member_job": JOB},
            {"member_name": MYRON, "member_birth_year": 2016},
        ],
        "others_help": 2,
        "relatives": [{"relative_name": IVAN, "relative_country": "DE"}],
        "comment": COMMENT,
    }
    # The server's own skip logic keeps every answer and walks the same pages.
    with app.app_context():
        study = questionnaires.get(STUDY)
    assert study is not None
    # "Page X of Y" counts member pages as the server does (the route with only the count answered).
    position, total = flow.walk(study, {"hh_size": 2})[1].progress("member_name_page.1")
    assert found["member_progress"] == f"Seite {position} von {total}" and (position, total) == (2, 8)
    effective, route = flow.walk(study, answers)
    assert effective == answers
    assert record["pages"] == [page.id for page in route.pages]
    assert "member_born.2" in record["pages"] and "member_work_page.2" not in record["pages"]
    # Seconds for every page saved, under the numbers the pages had then (a relative was removed since).
    assert set(record["pages"]) < set(record["page_seconds"])
    gone = {"relatives.0", "relative_contact_page.1", "relative.2", "relatives.2"}
    assert set(record["page_seconds"]) - set(record["pages"]) == gone
    # The export reads the members: one row per member, numbered, with the birth years typed.
    members = MemberRecords(study)
    day = datetime.date(2026, 12, 7)
    members.add("r1", answers, day, flow.asked_by_member(study, answers, day)[2])
    household = members.rosters[0]
    assert [row[:2] for row in household.rows] == [["r1", 1], ["r1", 2]]
    assert 1985 in household.rows[0] and 2016 in household.rows[1]
