"""Languages in a real browser: the language switch keeps what a page has not sent yet, and the shipped
fonts load on a phone that lacks the script (a Chromium that sees no Noto fonts) and only then."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM_ARGS, chromium_path, new_page
from .test_study_in_browser import STUDY, fill, shown_questions

pytestmark = pytest.mark.browser

SHIPPED_FONT = re.compile(r"/static/fonts/[a-z-]+-\d00\.[0-9a-f]+\.woff2$")


def start(page, base: str, language: str) -> None:
    page.goto(f"{base}/{STUDY.id}/")
    page.locator(f'input[name="language"][value="{language}"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()


def answer_until(page, page_id: str) -> None:
    while not page.url.endswith(f"/p/{page_id}"):
        current = page.url.rsplit("/p/", 1)[1]
        for question in shown_questions(page, STUDY.page(current)):
            fill(page, question)
        with page.expect_navigation():
            page.locator("button[name=continue]").click()


def test_language_switch_keeps_the_choice_not_yet_sent(browser, live_server):
    page = new_page(browser, javascript=False)
    start(page, live_server, "uk")
    answer_until(page, "municipality")
    page.select_option("#municipality", "4")
    page.locator("#languages summary").click()
    with page.expect_navigation():
        page.locator('button[name="switch_language"][value="ti"]').click()
    assert page.url.endswith("/p/municipality")
    assert page.locator("html").get_attribute("lang") == "ti"
    assert page.locator("#municipality").input_value() == "4"  # the choice survived the switch
    assert page.locator(".error-summary").count() == 0
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    # Since when in the Wetteraukreis: typed in the Ethiopian calendar, Meskerem 2013 (September 2020).
    assert page.url.endswith("/p/wetterau_since")
    page.locator('input[name="wetterau_since-calendar"][value="ethiopian"]').check()
    page.locator('[name="wetterau_since-month"]').fill("1")
    page.locator('[name="wetterau_since-year"]').fill("2013")
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    assert page.url.endswith("/p/household")
    page.locator("#household_size").fill("3")
    with page.expect_navigation():
        page.locator("#household_size").press("Enter")  # Enter in a text box still means Continue
    # The household roster comes next: the first of the three people is asked about first.
    assert page.url.endswith("/p/member_name.1") and page.locator("html").get_attribute("lang") == "ti"
    page.goto(f"{live_server}/{STUDY.id}/p/municipality")
    assert page.locator("#municipality").input_value() == "4"  # saved when Continue was pressed
    page.goto(f"{live_server}/{STUDY.id}/p/wetterau_since")  # stored as 2020-09, shown in the Gregorian calendar
    assert page.locator('input[name="wetterau_since-calendar"][value="gregorian"]').is_checked()
    assert page.locator('[name="wetterau_since-month"]').input_value() == "9"
    assert page.locator('[name="wetterau_since-year"]').input_value() == "2020"
    page.context.close()


@pytest.fixture(scope="module")
def fontless_browser(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Chromium on a device without Ethiopic or Arabic fonts: fontconfig sees Liberation only."""
    folder = tmp_path_factory.mktemp("fonts")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/liberation</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    assert Path("/usr/share/fonts/truetype/liberation").is_dir()
    instance = browser.browser_type.launch(  # type: ignore[attr-defined]
        executable_path=chromium_path(), args=CHROMIUM_ARGS, env={"FONTCONFIG_FILE": str(config), "HOME": str(folder)}
    )
    yield instance
    instance.close()


def fonts_fetched(page) -> list[str]:
    return page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/static/fonts/'))"
    )


def faces(page, family: str) -> list[str]:
    """The status of each @font-face of `family` ('unloaded' until a page needs it)."""
    return page.evaluate(
        "family => document.fonts.ready.then(set => [...set].filter(f => f.family.replaceAll('\"', '') === family)"
        ".map(f => f.weight + ':' + f.status))",
        family,
    )


def test_tigrinya_page_loads_and_uses_the_shipped_ethiopic_face(fontless_browser, live_server):
    page = new_page(fontless_browser, javascript=True)
    start(page, live_server, "ti")
    assert page.locator("html").get_attribute("lang") == "ti"
    statuses = faces(page, "Survey Ethiopic")
    assert "400:loaded" in statuses and "700:loaded" in statuses  # text and headings
    fetched = fonts_fetched(page)
    assert any("/static/fonts/ethiopic-400." in url and SHIPPED_FONT.search(url) for url in fetched)
    assert not any("/static/fonts/arabic-extra" in url for url in fetched)
    heading = page.locator("h1, legend, label").first.inner_text()
    assert re.search("[\u1200-\u137f]", heading)
    assert page.evaluate("text => document.fonts.check('16px \"Survey Ethiopic\"', text)", heading)
    # Drawn with the shipped face: other widths than the fallback's boxes.
    width = "([text, family]) => { const c = document.createElement('canvas').getContext('2d');"
    width += " c.font = '16px ' + family; return c.measureText(text).width; }"
    assert page.evaluate(width, [heading, '"Survey Ethiopic"']) != page.evaluate(width, [heading, "monospace"])
    page.context.close()


def test_pashto_page_loads_only_the_arabic_extras(fontless_browser, live_server):
    page = new_page(fontless_browser, javascript=True)
    start(page, live_server, "ps")
    assert "ۍ" in page.content() or "ې" in page.content()
    fetched = fonts_fetched(page)
    assert any("/static/fonts/arabic-extra-400." in url for url in fetched)
    assert not any("/static/fonts/ethiopic" in url for url in fetched)
    page.context.close()


def test_german_page_fetches_no_shipped_font(fontless_browser, live_server):
    page = new_page(fontless_browser, javascript=True)
    start(page, live_server, "de")
    answer_until(page, "about_you")
    assert page.locator("html").get_attribute("lang") == "de"
    assert set(faces(page, "Survey Ethiopic")) == {"400:unloaded", "700:unloaded"}
    assert set(faces(page, "Survey Arabic")) == {"400:unloaded", "700:unloaded"}
    assert fonts_fetched(page) == []
    page.context.close()
