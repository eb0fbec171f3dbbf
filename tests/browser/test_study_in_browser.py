"""The whole study in a real browser at phone width, without JavaScript."""

from __future__ import annotations

import pytest

from survey.questionnaires.loader import load_file

from ..conftest import ROOT
from ..journey import valid_post
from .conftest import new_page

pytestmark = pytest.mark.browser

STUDY = load_file(ROOT / "questionnaires" / "wetterau-integration.json")[0]


def fill(page, question) -> None:
    """Answer one question through its inputs, as a person would."""
    type_in(page, valid_post(question))


def type_in(page, values) -> None:
    """Put each (field name, value) into the page's form: check a radio or checkbox, choose in a
    list, type into anything else."""
    for name, value in values:
        field = page.locator(f'[name="{name}"]').first
        kind = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind in ("input:radio", "input:checkbox"):
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)


def shown_questions(page, page_spec):
    names = set(page.eval_on_selector_all("form [name]", "els => els.map(e => e.name)"))
    return [q for q in page_spec.questions if any(name in names for name in q.field_names())]


def thank_you(language: str) -> str:
    from babel.messages.pofile import read_po

    from survey.i18n.languages import babel_locale_name

    path = ROOT / "translations" / babel_locale_name(language) / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle)["Thank you"].string


@pytest.mark.parametrize("language", ["ar", "de", "ti"])
def test_whole_study_without_javascript_at_360_px(browser, live_server, language):
    page = new_page(browser, javascript=False)
    page.goto(f"{live_server}/{STUDY.id}/")
    page.locator(f'input[name="language"][value="{language}"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    direction = "rtl" if language == "ar" else "ltr"
    pages_seen = 0
    while "/p/" in page.url:
        pages_seen += 1
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == direction
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"scrolls sideways: {page.url}"
        page_id = page.url.rsplit("/p/", 1)[1]
        for question in shown_questions(page, STUDY.page(page_id)):
            fill(page, question)
        with page.expect_navigation():
            page.locator("button[name=continue]").click()
        assert page.locator(".error-summary").count() == 0, page.url
    assert page.url.endswith("/review") and pages_seen >= 30
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.locator("form[action$='/submit'] button").click()
    assert page.url.endswith("/done")
    assert page.locator("h1").inner_text() == thank_you(language)
    page.context.close()


def test_error_summary_links_to_the_field_in_arabic(browser, live_server):
    page = new_page(browser, javascript=False)
    page.goto(f"{live_server}/{STUDY.id}/")
    page.locator('input[name="language"][value="ar"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    page.locator("button[name=continue]").click()  # consent not given
    summary = page.locator(".error-summary a")
    assert summary.count() == 1
    assert page.title().startswith("خطأ")
    target = summary.first.get_attribute("href")
    assert page.locator(target).count() == 1
    page.context.close()


def test_a_solar_hijri_month_typed_in_persian_digits_comes_back_as_its_gregorian_month(browser, live_server):
    page = new_page(browser, javascript=False)
    page.goto(f"{live_server}/{STUDY.id}/")
    page.locator('input[name="language"][value="fa"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    while not page.url.endswith("/p/wetterau_since"):
        for question in shown_questions(page, STUDY.page(page.url.rsplit("/p/", 1)[1])):
            fill(page, question)
        with page.expect_navigation():
            page.locator("button[name=continue]").click()
    # The month key opens without JavaScript: Farvardin is month ۱.
    key = page.locator("details", has_text="ماه‌های تقویم هجری شمسی")
    key.locator("summary").click()
    assert key.locator("li", has_text="فروردین").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator('input[name="wetterau_since-calendar"][value="solar_hijri"]').check()
    page.locator('[name="wetterau_since-month"]').fill("۱")
    page.locator('[name="wetterau_since-year"]').fill("۱۳۹۹")
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    assert page.locator(".error-summary").count() == 0
    page.goto(f"{live_server}/{STUDY.id}/p/wetterau_since")
    # Stored as 2020-04 (the middle of Farvardin 1399 is in April 2020) and shown in the Gregorian calendar.
    assert page.locator('input[name="wetterau_since-calendar"][value="gregorian"]').is_checked()
    assert page.locator('[name="wetterau_since-month"]').input_value() == "4"
    assert page.locator('[name="wetterau_since-year"]').input_value() == "2020"
    page.context.close()
