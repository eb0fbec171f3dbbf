"""Language switch mid-way, an assisted interview with hand-over, and a researcher's export download."""

from __future__ import annotations

import io
import zipfile

import pytest

from ..conftest import ROOT, TEST_PASSPHRASE, study_keys
from .conftest import new_page
from .test_accessibility import STUDY, staff_page
from .test_study_in_browser import fill, shown_questions

pytestmark = pytest.mark.browser


def test_language_switch_mid_way_keeps_the_answers(browser, live_server):
    page = new_page(browser, javascript=False)
    page.goto(f"{live_server}/{STUDY.id}/")
    page.locator('input[name="language"][value="de"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    page.locator('input[name="consent"]').check()
    page.locator("button[name=continue]").click()
    page.fill('input[name="birth_year"]', "1984")
    page.locator('input[name="gender"]').first.check()
    page.locator("button[name=continue]").click()
    page.goto(f"{live_server}/{STUDY.id}/p/about_you")
    page.locator("#languages summary").click()  # the switch is part of the page's form (issue 18)
    page.locator('#languages button[value="ar"]').click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.input_value('input[name="birth_year"]') == "1984"
    page.context.close()


def test_assisted_interview_with_hand_over(browser, live):
    page = staff_page(browser, live, ["interviewer"], "iv-browser@example.org")
    page.goto(f"{live.url}/interview/")
    page.select_option("#questionnaire", STUDY.id)
    page.select_option("#language", "ar")
    page.select_option("#interviewer_language", "de")
    page.locator("form button[type=submit]").first.click()
    assert page.locator(".respondent").get_attribute("dir") == "rtl"
    assert page.locator("aside.iv").first.get_attribute("lang") == "de"
    handed_over = False
    for _ in range(80):
        if "/p/" not in page.url:
            break
        if page.locator(".handover").count():
            handed_over = True
            with page.expect_navigation():
                page.locator("form button[type=submit]").click()
            assert page.locator("aside.iv").count() == 0  # the interviewer's view is hidden
        page_id = page.url.rsplit("/p/", 1)[1].split("?")[0]
        for question in shown_questions(page, STUDY.page(page_id)):
            fill(page, question)
        with page.expect_navigation():
            page.locator("button[name=continue]").click()
        if page.locator("button[name=continue]").count() == 0 and page.locator("main a.button").count():
            with page.expect_navigation():
                page.locator("main a.button").click()  # the respondent hands the device back
    assert handed_over and page.url.endswith("/review")
    with page.expect_navigation():
        page.locator("form[action$='/submit'] button").click()
    assert page.url.endswith("/done")
    page.context.close()


def message(language: str, msgid: str) -> str:
    from babel.messages.pofile import read_po

    from survey.i18n.languages import babel_locale_name

    path = ROOT / "translations" / babel_locale_name(language) / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle)[msgid].string


def block(locator) -> tuple[str | None, str | None]:
    return locator.get_attribute("lang"), locator.get_attribute("dir")


@pytest.mark.parametrize(("respondent", "direction"), [("ps", "rtl"), ("ti", "ltr")])
def test_hand_over_and_back_address_each_person_in_their_language(browser, live, respondent, direction):
    page = staff_page(browser, live, ["interviewer"], f"iv-{respondent}@example.org")
    page.goto(f"{live.url}/interview/")
    page.select_option("#questionnaire", STUDY.id)
    page.select_option("#language", respondent)
    page.select_option("#interviewer_language", "de")
    page.locator("form button[type=submit]").first.click()
    for _ in range(20):
        if page.locator(".handover").count():
            break
        page_id = page.url.rsplit("/p/", 1)[1]
        for question in shown_questions(page, STUDY.page(page_id)):
            fill(page, question)
        with page.expect_navigation():
            page.locator("button[name=continue]").click()
    # Hand-over: the interviewer reads German; the respondent presses a button in their language.
    assert block(page.locator("html")) == ("de", "ltr")
    to_interviewer = page.locator(".handover")
    assert block(to_interviewer) == ("de", "ltr")
    assert to_interviewer.locator("h1").inner_text() == message("de", "Hand the device to the respondent")
    to_respondent = page.locator("form.to-respondent")
    assert block(to_respondent) == (respondent, direction)
    assert to_respondent.locator("button").inner_text() == message(respondent, "I have the device: continue")
    with page.expect_navigation():
        to_respondent.locator("button").click()
    assert block(page.locator("html")) == (respondent, direction)
    page_id = page.url.rsplit("/p/", 1)[1]
    for question in shown_questions(page, STUDY.page(page_id)):
        fill(page, question)
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    # Hand-back: the respondent reads their language; the interviewer presses a German button.
    assert block(page.locator("html")) == (respondent, direction)
    thanks = page.locator("main .panel")
    assert block(thanks) == (respondent, direction)
    assert thanks.inner_text().strip() == message(
        respondent, "Thank you. Please hand the device back to the interviewer."
    )
    to_interviewer = page.locator(".to-interviewer")
    assert block(to_interviewer) == ("de", "ltr")
    assert to_interviewer.locator("a.button").inner_text() == message("de", "I am the interviewer: continue")
    with page.expect_navigation():
        to_interviewer.locator("a.button").click()
    assert block(page.locator("html")) == ("de", "ltr") and page.locator("aside.iv").count()
    page.context.close()


def test_researcher_downloads_an_export(browser, live):
    from survey.respond import synthetic

    with live.app.extensions["survey.db"].sessions() as session:
        synthetic.store(
            session,
            live.app.extensions["survey.questionnaires"][STUDY.id],
            live.app.extensions["survey.study_key"],
            40,
            seed=5,
        )
    page = staff_page(browser, live, ["researcher"], "res-browser@example.org")
    page.goto(f"{live.url}/research/export")
    page.select_option("#questionnaire", STUDY.id)
    page.fill("#k", "2")
    page.fill("#max_suppression", "0.5")
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    page.set_input_files("#key", str(private_file))
    page.fill("#passphrase", TEST_PASSPHRASE)
    with page.expect_download() as download:
        page.locator("form button[type=submit]").click()
    from pathlib import Path

    names = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())).namelist()
    assert {"wetterau-integration.csv", "wetterau-integration.sav", "codebook.html", "manifest.json"} <= set(names)
    page.context.close()
