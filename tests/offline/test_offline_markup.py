"""The offline pages repeat the server's markup: for every page of the every-type questionnaire (all
15 question types), the respondent block that survey/static/offline/render.js builds equals the one
the server renders for the same interview page (Arabic respondent, German interviewer; and the
handed-over page in Arabic only), element by element, attribute by attribute, text by text; and the
"Page X of Y" line above it, numbers in <bdi> as the template's `bdi()` puts them."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from survey import questionnaires
from survey.migrations import upgrade

from ..accounts.signin import PASSWORD, make_user
from ..browser.test_study_in_browser import shown_questions
from ..conftest import TEST_QUESTIONNAIRES, make_app
from ..journey import valid_post
from .conftest import InThread

pytestmark = pytest.mark.browser

EMAIL = "markup@example.org"

# A canonical form of an element: tag, sorted attributes, children; text with collapsed spaces.
CANONICAL = """(root) => {
  const canon = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.replace(/\\s+/gu, " ").trim();
      return text ? [text] : [];
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    const attributes = Array.from(node.attributes, (a) => `${a.name}=${a.value}`).sort();
    const children = Array.from(node.childNodes).flatMap(canon);
    const merged = [];
    for (const child of children) {
      if (typeof child === "string" && typeof merged.at(-1) === "string") merged[merged.length - 1] += " " + child;
      else merged.push(child);
    }
    return [{ tag: node.tagName.toLowerCase(), attributes, children: merged }];
  };
  return canon(root)[0];
}"""

OFFLINE_BLOCK = """async ([pageId, handedOver, withErrors, canonical, progress, answers, study, lang, il]) => {
  const { prepare, readPage, walk, visibleQuestions } = await import("/static/offline/flow.js");
  const { questionPage } = await import("/static/offline/render.js");
  const { findPage, pageAnswers, pipeSources } = await import("/static/offline/rosters.js");
  const data = await (await fetch("/offline/questionnaires/" + study)).json();
  const flow = prepare(data.logic);
  const { effective } = walk(flow, answers);
  const page = findPage(flow, pageId);
  const ctx = {
    lang, ui: handedOver ? lang : il, interviewerLanguage: il, texts: data.texts, calendars: data.calendars,
    directions: data.directions, display: data.display, defaultLanguage: data.logic.default_language,
    pipes: pipeSources(flow, pageAnswers(page, answers)),
  };
  const located = withErrors
    ? readPage(flow, page, answers, {}, { lang, catalog: data.messages[ctx.ui] }).errors
    : [];
  const built = questionPage(ctx, {
    page, questions: visibleQuestions(flow, page, effective), located, fields: {}, handedOver,
    progress, onSubmit: () => {},
  });
  const holder = document.createElement("div");
  holder.append(...built.filter(Boolean));
  window.offlineBlock = holder;
  const summary = holder.querySelector(".error-summary");
  return [
    eval(canonical)(holder.querySelector(".respondent")),
    summary ? eval(canonical)(summary) : null,
    eval(canonical)(holder.querySelector(".progress")),
  ];
}"""


@contextmanager
def serving(folder: Path, questionnaire_dir: Path, email: str = EMAIL) -> Iterator[tuple[str, Any]]:
    """A live server (SQLite in `folder`) with an interviewer account (`email`), for the
    questionnaires in `questionnaire_dir`."""
    app = make_app(
        f"sqlite:///{folder / 'survey.sqlite3'}",
        questionnaire_dir=questionnaire_dir,
        TESTING=False,
        SECRET_KEY="offline-markup-tests-secret-key-long",
    )
    upgrade(app.extensions["survey.db"].engine)
    make_user(app, email, ["interviewer"])
    running = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{running.server_port}", app
    finally:
        running.shutdown()
        app.extensions["survey.db"].dispose()


@pytest.fixture(scope="module")
def every_type_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with serving(tmp_path_factory.mktemp("markup"), TEST_QUESTIONNAIRES) as served:
        yield served


# The answers the server stores for the page about to be sent, read from its form by the offline
# runtime (the shared vectors prove both read a form alike): the offline block pipes them in.
SAVE_PAGE = """async ([pageId, answers, study]) => {
  const { prepare, readPage, savePage } = await import("/static/offline/flow.js");
  const { findPage } = await import("/static/offline/rosters.js");
  const data = await (await fetch("/offline/questionnaires/" + study)).json();
  const flow = prepare(data.logic);
  const page = findPage(flow, pageId);
  const posted = {};
  const form = new FormData(document.querySelector("main form"));
  for (const [name, value] of form) (posted[name] ||= []).push(String(value));
  const read = readPage(flow, page, answers, posted, { lang: "ar", catalog: data.messages.ar });
  return read.errors.length ? answers : savePage(flow, { answers, completed: [] }, page, read.answers).answers;
}"""


def answer(page: Any, question: Any) -> None:
    """Answer as a person would; "a little" trust in the police opens the page that asks why."""
    for name, value in valid_post(question, pick=1 if question.id == "trust" else 0):
        field = page.locator(f'[name="{name}"]').first
        if field.evaluate("e => e.type") in ("radio", "checkbox"):
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def read(page: Any, selector: str) -> Any:
    return page.evaluate(CANONICAL, page.locator(selector).element_handle())


def numbers(page: Any) -> list[str]:
    """The page's position and page count as the server shows them. The offline block is built
    without the interview's answers, so its route differs; the numbers themselves are compared by
    the shared vectors (progress), the markup around them here."""
    return [text.strip() for text in page.locator(".progress bdi").all_inner_texts()]


def go(page: Any, selector: str) -> None:
    """Click a control that loads a page and wait for the new page: a page that posts to itself
    keeps its URL, and what is read right after the click could be the page going away."""
    with page.expect_navigation():
        page.click(selector)


def compare_pages(
    browser: Any,
    url: str,
    study: Any,
    looked_at: Callable[[Any, str, dict[str, Any]], None] | None = None,
    languages: tuple[str, str] = ("ar", "de"),
    answering: Callable[[Any, Any], None] = answer,
    read_answers: dict[str, Any] | None = None,
    at_review: Callable[[Any, dict[str, Any]], None] | None = None,
    until: str | None = None,
) -> dict[str, Any]:
    """Each page's server and offline blocks, canonical, for a respondent and an interviewer of
    `languages`; `looked_at(page, page id, answers)` may look at each page as first shown, with
    the answers the offline runtime read so far; `read_answers` gets all it read, and
    `at_review(page, answers)` may act on the server's review page at the end. With `until`, the
    walk stops once that page is compared (first shown)."""
    # The offline block is built in the same page: the test reads both with one function.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    compared: dict[str, Any] = {}
    answers: dict[str, Any] = {}

    def send(page_id: str) -> None:
        nonlocal answers
        answers = page.evaluate(SAVE_PAGE, [page_id, answers, study.id])
        go(page, "button[name=continue]")

    try:
        page.goto(f"{url}/account/login")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        go(page, "main form button[type=submit]")
        page.goto(f"{url}/interview/")
        page.select_option("#questionnaire", study.id)
        page.select_option("#language", languages[0])
        page.select_option("#interviewer_language", languages[1])
        go(page, "main form button[type=submit]")
        while "/p/" in page.url:
            if page.locator(".to-respondent").count():
                go(page, ".to-respondent button")
            page_id = page.url.rsplit("/p/", 1)[1]
            handed_over = page.locator("aside.iv").count() == 0
            block = [page_id, handed_over, page_id in compared, CANONICAL, numbers(page), answers, study.id, *languages]
            if page_id in compared:  # sent empty: the same page with its error messages
                server = [read(page, ".respondent"), read(page, ".error-summary"), read(page, ".progress")]
                compared[page_id + " with errors"] = (server, page.evaluate(OFFLINE_BLOCK, block), handed_over)
            else:
                server = [read(page, ".respondent"), None, read(page, ".progress")]
                compared[page_id] = (server, page.evaluate(OFFLINE_BLOCK, block), handed_over)
                if page_id == until:
                    break
                if looked_at is not None:
                    looked_at(page, page_id, answers)
                send(page_id)
                if page.locator(".to-interviewer a").count():
                    go(page, ".to-interviewer a")
                continue  # the same page again if it needs an answer, else the next one
            for question in shown_questions(page, study.page(page_id)):
                answering(page, question)
            send(page_id)
            if page.locator(".to-interviewer a").count():
                go(page, ".to-interviewer a")
        if read_answers is not None:
            read_answers.update(answers)
        if at_review is not None:
            at_review(page, answers)
    finally:
        context.close()
    return compared


def tags(tree: Any) -> set[str]:
    if isinstance(tree, str):
        return set()
    return {tree["tag"]}.union(*(tags(child) for child in tree["children"]))


def first_difference(server: Any, offline: Any, path: str = "") -> str:
    """Where two canonical trees first differ, as a path of tags and the two sides there."""
    if isinstance(server, str) or isinstance(offline, str) or server["tag"] != offline["tag"]:
        return "" if server == offline else f"{path}: server {server!r} / offline {offline!r}"
    here = f"{path}/{server['tag']}"
    if server["attributes"] != offline["attributes"]:
        return f"{here}: server {server['attributes']} / offline {offline['attributes']}"
    for index, (left, right) in enumerate(zip(server["children"], offline["children"], strict=False)):
        found = first_difference(left, right, f"{here}[{index}]")
        if found:
            return found
    if len(server["children"]) != len(offline["children"]):
        return f"{here}: {len(server['children'])} children on the server, {len(offline['children'])} offline"
    return ""


def test_offline_pages_build_the_servers_markup_for_every_question_type(
    chromium: InThread, every_type_server: tuple[str, Any]
) -> None:
    url, app = every_type_server
    with app.app_context():
        study = questionnaires.get("every-type")
    assert study is not None
    compared = chromium.within(compare_pages, url, study)
    expected = {page.id for page in study.pages}
    assert set(compared) >= expected - {"job"}  # asked only of those who work
    assert any(handed_over for _, _, handed_over in compared.values())  # the sensitive page, alone
    assert len([name for name in compared if name.endswith(" with errors")]) >= 8
    assert "audio" in tags(compared["birth"][0][0])  # the recorded question, in Arabic
    # The municipality chosen before, piped into the scale's question in <bdi> (and into the German
    # interviewer's box, isolated by FSI/PDI), as the server shows it.
    assert "bdi" in tags(compared["feel"][0][0]) and "\u2068Friedberg\u2069" in json.dumps(
        compared["feel"][0][0], ensure_ascii=False
    )
    # "Page X of Y" with both numbers isolated in <bdi>, in the interviewer's language (Arabic when handed over).
    assert tags(compared["birth"][0][2]) == {"p", "bdi"}
    for page_id, (server, offline, _) in compared.items():
        for server_part, offline_part in zip(server, offline, strict=True):
            assert offline_part == server_part, f"{page_id}: {first_difference(server_part, offline_part)}"
