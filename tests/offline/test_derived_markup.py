"""The offline pages repeat the server's markup where computed values, rules, filtered lists, piped
texts and other calendars show, on every page of the `derived` questionnaire as it is: a valid_if
rule broken (error summary and the message at the question, in the respondent's language), a date
offered in three calendars, the first name piped into the next questions, computed values (age,
years here) piped into a note, a filtered list narrowed to the options chosen before, and a page
shown by a computed value. The Arabic respondent block built by render.js with flow.js equals the
server's, first shown and shown again with its messages, as in test_offline_markup.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import TEST_QUESTIONNAIRES
from .conftest import InThread
from .markup import assert_same_markup, go, offline_block, server_block, serving, start_interview, tags

pytestmark = pytest.mark.browser

EMAIL = "derived-markup@example.org"
NAME = "Amal"


@pytest.fixture(scope="module")
def derived_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("derived-markup"), TEST_QUESTIONNAIRES, EMAIL) as (url, _):
        yield url


# Page, fields to post, and the answers the server keeps from them (None: it shows the page again
# with the broken rule's message). The birthday is typed in the Gregorian calendar, one of three.
GREGORIAN = {"birth-calendar": ["gregorian"]}
STEPS: list[tuple[str, dict[str, list[str]], dict[str, Any] | None]] = [
    ("name", {"first_name": [NAME]}, {"first_name": NAME}),
    ("birth", GREGORIAN | {"birth-day": ["1"], "birth-month": ["1"], "birth-year": ["2999"]}, None),
    ("birth", GREGORIAN | {"birth-day": ["17"], "birth-month": ["5"], "birth-year": ["1990"]}, {"birth": "1990-05-17"}),
    ("arrival", {"arrival_year": ["1985"]}, None),
    ("arrival", {"arrival_year": ["2019"]}, {"arrival_year": 2019}),
    ("langs", {"langs": ["2", "3"]}, {"langs": [2, 3]}),
    ("best", {"best_lang": ["3"]}, {"best_lang": 3}),
    ("summary", {}, {}),
    ("adults", {"course": ["1"]}, {"course": 1}),  # adult, here for less than ten years
]


def post(page: Any, fields: dict[str, list[str]]) -> None:
    for name, values in fields.items():
        for value in values:
            field = page.locator(f'[name="{name}"]').first
            if field.get_attribute("type") in ("checkbox", "radio"):
                page.locator(f'[name="{name}"][value="{value}"]').check()
            else:
                field.fill(value)
    go(page, "button[name=continue]")


def compare(browser: Any, url: str) -> dict[str, Any]:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    compared: dict[str, Any] = {}
    try:
        start_interview(page, url, "derived", ("ar", "de"), EMAIL)
        kept: dict[str, Any] = {}
        for page_id, fields, keeps in STEPS:
            assert page.url.endswith(f"/p/{page_id}"), page.url
            if page_id not in compared:
                compared[page_id] = (server_block(page, False), offline_block(page, "derived", page_id, kept))
            post(page, fields)
            if keeps is None:
                assert page.url.endswith(f"/p/{page_id}"), page.url
                offline = offline_block(page, "derived", page_id, kept, posted=fields)
                compared[f"{page_id} with errors"] = (server_block(page, True), offline)
            else:
                kept.update(keeps)
        assert page.url.endswith("/review"), page.url
    finally:
        context.close()
    return compared


def test_every_page_with_rules_calendars_pipes_and_a_narrowed_list_builds_the_servers_markup(
    chromium: InThread, derived_server: str
) -> None:
    compared = chromium.within(compare, derived_server)
    pages = {"name", "birth", "arrival", "langs", "best", "summary", "adults"}
    assert set(compared) == pages | {"birth with errors", "arrival with errors"}
    shown = {name: json.dumps(parts[0], ensure_ascii=False) for name, parts in compared.items()}
    assert "العربية" in shown["best"] and "الإنجليزية" in shown["best"] and "الفارسية" not in shown["best"]
    # The rules' messages in the respondent's language, in the summary and at the question.
    assert "سنة الوصول قبل سنة ميلادك" in shown["arrival with errors"]
    assert "تاريخ الميلاد في المستقبل" in shown["birth with errors"]
    # Three calendars to choose from for the birthday; the name piped in <bdi>, into the note too.
    assert "gregorian" in shown["birth"] and "solar_hijri" in shown["birth"] and "ethiopian" in shown["birth"]
    assert NAME in shown["arrival"] and "bdi" in tags(compared["arrival"][0][0])
    assert NAME in shown["summary"] and "bdi" in tags(compared["summary"][0][0])
    assert_same_markup(compared)
