"""Whole journeys through the respondent pages, skip logic, language switches and double submits."""

from __future__ import annotations

import json

from flask import Flask

from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import count_rows, csrf_token, private_keys
from ..journey import Respondent, complete


def stored_answers(db_session) -> list[dict]:
    rows = db_session.query(SealedResponse).all()
    return [
        unseal_response(row.id, row.questionnaire_id, row.questionnaire_version, row.content, private_keys())["answers"]
        for row in rows
    ]


def every_type(app: Flask):
    return app.extensions["survey.questionnaires"]["every-type"]


def test_complete_journey_in_german_stores_one_response(app, client, db_session):
    respondent = Respondent(client, "every-type")
    visited = complete(respondent, "de", every_type(app))
    assert "review" in respondent.last.request.path
    review = respondent.last.data.decode()
    assert "Antworten prüfen" in review or "Check your answers" in review
    response = respondent.submit()
    assert response.status_code == 303 and response.location.endswith("/done")
    assert count_rows(app, "sealed_response") == 1
    answers = stored_answers(db_session)[0]
    assert answers["consent"] is True
    assert answers["country_birth"] == "SY"
    assert answers["arrival"] == "2016-06"
    assert answers["trust"] == {"police": 1, "courts": 1}
    assert "why_police" not in answers  # trust.police = 2 was not chosen
    assert "police_follow" not in visited


def test_complete_journey_in_arabic_is_right_to_left_throughout(app, client):
    respondent = Respondent(client, "every-type")
    step = respondent.start("ar")
    html = respondent.page(step).data.decode()
    assert '<html lang="ar" dir="rtl">' in html
    complete_pages = complete(Respondent(client, "every-type"), "ar", every_type(app))
    assert complete_pages[0] == "consent"
    page = client.get("/every-type/review").data.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "فريدبرغ" in page  # option label shown in Arabic on the review page


def test_skip_logic_hides_pages_and_questions(app, client, db_session):
    def born_in_germany_not_working(question):
        from ..journey import valid_post

        if question.id == "country_birth":
            return [("country_birth", "DE")]
        if question.id == "working":
            return [("working", "2")]
        if question.id == "trust":
            return [("trust-police", "2"), ("trust-courts", "1")]
        return valid_post(question)

    respondent = Respondent(client, "every-type")
    visited = complete(respondent, "de", every_type(app), born_in_germany_not_working)
    assert "arrival" not in visited and "job" not in visited
    assert "police_follow" in visited
    respondent.submit()
    answers = stored_answers(db_session)[0]
    assert "arrival" not in answers and "hours" not in answers
    assert answers["why_police"] == "Antwort ohne Ziffern"


def test_changing_an_earlier_answer_drops_answers_it_hides(app, client, db_session):
    respondent = Respondent(client, "every-type")
    complete(respondent, "de", every_type(app))
    # Back to the work page: now not working, so the job page and its answers go away.
    response = respondent.answer("work", {"working": "2", "return_to": "review"})
    assert response.status_code == 303 and response.location.endswith("/review")
    review = respondent.get("/every-type/review").data.decode()
    assert "Stunden" not in review
    respondent.submit()
    answers = stored_answers(db_session)[0]
    assert answers["working"] == 2 and "hours" not in answers


def test_newly_shown_page_is_asked_before_review(app, client):
    def not_working(question):
        from ..journey import valid_post

        return [("working", "2")] if question.id == "working" else valid_post(question)

    respondent = Respondent(client, "every-type")
    complete(respondent, "de", every_type(app), not_working)
    response = respondent.answer("work", {"working": "1", "return_to": "review"})
    assert response.location.endswith("/p/job")


def test_progress_counts_only_pages_this_respondent_sees(app, client):
    respondent = Respondent(client, "every-type")
    respondent.start("en")
    respondent.answer("consent", {"consent": "yes"})
    respondent.answer("birth", {"birth_year": "1990"})
    respondent.answer("origin", {"country_birth": "DE"})
    html = respondent.page("work").data.decode()
    assert (
        "Page <bdi>4</bdi> of <bdi>10</bdi>" in html
    )  # arrival skipped (born in Germany); job, police_follow not (yet) shown
    respondent.answer("work", {"working": "1"})
    html = respondent.page("job").data.decode()
    assert "Page <bdi>5</bdi> of <bdi>11</bdi>" in html


