"""Assisted interviews: bilingual pages, hand-over for sensitive questions, paradata, privacy."""

from __future__ import annotations

import csv
import re

from sqlalchemy import select

from survey.export.pipeline import ExportOptions, export
from survey.interview.models import Interview
from survey.respond.models import Paradata

from ..accounts.signin import login
from ..conftest import csrf_token, private_keys
from ..factories import issue_code


def start_interview(
    client, language: str = "ar", interviewer_language: str = "de", questionnaire: str = "panel", code: str = ""
) -> str:
    token = csrf_token(client.get("/interview/").data)
    response = client.post(
        "/interview/",
        data={
            "csrf_token": token,
            "questionnaire": questionnaire,
            "language": language,
            "interviewer_language": interviewer_language,
            "code": code,
        },
    )
    assert response.status_code == 303, response.data.decode()[:2000]
    return response.location


def post_page(client, url: str, data: dict) -> object:
    token = csrf_token(client.get(url).data)
    return client.post(url, data={**data, "csrf_token": token})


def test_question_shows_in_the_respondents_language_beside_the_interviewers(app):
    client = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    first = start_interview(client, "ar", "de", questionnaire="every-type")
    html = client.get(first).data.decode()
    assert '<html lang="de" dir="ltr">' in html  # the interviewer's own pages
    assert '<div class="respondent" lang="ar" dir="rtl">' in html
    assert re.search(r'<aside class="iv" lang="de" dir="ltr"', html)
    assert "أوافق على المشاركة." in html and "Ich stimme zu." in html


def test_sensitive_questions_are_handed_over_and_handed_back(app, runner, tmp_path):
    code = issue_code(runner, tmp_path)
    client = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    first = start_interview(client, "en", "de", code=code)
    assert post_page(client, first, {"consent": "yes"}).status_code == 303
    story = first.replace("/p/consent", "/p/story")
    handover = client.get(story).data.decode()
    assert (
        "handover" in handover and 'class="iv"' not in handover and "story" not in re.findall(r'name="(\w+)"', handover)
    )
    token = csrf_token(handover)
    response = client.post(story.replace("/p/", "/handover/"), data={"csrf_token": token})
    assert response.status_code == 303
    alone = client.get(story).data.decode()
    assert 'class="iv"' not in alone and '<html lang="en" dir="ltr">' in alone  # respondent's view only
    response = client.post(
        story,
        data={
            "csrf_token": csrf_token(alone),
            "story": "allein",
            "income": "100",
            "born-day": "1",
            "born-month": "2",
            "born-year": "1990",
        },
    )
    assert response.status_code == 200 and "hand the device back" in response.data.decode()
    next_url = re.search(r'href="([^"]+)">', response.data.decode().split("panel")[-1]).group(1)
    review = client.get(next_url)
    assert review.status_code in (200, 303)


def finish(client, app, first: str) -> None:
    assert post_page(client, first, {"consent": "yes"}).status_code == 303
    story = first.replace("/p/consent", "/p/story")
    client.post(story.replace("/p/", "/handover/"), data={"csrf_token": csrf_token(client.get(story).data)})
    page = client.get(story).data
    client.post(
        story,
        data={
            "csrf_token": csrf_token(page),
            "story": "x",
            "income": "5",
            "born-day": "1",
            "born-month": "2",
            "born-year": "1990",
        },
    )
    review = first.replace("/p/consent", "/review")
    token = csrf_token(client.get(review).data)
    response = client.post(review.replace("/review", "/submit"), data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith("/done")


def test_paradata_record_assisted_mode_and_an_interviewer_pseudonym(app, runner, tmp_path):
    code = issue_code(runner, tmp_path)
    client = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    finish(client, app, start_interview(client, "en", "de", code=code))
    with app.extensions["survey.db"].sessions() as session:
        paradata = session.scalars(select(Paradata)).one()
        interview = session.scalars(select(Interview)).one()
    assert paradata.mode == "assisted" and paradata.interviewer and len(paradata.interviewer) == 64
    assert "iv@example.org" not in paradata.interviewer and interview.status == "submitted"
    folder = tmp_path / "export"
    with app.extensions["survey.db"].sessions() as session:
        questionnaire = app.extensions["survey.questionnaires"]["panel"]
        export(session, questionnaire, private_keys(), folder, ExportOptions(k=1, max_suppression=0, formats=("csv",)))
    with (folder / "panel.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["mode"] == "assisted" and rows[0]["interviewer"] == "I01"


def test_interviewers_see_only_their_own_interviews_and_never_content(app):
    ana = login(app.test_client(), app, "ana@example.org", ["interviewer"])
    first = start_interview(ana, "ar", "de", questionnaire="every-type")
    ben = login(app.test_client(), app, "ben@example.org", ["interviewer"])
    assert ben.get(first).status_code == 404
    listing = ana.get("/interview/").data.decode()
    assert listing.count("<tr><td><bdi>") == 1 and "Ich stimme zu" not in listing
    assert ben.get("/interview/").data.decode().count("<tr><td><bdi>") == 0


def test_interviews_need_an_interviewer(app):
    anonymous = app.test_client()
    assert anonymous.get("/interview/").status_code == 302
    researcher = login(app.test_client(), app, "res@example.org", ["researcher"])
    assert researcher.get("/interview/").status_code == 403
