"""The offline pages repeat the server's markup for rosters too: every member page, the "add another?"
page and the hand-over inside a member (tests/data/offline-rosters/, Arabic respondent, German
interviewer), first seen and sent empty; and on the review, the heading above each member (roster
title, "Person N" with the number in <bdi>, the member's name in <bdi>, the "Remove" button) and the
link that adds a person, built by survey/static/offline/members.js."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from survey.questionnaires.model import Questionnaire
from survey.respond import flow

from ..browser.test_study_in_browser import fill, shown_questions
from ..conftest import ROOT
from ..journey import valid_post
from .conftest import InThread
from .markup import (
    CANONICAL,
    assert_same_markup,
    first_difference,
    go,
    offline_block,
    questionnaire_of,
    server_block,
    serving,
    start_interview,
    tags,
)
from .vectors import _page

pytestmark = pytest.mark.browser

EMAIL = "roster-markup@example.org"
ROSTERS = ROOT / "tests" / "data" / "offline-rosters"
STUDY = "household-offline"

# The review's roster parts, without what only a server form has (its address and CSRF token) and
# without link targets (the offline links stay on the page).
MEMBER_PARTS = """([root, canonical]) => Array.from(root.querySelectorAll(":scope > div.member, :scope > p.add-member"),
  (element) => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll("input[name=csrf_token]").forEach((input) => input.remove());
    for (const node of copy.querySelectorAll("[action], [href]")) {
      node.removeAttribute("action");
      node.removeAttribute("href");
    }
    return eval(canonical)(copy);
  })"""

OFFLINE_REVIEW = """async ([study, answers, canonical, parts, removed]) => {
  const { prepare, walk } = await import("/static/offline/flow.js");
  const { summaryWithMembers } = await import("/static/offline/members.js");
  const { removeMember } = await import("/static/offline/rosters.js");
  const data = await (await fetch(`/offline/questionnaires/${study}`)).json();
  const flow = prepare(data.logic);
  const roster = flow.rosters.find((item) => item.id === "relatives");
  const { effective, route } = walk(flow, removed ? removeMember(answers, roster, removed) : answers);
  const ctx = {
    lang: "ar", ui: "de", interviewerLanguage: "de", texts: data.texts,
    directions: data.directions, display: data.display, defaultLanguage: data.logic.default_language,
  };
  const holder = document.createElement("main");
  holder.append(...summaryWithMembers(ctx, flow, route.pages, effective, {
    rows: () => [], display: (question, answer) => String(answer), remove: () => {}, add: () => {},
  }));
  return [eval(parts)([holder, canonical]), holder.querySelectorAll(":scope > dl.summary").length];
}"""


@pytest.fixture(scope="module")
def roster_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    with serving(tmp_path_factory.mktemp("roster-markup"), ROSTERS, EMAIL) as served:
        yield served


def answers_the_walk_gives(app: Flask, study: Questionnaire) -> dict[str, Any]:
    """The effective answers after every page is sent with what `fill` types (tests/journey.py), saved
    as the server saves them: what the review shows."""
    answers: dict[str, Any] = {}
    completed: list[str] = []
    _, route = flow.walk(study, answers)
    page = route.first_open(completed)
    while page is not None:
        effective, _ = flow.walk(study, answers)
        posted: dict[str, list[str]] = {}
        for question in flow.visible_questions(study, page, effective):
            for name, value in valid_post(question):
                posted.setdefault(name, []).append(value)
        case = {"page": page.id, "lang": "ar", "answers": answers, "completed": completed, "posted": posted}
        saved = _page(app, study, case)["saved"]
        answers, completed = saved["answers"], saved["completed"]
        page = None if saved["next"] == "review" else study.page(saved["next"])
    return flow.walk(study, answers)[0]


def compare_roster_pages(browser: Any, url: str, study: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    relative_title = study.roster("relatives").title.get("ar")  # type: ignore[union-attr]
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    compared: dict[str, Any] = {}
    try:
        start_interview(page, url, study.id, ("ar", "de"), EMAIL)
        while "/p/" in page.url:
            if page.locator(".to-respondent").count():
                go(page, ".to-respondent button")
            page_id = page.url.rsplit("/p/", 1)[1].split("?")[0]
            handed_over = page.locator("aside.iv").count() == 0
            first = page_id not in compared
            server = server_block(page, not first)
            offline = offline_block(page, study.id, page_id, {}, posted=None if first else {}, handed_over=handed_over)
            compared[page_id if first else page_id + " with errors"] = (server, offline, handed_over)
            if first:  # sent empty: the same page with its error messages (every page here needs an answer)
                go(page, "button[name=continue]")
                if "/p/" in page.url and page.url.rsplit("/p/", 1)[1].split("?")[0] == page_id:
                    continue
            else:
                for question in shown_questions(page, study.page(page_id)):
                    fill(page, question)
                go(page, "button[name=continue]")
            if page.locator(".to-interviewer a").count():
                go(page, ".to-interviewer a")
        assert page.url.endswith("/review"), page.url
        for removed in (0, 2):  # then "Remove" relative 2: relative 3 moves up, "add a person" appears
            if removed:
                go(page, f"main div.member:has(h2:has-text('{relative_title}')) >> nth=1 >> button")
                assert page.url.endswith("/review"), page.url
            server_parts = page.evaluate(MEMBER_PARTS, [page.locator("main").element_handle(), CANONICAL])
            server_lists = page.locator("main > dl.summary").count()
            offline_parts, offline_lists = page.evaluate(
                OFFLINE_REVIEW, [study.id, answers, CANONICAL, MEMBER_PARTS, removed]
            )
            compared[f"review {removed}"] = (server_parts, offline_parts, server_lists, offline_lists)
    finally:
        context.close()
    return compared


def test_member_pages_the_add_another_page_and_member_headings_build_the_servers_markup(
    chromium: InThread, roster_server: tuple[str, Flask]
) -> None:
    url, app = roster_server
    study = questionnaire_of(app, STUDY)
    answers = answers_the_walk_gives(app, study)
    assert [member["relative_name"] for member in answers["relatives"]] == ["Antwort ohne Ziffern"] * 3
    compared = chromium.within(compare_roster_pages, url, study, answers)
    reviews = [compared.pop("review 0"), compared.pop("review 2")]
    # Member pages of both rosters, the "add another?" page before each relative, the hand-over inside one.
    expected = {"size", "member_name_page.1", "member_born.2", "member_job_page.2", "others"}
    expected |= {"relatives.0", "relatives.2", "relative.3", "relative_contact_page.3"}
    assert expected <= set(compared)
    assert "relative_contact_page.1 with errors" in compared and "relatives.1 with errors" in compared
    assert compared["relative_contact_page.1"][2]  # handed over: the respondent's page alone
    assert "h1" in tags(compared["relatives.0"][0][0])  # the roster's title heads the "add another?" page
    assert_same_markup(compared)
    # Two household members and three relatives, each under a heading; "Remove" for the relatives only;
    # after removing one, two relatives and the link that adds a person.
    assert [[part["tag"] for part in review[0]] for review in reviews] == [["div"] * 5, ["div"] * 4 + ["p"]]
    assert sum("form" in tags(part) for part in reviews[0][0]) == 3
    assert "bdi" in tags(reviews[0][0][0])
    for removed, (server_parts, offline_parts, server_lists, offline_lists) in zip((0, 2), reviews, strict=True):
        assert len(offline_parts) == len(server_parts)
        for index, (server_part, offline_part) in enumerate(zip(server_parts, offline_parts, strict=True)):
            difference = first_difference(server_part, offline_part)
            assert offline_part == server_part, f"review after removing {removed}, part {index}: {difference}"
        assert offline_lists == server_lists