def test_language_switch_mid_way_keeps_answers(app, client, db_session):
    respondent = Respondent(client, "every-type")
    respondent.start("de")
    respondent.answer("consent", {"consent": "yes"})
    respondent.answer("birth", {"birth_year": "1985"})
    response = client.get("/every-type/p/birth?lang=ar")
    assert response.status_code == 303 and response.location == "/every-type/p/birth"
    html = client.get("/every-type/p/birth").data.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'value="1985"' in html
    assert "في أي سنة ولدت؟" in html
    respondent.token = csrf_token(html)
    complete_rest(respondent, app)
    respondent.submit()
    answers = stored_answers(db_session)[0]
    assert answers["birth_year"] == 1985


def complete_rest(respondent: Respondent, app: Flask) -> None:
    from ..journey import shown_questions, valid_post

    questionnaire = every_type(app)
    # "Start now" again resumes at the first page still open.
    step = respondent.follow(respondent.post(f"/{respondent.qid}/start", {}))
    while step not in ("review", "done"):
        html = respondent.page(step).data.decode()
        data = [pair for q in shown_questions(html, questionnaire.page(step)) for pair in valid_post(q)]
        response = respondent.post(f"/{respondent.qid}/p/{step}", data)
        assert response.status_code == 303, response.data.decode()[:2000]
        step = respondent.follow(response)


def test_double_submit_stores_one_response(app, client):
    respondent = Respondent(client, "every-type")
    complete(respondent, "de", every_type(app))
    respondent.get("/every-type/review")
    token = respondent.token
    first = client.post("/every-type/submit", data={"csrf_token": token})
    second = client.post("/every-type/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert second.location.endswith("/done")
    assert count_rows(app, "sealed_response") == 1
    # Back to a page after submitting: the answers are sent, the page leads to the thank-you page.
    assert client.get("/every-type/p/work").location.endswith("/done")


def test_start_again_after_submit_begins_a_new_response(app, client):
    respondent = Respondent(client, "every-type")
    complete(respondent, "de", every_type(app))
    respondent.submit()
    respondent.get("/every-type/start")
    assert respondent.follow(respondent.post("/every-type/start", {})) == "consent"
    assert "Seite <bdi>1</bdi> von" in respondent.last.data.decode()


def test_validation_errors_are_listed_and_linked_in_the_page_language(app, client):
    respondent = Respondent(client, "every-type")
    respondent.start("de")
    respondent.answer("consent", {"consent": "yes"})
    response = respondent.answer("birth", {"birth_year": "19x"})
    assert response.status_code == 200
    html = response.data.decode()
    assert "<title>Fehler:" in html
    assert 'href="#birth_year"' in html
    assert "Geben Sie ein Jahr mit vier Ziffern ein" in html


def test_review_lists_answers_with_change_links(app, client):
    respondent = Respondent(client, "every-type")
    complete(respondent, "en", every_type(app))
    html = respondent.last.data.decode()
    assert "Check your answers" in html
    assert "/every-type/p/birth?return_to=review" in html
    assert json.dumps("Syria")[1:-1] in html


def test_language_switch_button_keeps_what_is_entered_but_not_sent(client, db_session):
    respondent = Respondent(client, "every-type")
    respondent.start("de")
    respondent.answer("consent", {"consent": "yes"})
    html = respondent.page("birth").data.decode()
    assert 'name="switch_language" value="ar"' in html  # a button of the page's own form
    assert html.index('name="continue"') < html.index('name="switch_language"')  # Enter still continues
    response = respondent.post("/every-type/p/birth", {"birth_year": "19", "switch_language": "ar"})
    html = response.data.decode()
    assert response.status_code == 200 and '<html lang="ar" dir="rtl">' in html
    assert 'value="19"' in html and "في أي سنة ولدت؟" in html
    assert "error-summary-title" not in html  # not checked: "19" is no year, but nothing was sent
    assert client.get("/every-type/p/birth").status_code == 200  # not completed: still the open page
    assert client.get("/every-type/p/origin").location == "/every-type/p/birth"
    respondent.token = csrf_token(html)
    response = respondent.post("/every-type/p/birth", {"birth_year": "1985"})
    assert response.status_code == 303 and response.location.endswith("/p/origin")


def test_language_switch_to_a_language_of_no_questionnaire_is_refused(client, db_session):
    respondent = Respondent(client, "every-type")
    respondent.start("de")
    respondent.page("consent")
    response = respondent.post("/every-type/p/consent", {"switch_language": "ti"})
    assert response.status_code == 400


def test_language_switch_without_the_page_token_changes_nothing(client, db_session):
    respondent = Respondent(client, "every-type")
    respondent.start("de")
    respondent.page("consent")
    response = respondent.post("/every-type/p/consent", {"switch_language": "ar"}, with_token=False)
    assert response.status_code == 400
    assert '<html lang="de" dir="ltr">' in client.get("/every-type/p/consent").data.decode()
