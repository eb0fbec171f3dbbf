"""Whole walks (questionnaires with rosters) kept in worker memory per sealed draft version
(survey/respond/walks.py `kept_whole`): found for the very version they were made from, never for
another version, another day or changed answers."""

from __future__ import annotations

import base64
import datetime
import time

from survey import questionnaires
from survey.questionnaires import model
from survey.respond import flow, services, walks

from ..journey import Respondent


def household_draft(app):
    """A respondent of the household questionnaire two pages in; returns the draft's secret."""
    person = Respondent(app.test_client(), "household")
    step = person.start("de")
    assert step == "size"
    assert person.post("/household/p/size", {"hh_size": "2"}).status_code == 303
    with person.client.session_transaction() as cookie:
        return base64.urlsafe_b64decode(cookie["drafts"]["household"])


def test_the_walk_made_for_a_version_is_found_for_that_version_only(app, monkeypatch):
    secret = household_draft(app)
    with app.app_context():
        questionnaire = questionnaires.get("household")
        assert questionnaire.rosters
        db = app.extensions["survey.db"].sessions()
        try:
            first = services.open_draft(db, questionnaire, secret)
            route = first.route  # walked whole, and kept for this sealed version
            second = services.open_draft(db, questionnaire, secret)
            assert second._walked is first._walked  # found, not walked again
            assert second.route.pages == flow.walk(questionnaire, second.answers)[1].pages == route.pages

            # Another answer: the kept walk of the old version is not used for the new answers.
            before = dict(second.answers)
            second.answers["hh_size"] = 3
            second.changed(before)
            assert second.route is not route
            services._write(second)
            written = second._walked
            db.rollback()  # the new version is not stored: a request opening the draft gets the old one
            third = services.open_draft(db, questionnaire, secret)
            assert third._walked is first._walked and third._walked is not written

            # The next day nothing is found (skip logic may read the date).
            tomorrow = datetime.date.today() + datetime.timedelta(days=1)
            monkeypatch.setattr(walks, "utc_today", lambda: tomorrow)
            monkeypatch.setattr(model, "utc_today", lambda: tomorrow)
            later = services.open_draft(db, questionnaire, secret)
            assert later._walked is None
        finally:
            db.close()


def test_a_kept_walk_is_forgotten_after_a_quarter_of_an_hour(app, monkeypatch):
    secret = household_draft(app)
    with app.app_context():
        questionnaire = questionnaires.get("household")
        db = app.extensions["survey.db"].sessions()
        try:
            first = services.open_draft(db, questionnaire, secret)
            assert first.route.pages
            assert services.open_draft(db, questionnaire, secret)._walked is first._walked
            later = time.monotonic() + walks.WHOLE_WALKS_SECONDS + 1
            monkeypatch.setattr(time, "monotonic", lambda: later)
            assert services.open_draft(db, questionnaire, secret)._walked is None
        finally:
            db.close()
