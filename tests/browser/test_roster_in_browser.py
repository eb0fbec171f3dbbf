"""A roster in Arabic in a real browser without JavaScript: two members with Latin names piped into
Arabic sentences (isolated with <bdi>), the review per member, one member changed, the response sent."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import private_keys
from .conftest import Live, new_page

pytestmark = pytest.mark.browser

THIS_YEAR = datetime.datetime.now(datetime.UTC).year


@pytest.fixture
def household_server(test_questionnaires: Live) -> tuple[str, Any]:
    return test_questionnaires.url, test_questionnaires.app


def answer(page, expected: str, **fields: str) -> None:
    """On the page `expected` (its id), fill text fields or check radios, then Continue."""
    assert page.url.endswith(f"/p/{expected}"), page.url
    for name, value in fields.items():
        radio = page.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
        else:
            page.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        page.locator("button[name=continue]").click()


def word_order(bdi) -> list[float]:
    """The left edge of each word of the isolated name, as laid out."""
    return bdi.evaluate(
        """e => e.textContent.split(' ').map(word => {
            const text = e.firstChild, at = text.data.indexOf(word), range = document.createRange();
            range.setStart(text, at); range.setEnd(text, at + word.length);
            return range.getBoundingClientRect().left; })"""
    )


def test_two_members_in_arabic_reviewed_changed_and_sent(browser, household_server, tmp_path: Path):
    url, app = household_server
    page = new_page(browser, javascript=False)
    page.goto(f"{url}/household/")
    page.locator('input[name="language"][value="ar"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    answer(page, "size", hh_size="2")
    answer(page, "member_name_page.1", member_name="Anna Maria")
    # Member 1's Latin name inside the Arabic question: isolated, its words left to right.
    heading = page.locator("h1")
    assert page.locator("html").get_attribute("dir") == "rtl"
    name = heading.locator("bdi")
    assert name.inner_text() == "Anna Maria" and heading.inner_text().startswith("في أي سنة ولد")
    assert name.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    first, second = word_order(name)
    assert first < second
    shot = tmp_path / "ar-roster-member-name.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
    answer(page, "member_born.1", member_birth_year="1980")
    assert f"({THIS_YEAR - 1980} " in page.locator("h1").inner_text()  # the member's computed age
    answer(page, "member_work_page.1", member_works="1")
    answer(page, "member_name_page.2", member_name="Ben Lee")
    assert page.locator("h1 bdi").inner_text() == "Ben Lee"
    answer(page, "member_born.2", member_birth_year=str(THIS_YEAR - 3))  # a child: no work page
    # After the roster: member 1 named in an Arabic sentence.
    assert page.locator("h1 bdi").inner_text() == "Anna Maria"
    answer(page, "childcare", childcare="1")
    answer(page, "relatives.0", relatives_more="2")
    answer(page, "end")
    assert page.url.endswith("/review")
    headings = page.locator(".member h2")
    assert headings.count() == 2
    assert headings.nth(1).locator("bdi").last.inner_text() == "Ben Lee"
    # Change member 2's name from the review: back to the review, the new name everywhere.
    with page.expect_navigation():
        page.locator('a[href$="/p/member_name_page.2?return_to=review"]').click()
    page.locator('[name="member_name"]').fill("Benjamin Lee")
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    assert page.url.endswith("/review")
    assert headings.nth(1).locator("bdi").last.inner_text() == "Benjamin Lee"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.locator("form[action$='/submit'] button").click()
    assert page.url.endswith("/done")
    page.context.close()
    with app.extensions["survey.db"].sessions() as session:
        # The server is shared with other browser tests: this questionnaire's one response.
        (row,) = session.query(SealedResponse).filter_by(questionnaire_id="household").all()
        record = unseal_response(row.id, row.questionnaire_id, row.questionnaire_version, row.content, private_keys())
    assert record["answers"]["members"] == [
        {"member_name": "Anna Maria", "member_birth_year": 1980, "member_works": 1},
        {"member_name": "Benjamin Lee", "member_birth_year": THIS_YEAR - 3},
    ]
    assert record["answers"]["hh_size"] == 2 and record["answers"]["relatives"] == []
    assert record["pages"][:6] == [
        "size",
        "member_name_page.1",
        "member_born.1",
        "member_work_page.1",
        "member_name_page.2",
        "member_born.2",
    ]


def test_member_pages_and_the_review_have_no_wcag_violations(browser, household_server, axe_script):
    from .test_accessibility import violations

    url, _ = household_server
    page = new_page(browser, javascript=True, bypass_csp=True)  # for axe only; the pages use none
    page.goto(f"{url}/household/")
    page.locator('input[name="language"][value="ar"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    answer(page, "size", hh_size="1")
    answer(page, "member_name_page.1", member_name="Anna Maria")
    assert violations(page, axe_script) == []
    answer(page, "member_born.1", member_birth_year="1980")
    answer(page, "member_work_page.1", member_works="2")
    assert violations(page, axe_script) == []  # the "add another?" page
    answer(page, "relatives.0", relatives_more="1")
    answer(page, "relative.1", relative_name="Omar", relative_contact="1")
    answer(page, "relatives.1", relatives_more="2")
    answer(page, "end")
    assert page.url.endswith("/review") and page.locator("form[action*='/remove/relatives/1'] button").count() == 1
    assert violations(page, axe_script) == []
    page.context.close()
