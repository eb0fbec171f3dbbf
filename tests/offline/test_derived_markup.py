"""The offline pages repeat the server's markup where computed values, rules and filtered lists show:
a valid_if rule broken (error summary and the message at the question, in the respondent's
language) and a filtered list narrowed to the options chosen before. The `derived` questionnaire is
served here without its other calendars and piped texts, which the runtime does not have yet; the
Arabic respondent block built by render.js with flow.js equals the server's, as in
test_offline_markup.py."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from survey.migrations import upgrade

from ..accounts.signin import PASSWORD, make_user
from ..conftest import TEST_QUESTIONNAIRES, make_app
from .conftest import InThread
from .test_not_offline import _without
from .test_offline_markup import CANONICAL, first_difference, go, numbers, read

pytestmark = pytest.mark.browser

EMAIL = "derived-markup@example.org"

OFFLINE_BLOCK = """async ([pageId, answers, posted, canonical, progress]) => {
  const { prepare, readPage, walk, visibleQuestions } = await import("/static/offline/flow.js");
  const { questionPage } = await import("/static/offline/render.js");
  const data = await (await fetch("/offline/questionnaires/derived")).json();
  const flow = prepare(data.logic);
  const { effective } = walk(flow, answers);
  const page = flow.pages.find((item) => item.id === pageId);
  const ctx = {
    lang: "ar", ui: "de", interviewerLanguage: "de", texts: data.texts,
    directions: data.directions, display: data.display, defaultLanguage: data.logic.default_language,
  };
  const located = posted
    ? readPage(flow, page, answers, posted, { lang: "ar", catalog: data.messages[ctx.ui] }).errors
    : [];
  const built = questionPage(ctx, {
    page, questions: visibleQuestions(flow, page, effective), located, fields: posted || {}, handedOver: false,
    progress, onSubmit: () => {},
  });
  const holder = document.createElement("div");
  holder.append(...built.filter(Boolean));
  const summary = holder.querySelector(".error-summary");
  return [
    eval(canonical)(holder.querySelector(".respondent")),
    summary ? eval(canonical)(summary) : null,
    eval(canonical)(holder.querySelector(".progress")),
  ];
}"""


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
    app = make_app(
        f"sqlite:///{Path(folder) / 'survey.sqlite3'}",
        questionnaire_dir=folder,
        TESTING=False,
        SECRET_KEY="offline-derived-markup-secret-key-long",
    )
    upgrade(app.extensions["survey.db"].engine)
    make_user(app, EMAIL, ["interviewer"])
    running = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{running.server_port}"
    running.shutdown()
    app.extensions["survey.db"].dispose()


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
        page.goto(f"{url}/account/login")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        go(page, "main form button[type=submit]")
        page.goto(f"{url}/interview/")
        page.select_option("#questionnaire", "derived")
        page.select_option("#language", "ar")
        page.select_option("#interviewer_language", "de")
        go(page, "main form button[type=submit]")
        kept: dict[str, Any] = {}
        for page_id, fields, keeps in STEPS:
            assert page.url.endswith(f"/p/{page_id}"), page.url
            post(page, fields)
            if keeps is None:
                assert page.url.endswith(f"/p/{page_id}"), page.url
                server = [read(page, ".respondent"), read(page, ".error-summary"), read(page, ".progress")]
                offline = page.evaluate(OFFLINE_BLOCK, [page_id, kept, fields, CANONICAL, numbers(page)])
                compared[f"{page_id} with errors"] = (server, offline)
            else:
                kept.update(keeps)
        assert page.url.endswith("/p/best"), page.url
        server = [read(page, ".respondent"), None, read(page, ".progress")]
        compared["best"] = (server, page.evaluate(OFFLINE_BLOCK, ["best", kept, None, CANONICAL, numbers(page)]))
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
    for name, (server, offline) in compared.items():
        for server_part, offline_part in zip(server, offline, strict=True):
            assert offline_part == server_part, f"{name}: {first_difference(server_part, offline_part)}"
