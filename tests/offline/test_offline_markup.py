"""The offline pages repeat the server's markup: for every page of the every-type questionnaire (all
15 question types), the respondent block that survey/static/offline/render.js builds equals the one
the server renders for the same interview page (Arabic respondent, German interviewer; and the
handed-over page in Arabic only), element by element, attribute by attribute, text by text; and the
"Page X of Y" line above it, numbers in <bdi> as the template's `bdi()` puts them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from survey import questionnaires
from survey.migrations import upgrade

from ..accounts.signin import PASSWORD, make_user
from ..browser.test_study_in_browser import fill, shown_questions
from ..conftest import TEST_QUESTIONNAIRES, make_app
from .conftest import InThread

pytestmark = pytest.mark.browser

EMAIL = "markup@example.org"
# The pages with earlier answers piped into their texts: questionnaires with pipes are refused offline.
SKIPPED_PAGES = {"feel", "police_follow"}

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

OFFLINE_BLOCK = """async ([pageId, handedOver, withErrors, canonical, progress]) => {
  const { prepare, readPage, walk, visibleQuestions } = await import("/static/offline/flow.js");
  const { questionPage } = await import("/static/offline/render.js");
  const data = await (await fetch("/offline/questionnaires/every-type")).json();
  const flow = prepare(data.logic);
  const answers = window.offlineAnswers || {};
  const { effective } = walk(flow, answers);
  const page = flow.pages.find((item) => item.id === pageId);
  const ctx = {
    lang: "ar", ui: handedOver ? "ar" : "de", interviewerLanguage: "de", texts: data.texts,
    directions: data.directions, display: data.display, defaultLanguage: data.logic.default_language,
  };
  const located = withErrors
    ? readPage(flow, page, answers, {}, { lang: "ar", catalog: data.messages[ctx.ui] }).errors
    : [];
  const built = questionPage(ctx, {
    page, questions: visibleQuestions(flow, page, effective), located, fields: {}, handedOver,
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


@pytest.fixture(scope="module")
def every_type_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    database = tmp_path_factory.mktemp("markup") / "survey.sqlite3"
    app = make_app(
        f"sqlite:///{database}",
        questionnaire_dir=TEST_QUESTIONNAIRES,
        TESTING=False,
        SECRET_KEY="offline-markup-tests-secret-key-long",
    )
    upgrade(app.extensions["survey.db"].engine)
    make_user(app, EMAIL, ["interviewer"])
    running = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{running.server_port}", app
    running.shutdown()
    app.extensions["survey.db"].dispose()


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


def compare_pages(browser: Any, url: str, study: Any) -> dict[str, Any]:
    # The offline block is built in the same page: the test reads both with one function.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    compared: dict[str, Any] = {}
    try:
        page.goto(f"{url}/account/login")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        go(page, "main form button[type=submit]")
        page.goto(f"{url}/interview/")
        page.select_option("#questionnaire", study.id)
        page.select_option("#language", "ar")
        page.select_option("#interviewer_language", "de")
        go(page, "main form button[type=submit]")
        while "/p/" in page.url:
            if page.locator(".to-respondent").count():
                go(page, ".to-respondent button")
            page_id = page.url.rsplit("/p/", 1)[1]
            handed_over = page.locator("aside.iv").count() == 0
            if page_id in SKIPPED_PAGES:
                pass
            elif page_id in compared:  # sent empty: the same page with its error messages
                server = [read(page, ".respondent"), read(page, ".error-summary"), read(page, ".progress")]
                offline = page.evaluate(OFFLINE_BLOCK, [page_id, handed_over, True, CANONICAL, numbers(page)])
                compared[page_id + " with errors"] = (server, offline, handed_over)
            else:
                server = [read(page, ".respondent"), None, read(page, ".progress")]
                offline = page.evaluate(OFFLINE_BLOCK, [page_id, handed_over, False, CANONICAL, numbers(page)])
                compared[page_id] = (server, offline, handed_over)
                go(page, "button[name=continue]")
                if page.locator(".to-interviewer a").count():
                    go(page, ".to-interviewer a")
                continue  # the same page again if it needs an answer, else the next one
            for question in shown_questions(page, study.page(page_id)):
                fill(page, question)
            go(page, "button[name=continue]")
            if page.locator(".to-interviewer a").count():
                go(page, ".to-interviewer a")
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
    expected = {page.id for page in study.pages} - SKIPPED_PAGES
    assert set(compared) >= expected - {"arrival", "job"}  # two pages depend on earlier answers
    assert any(handed_over for _, _, handed_over in compared.values())  # the sensitive page, alone
    assert len([name for name in compared if name.endswith(" with errors")]) >= 8
    assert "audio" in tags(compared["birth"][0][0])  # the recorded question, in Arabic
    # "Page X of Y" with both numbers isolated in <bdi>, in the interviewer's language (Arabic when handed over).
    assert tags(compared["birth"][0][2]) == {"p", "bdi"}
    for page_id, (server, offline, _) in compared.items():
        for server_part, offline_part in zip(server, offline, strict=True):
            assert offline_part == server_part, f"{page_id}: {first_difference(server_part, offline_part)}"
