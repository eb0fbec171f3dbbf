"""The offline pages repeat the server's markup where computed values, rules and filtered lists show:
a valid_if rule broken (error summary and the message at the question, in the respondent's
language) and a filtered list narrowed to the options chosen before. The `derived` questionnaire is
served here without its other calendars and piped texts, which the runtime does not have yet; the
Arabic respondent block built by render.js with flow.js equals the server's, as in
test_offline_markup.py."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import TEST_QUESTIONNAIRES
from .conftest import InThread
from .markup import assert_same_markup, go, offline_block, server_block, serving, start_interview
from .test_not_offline import _without

pytestmark = pytest.mark.browser

EMAIL = "derived-markup@example.org"


def _unpiped(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _unpiped(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_unpiped(value) for value in data]
    if isinstance(data, str):
        return re.sub(r"\{\{[^}]*\}\}[,،]? ?", "", data)
    return data


@pytest.fixture(scope="module")
def derived_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("derived-markup")
    data = json.loads((TEST_QUESTIONNAIRES / "derived.json").read_text(encoding="utf-8"))
    _without(data, "calendars")
    (folder / "derived.json").write_text(json.dumps(_unpiped(data), ensure_ascii=False), encoding="utf-8")
    with serving(folder, folder, EMAIL) as (url, _):
        yield url


# Page, fields to post, and the answer the server keeps from them (None: it shows the page again
# with the broken rule's message).
STEPS: list[tuple[str, dict[str, list[str]], dict[str, Any] | None]] = [
    ("name", {"first_name": ["Amal"]}, {"first_name": "Amal"}),
    ("birth", {"birth-day": ["1"], "birth-month": ["1"], "birth-year": ["2999"]}, None),
    ("birth", {"birth-day": ["17"], "birth-month": ["5"], "birth-year": ["1990"]}, {"birth": "1990-05-17"}),
    ("arrival", {"arrival_year": ["1985"]}, None),
    ("arrival", {"arrival_year": ["2019"]}, {"arrival_year": 2019}),
    ("langs", {"langs": ["2", "3"]}, {"langs": [2, 3]}),
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
            post(page, fields)
            if keeps is None:
                assert page.url.endswith(f"/p/{page_id}"), page.url
                server = server_block(page, True)
                compared[f"{page_id} with errors"] = (
                    server,
                    offline_block(page, "derived", page_id, kept, posted=fields),
                )
            else:
                kept.update(keeps)
        assert page.url.endswith("/p/best"), page.url
        compared["best"] = (server_block(page, False), offline_block(page, "derived", "best", kept))
    finally:
        context.close()
    return compared


def test_broken_rules_and_a_narrowed_list_build_the_servers_markup(chromium: InThread, derived_server: str) -> None:
    compared = chromium.within(compare, derived_server)
    assert set(compared) == {"birth with errors", "arrival with errors", "best"}
    best = json.dumps(compared["best"][0][0], ensure_ascii=False)
    assert "العربية" in best and "الإنجليزية" in best and "الفارسية" not in best  # only those chosen
    # The rules' messages in the respondent's language, in the summary and at the question.
    assert "سنة الوصول قبل سنة ميلادك" in json.dumps(compared["arrival with errors"][0], ensure_ascii=False)
    assert "تاريخ الميلاد في المستقبل" in json.dumps(compared["birth with errors"][0], ensure_ascii=False)
    assert_same_markup(compared)
