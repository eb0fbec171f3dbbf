"""Posts no honest form produces get a 400 with a clear message, and nothing is stored."""

from __future__ import annotations

import pytest

from ..conftest import count_rows
from ..journey import Respondent


@pytest.fixture
def respondent(app, client) -> Respondent:
    person = Respondent(client, "every-type")
    person.start("en")
    person.answer("consent", {"consent": "yes"})
    person.answer("birth", {"birth_year": "1990"})
    person.answer("origin", {"country_birth": "DE"})
    return person


def refused(response, text: str) -> None:
    assert response.status_code == 400
    body = response.data.decode()
    assert text in body
    assert "Your answer was not saved" in body


def review_without(respondent: Respondent, question_id: str) -> None:
    """The refused answer was not stored: the page shows no value for it."""
    html = respondent.page("work").data.decode()
    assert "checked" not in html, f"{question_id} was stored"


def test_answer_to_a_hidden_question_is_refused(respondent, app):
    # Born in Germany: the arrival page is hidden; its fields may not be posted anywhere.
    response = respondent.answer("work", {"working": "1", "arrival-month": "5", "arrival-year": "2015"})
    refused(response, "This answer cannot be accepted")
    review_without(respondent, "working")


def test_posting_a_hidden_page_is_refused(respondent):
    respondent.page("work")
    response = respondent.post("/every-type/p/arrival", {"arrival-month": "5", "arrival-year": "2015"})
    refused(response, "not part of your questionnaire")


def test_skipping_ahead_to_a_later_page_is_refused(respondent):
    respondent.page("work")
    response = respondent.post("/every-type/p/langs", {"home_langs": "1"})
    refused(response, "earlier pages are still open")
    # A GET of a page ahead just leads back to the first open page.
    assert respondent.client.get("/every-type/p/langs").location.endswith("/p/work")


def test_unknown_option_code_is_refused(respondent):
    refused(respondent.answer("work", {"working": "7"}), "This answer cannot be accepted")
    review_without(respondent, "working")


def test_two_values_for_a_single_choice_are_refused(respondent):
    refused(respondent.answer("work", [("working", "1"), ("working", "2")]), "cannot be accepted")


def test_unknown_field_is_refused(respondent):
    refused(respondent.answer("work", {"working": "1", "is_admin": "1"}), "cannot be accepted")


def test_oversized_text_is_refused(app, client):
    person = Respondent(client, "every-type")
    person.start("en")
    for page, data in [
        ("consent", {"consent": "yes"}),
        ("birth", {"birth_year": "1990"}),
        ("origin", {"country_birth": "DE"}),
        ("work", {"working": "2"}),
        ("langs", {"home_langs": "1"}),
        ("first_lang", {"mother_tongue": "ar"}),
        ("home", {"municipality": "1"}),
        ("feel", {"life_sat": "5"}),
        ("trust", {"trust-police": "2", "trust-courts": "2"}),
    ]:
        assert person.answer(page, data).status_code == 303, page
    refused(person.answer("police_follow", {"why_police": "x" * 51}), "cannot be accepted")
    assert person.answer("police_follow", {"why_police": "y" * 50}).status_code == 303


def test_request_larger_than_the_limit_gets_413(respondent):
    response = respondent.answer("work", {"working": "1", "x": "y" * 300_000})
    assert response.status_code == 413
    assert "too large" in response.data.decode()


def test_nul_byte_is_refused(respondent):
    refused(respondent.answer("work", {"working": "1\x00"}), "cannot be accepted")


def test_post_without_csrf_token_is_refused(respondent):
    respondent.page("work")
    response = respondent.post("/every-type/p/work", {"working": "1"}, with_token=False)
    refused(response, "This page has expired")


def test_post_without_a_draft_is_refused(app):
    other = app.test_client()
    other.get("/?lang=en")
    person = Respondent(other, "every-type")
    person.get("/every-type/")
    response = person.post("/every-type/p/work", {"working": "1"})
    refused(response, "could not be found")


def test_submit_before_the_last_page_is_refused_and_stores_nothing(respondent, app):
    respondent.page("work")
    response = respondent.post("/every-type/submit", {})
    refused(response, "still need an answer")
    assert count_rows(app, "sealed_response") == 0


def test_exclusive_option_combined_with_another_is_a_validation_error(respondent):
    respondent.answer("work", {"working": "2"})
    response = respondent.answer("langs", [("home_langs", "1"), ("home_langs", "9")])
    assert response.status_code == 200
    assert "cannot be combined with other answers" in response.data.decode()


def test_unknown_questionnaire_and_page_are_404(client):
    assert client.get("/no-such-study/").status_code == 404
    assert client.get("/every-type/p/no-such-page").status_code == 404
