"""Kept question pages (survey/respond/rendering.py): the bytes of a fresh rendering for every page of
a journey, each person's own CSRF token, and nothing typed, piped or erroneous ever kept."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.delivery import STYLE_COOKIE, _static_hash
from survey.fragments import TOKEN_STAND_IN, Kept
from survey.respond import rendering

from ..conftest import csrf_token
from ..journey import Respondent, shown_questions, valid_post


def pages_kept(app: Flask) -> Kept:
    store: Kept = app.extensions["survey.pages"]
    return store


def linked_client(app: Flask) -> FlaskClient:
    """A browser that has the stylesheet already (later pages link it instead of inlining it)."""
    client = app.test_client()
    client.set_cookie(STYLE_COOKIE, _static_hash(app.static_folder or "", "survey.css"))
    return client


def fresh(monkeypatch: Any) -> None:
    """Every page rendered afresh from now on, as before pages were kept."""

    def rendered(key: Any, owner: Any, render: Any, token: str, keep: Any) -> str:
        return render(lambda: token)

    monkeypatch.setattr(rendering, "page_with_token", rendered)


@pytest.mark.parametrize(("questionnaire_id", "language"), [("every-type", "de"), ("every-type", "ar"),
                                                            ("household", "de")])  # fmt: skip
def test_every_page_of_a_journey_is_the_fresh_rendering(app, monkeypatch, questionnaire_id, language):
    """Each page shown twice (kept the first time, found the second) and once rendered afresh."""
    pages_kept(app)._kept.clear()
    questionnaire = app.extensions["survey.questionnaires"][questionnaire_id]
    respondent = Respondent(linked_client(app), questionnaire_id)
    step = respondent.start(language)
    shown: list[str] = []
    while step not in ("review", "done"):
        path = f"/{questionnaire_id}/p/{step}"
        first, again = respondent.get(path).data, respondent.get(path).data
        with monkeypatch.context() as patch:
            fresh(patch)
            assert respondent.get(path).data == first == again, path
        shown.append(path)
        data: list[tuple[str, str]] = []
        for question in shown_questions(again.decode(), questionnaire.page(step)):
            data.extend(valid_post(question))
        response = respondent.post(path, data)
        assert response.status_code == 303, response.data.decode()[:2000]
        step = respondent.follow(response)
        if step not in ("review", "done"):  # back to the answered page: its choices are marked
            answered = respondent.get(path).data
            with monkeypatch.context() as patch:
                fresh(patch)
                assert respondent.get(path).data == answered, f"{path} answered"
            assert answered != again or not data
    assert len(shown) >= 5
    assert len(pages_kept(app)._kept) >= 3, "most pages of these questionnaires have only coded questions"


def test_each_person_gets_their_own_token_in_the_same_skeleton(app):
    pages_kept(app)._kept.clear()
    seen = []
    for _ in range(2):
        respondent = Respondent(linked_client(app), "every-type")
        step = respondent.start("de")
        html = respondent.page(step).data.decode()
        seen.append((html, csrf_token(html)))
    (one, token_one), (two, token_two) = seen
    assert token_one != token_two
    assert one.replace(token_one, "") == two.replace(token_two, "")
    assert len(pages_kept(app)._kept) == 1
    skeleton = str(next(iter(pages_kept(app)._kept.values()))[1])
    assert skeleton.count(TOKEN_STAND_IN) == 1 and token_one not in skeleton


def test_typed_answers_errors_and_first_visits_are_never_kept(app):
    pages_kept(app)._kept.clear()
    questionnaire = app.extensions["survey.questionnaires"]["every-type"]
    typed = next(page for page in questionnaire.pages if any(not q.coded for q in page.questions))
    respondent = Respondent(linked_client(app), "every-type")
    step = respondent.start("de")
    while step != typed.id:
        html = respondent.page(step).data.decode()
        data = [pair for q in shown_questions(html, questionnaire.page(step)) for pair in valid_post(q)]
        step = respondent.follow(respondent.post(f"/{respondent.qid}/p/{step}", data))
    path = f"/every-type/p/{typed.id}"
    respondent.page(typed.id)
    response = respondent.post(path, [])  # nothing entered: the page comes back with its errors
    assert response.status_code == 200 and b'class="error-summary"' in response.data
    kept_before = set(pages_kept(app)._kept)
    respondent.page(typed.id)
    assert set(pages_kept(app)._kept) == kept_before, "a page with a typed question is rendered afresh"

    first_visit = Respondent(app.test_client(), "every-type")  # no stylesheet yet: it is inlined
    first_step = first_visit.start("de")
    count = len(pages_kept(app)._kept)
    assert b"<style>" in first_visit.page(first_step).data
    assert len(pages_kept(app)._kept) == count
