"""Piped values in another script than the page: a Latin name inside an Arabic question reads in its own
direction, isolated from the Arabic around it (a screenshot is kept for people to look at)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Live, new_page

pytestmark = pytest.mark.browser


@pytest.fixture
def derived_server(test_questionnaires: Live) -> str:
    return test_questionnaires.url


def test_latin_name_inside_an_arabic_question_reads_left_to_right(browser, derived_server, tmp_path: Path):
    page = new_page(browser, javascript=False)
    page.goto(f"{derived_server}/derived/")
    page.locator('input[name="language"][value="ar"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    page.locator('[name="first_name"]').fill("Maria Schmidt (2)")
    page.locator("button[name=continue]").click()
    page.locator("#birth-calendar-0").check()
    for name, value in (("birth-day", "15"), ("birth-month", "1"), ("birth-year", "1990")):
        page.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    assert page.url.endswith("/p/arrival")
    heading = page.locator("h1")
    name = heading.locator("bdi")
    assert name.inner_text() == "Maria Schmidt (2)"
    assert name.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    # Inside the isolate the name keeps its own order: "Maria" left of "Schmidt", the bracket after it.
    boxes = name.evaluate(
        """e => ['Maria', 'Schmidt', '(2)'].map(word => {
            const text = e.firstChild, at = text.data.indexOf(word), range = document.createRange();
            range.setStart(text, at); range.setEnd(text, at + word.length);
            return range.getBoundingClientRect().left; })"""
    )
    assert boxes[0] < boxes[1] < boxes[2]
    # The name is the sentence's first word: in a right-to-left line it stands at the right edge.
    name_box, heading_box = name.bounding_box(), heading.bounding_box()
    assert abs((name_box["x"] + name_box["width"]) - (heading_box["x"] + heading_box["width"])) < 2
    shot = tmp_path / "ar-piped-latin-name.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
    page.context.close()
