"""What the offline markup tests share: a live server, an interview started on it, the offline
respondent block that survey/static/offline/render.js builds for a page (one JavaScript snippet), both
sides read in one canonical form, and where they first differ."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from survey import questionnaires
from survey.questionnaires.loader import load_data
from survey.questionnaires.model import Questionnaire

from ..accounts.signin import PASSWORD, make_user
from ..browser.conftest import serving as live_server
from ..browser.test_study_in_browser import shown_questions, type_in
from ..journey import valid_post

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

# The offline block of one page as the runtime builds it from the answers read so far: with
# `posted` (the fields sent, {} for a page sent empty) it carries the messages readPage finds, as
# the server's page shown again does. Left in window.offlineBlock for a test that measures it.
OFFLINE_BLOCK = """async ({ study, pageId, answers, posted, handedOver, progress, lang, il, canonical }) => {
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
  const located = posted
    ? readPage(flow, page, answers, posted, { lang, catalog: data.messages[ctx.ui] }).errors
    : [];
  const built = questionPage(ctx, {
    page, questions: visibleQuestions(flow, page, effective), located, fields: posted || {}, handedOver,
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


def questionnaire_folder(tmp_path: Path, data: Mapping[str, Any]) -> tuple[Questionnaire, Path]:
    """The questionnaire `data` loaded, and written alone to a folder for serving()."""
    loaded, problems = load_data(dict(data))
    assert loaded is not None, problems
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / f"{loaded.id}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return loaded, folder


@contextmanager
def serving(folder: Path, questionnaire_dir: Path, email: str = EMAIL) -> Iterator[tuple[str, Any]]:
    """A live server (SQLite in `folder`) with an interviewer account (`email`), for the
    questionnaires in `questionnaire_dir`."""
    with live_server(folder / "survey.sqlite3", questionnaire_dir) as live:
        make_user(live.app, email, ["interviewer"])
        yield live.url, live.app


def questionnaire_of(app: Any, questionnaire_id: str) -> Questionnaire:
    """The questionnaire a serving() app has loaded under that id."""
    with app.app_context():
        found = questionnaires.get(questionnaire_id)
    assert found is not None, questionnaire_id
    return found


def go(page: Any, selector: str) -> None:
    """Click a control that loads a page and wait for the new page: a page that posts to itself
    keeps its URL, and what is read right after the click could be the page going away."""
    with page.expect_navigation():
        page.click(selector)


def start_interview(page: Any, url: str, study: str, languages: tuple[str, str], email: str = EMAIL) -> None:
    """Sign in as the interviewer and start an interview of `study` (respondent's language, then the
    interviewer's): the page is then the interview's first page."""
    page.goto(f"{url}/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    go(page, "main form button[type=submit]")
    page.goto(f"{url}/interview/")
    page.select_option("#questionnaire", study)
    page.select_option("#language", languages[0])
    page.select_option("#interviewer_language", languages[1])
    go(page, "main form button[type=submit]")


def read(page: Any, selector: str) -> Any:
    return page.evaluate(CANONICAL, page.locator(selector).element_handle())


def numbers(page: Any) -> list[str]:
    """The page's position and page count as the server shows them. The offline block is built
    without the interview's route, so its numbers could differ; the numbers themselves are compared
    by the shared vectors (progress), the markup around them here."""
    return [text.strip() for text in page.locator(".progress bdi").all_inner_texts()]


def server_block(page: Any, with_errors: bool) -> list[Any]:
    """The server page's respondent block, error summary (None when not `with_errors`) and progress line."""
    summary = read(page, ".error-summary") if with_errors else None
    return [read(page, ".respondent"), summary, read(page, ".progress")]


def offline_block(
    page: Any,
    study: str,
    page_id: str,
    answers: Mapping[str, Any],
    *,
    posted: Mapping[str, list[str]] | None = None,
    handed_over: bool = False,
    languages: tuple[str, str] = ("ar", "de"),
) -> list[Any]:
    """The offline block of `page_id` built in the server's page (its progress numbers), canonical
    as server_block() reads the server's."""
    arguments = {
        "study": study,
        "pageId": page_id,
        "answers": dict(answers),
        "posted": None if posted is None else dict(posted),
        "handedOver": handed_over,
        "progress": numbers(page),
        "lang": languages[0],
        "il": languages[1],
        "canonical": CANONICAL,
    }
    return page.evaluate(OFFLINE_BLOCK, arguments)  # type: ignore[no-any-return]


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


def assert_same_markup(compared: Mapping[str, Any]) -> None:
    """Every compared page's parts (name -> (server parts, offline parts, ...)) are equal, part by part."""
    for name, (server, offline, *_) in compared.items():
        for server_part, offline_part in zip(server, offline, strict=True):
            assert offline_part == server_part, f"{name}: {first_difference(server_part, offline_part)}"


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
    type_in(page, valid_post(question, pick=1 if question.id == "trust" else 0))


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
    `languages`, each page first sent empty; `looked_at(page, page id, answers)` may look at each
    page as first shown, with the answers the offline runtime read so far; `read_answers` gets all
    it read, and `at_review(page, answers)` may act on the server's review page at the end. With
    `until`, the walk stops once that page is compared (first shown)."""
    # The offline block is built in the same page: the test reads both with one function.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    compared: dict[str, Any] = {}
    answers: dict[str, Any] = {}

    def send(page_id: str) -> None:
        nonlocal answers
        answers = page.evaluate(SAVE_PAGE, [page_id, answers, study.id])
        go(page, "button[name=continue]")
        if page.locator(".to-interviewer a").count():
            go(page, ".to-interviewer a")

    try:
        start_interview(page, url, study.id, languages)
        while "/p/" in page.url:
            if page.locator(".to-respondent").count():
                go(page, ".to-respondent button")
            page_id = page.url.rsplit("/p/", 1)[1]
            handed_over = page.locator("aside.iv").count() == 0
            again = page_id in compared  # sent empty: the same page with its error messages
            server = server_block(page, again)
            posted = {} if again else None
            offline = offline_block(
                page, study.id, page_id, answers, posted=posted, handed_over=handed_over, languages=languages
            )
            compared[page_id + " with errors" if again else page_id] = (server, offline, handed_over)
            if not again:
                if page_id == until:
                    break
                if looked_at is not None:
                    looked_at(page, page_id, answers)
                send(page_id)
                continue  # the same page again if it needs an answer, else the next one
            for question in shown_questions(page, study.page(page_id)):
                answering(page, question)
            send(page_id)
        if read_answers is not None:
            read_answers.update(answers)
        if at_review is not None:
            at_review(page, answers)
    finally:
        context.close()
    return compared
