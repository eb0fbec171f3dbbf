"""Continue later with a resume code; drafts expire and are purged."""

from __future__ import annotations

import base64
import datetime
import hashlib
import re

from sqlalchemy import update

from survey import questionnaires
from survey.respond import services
from survey.respond.models import Draft

from ..conftest import count_rows
from ..factories import issue_code
from ..journey import Respondent
from ..participants.test_codes import answer_panel


def started_panel(app, runner, tmp_path) -> Respondent:
    code = issue_code(runner, tmp_path)
    person = Respondent(app.test_client(), "panel")
    person.get("/?lang=en")
    person.get("/panel/start")
    person.follow(person.post("/panel/start", {"code": code}))
    assert person.answer("consent", {"consent": "yes"}).status_code == 303
    return person


def test_resume_code_continues_on_another_device(app, runner, tmp_path):
    person = started_panel(app, runner, tmp_path)
    assert "Continue later" in person.page("story").data.decode()
    person.get("/panel/later")
    html = person.post("/panel/later", {}).data.decode()
    code = re.search(r"<strong>([0-9A-Z-]{14})</strong>", html).group(1)
    assert count_rows(app, "draft") == 1  # moved, not copied

    other = Respondent(app.test_client(), "panel")
    other.get("/?lang=en")
    other.get("/panel/resume")
    response = other.post("/panel/resume", {"code": code.lower()})
    assert response.status_code == 303 and response.location.endswith("/panel/p/story")
    assert (
        other.follow(
            other.answer(
                "story", {"story": "weiter", "income": "1", "born-day": "1", "born-month": "1", "born-year": "1990"}
            )
        )
        == "review"
    )
    assert other.submit().location.endswith("/done")


def test_a_lost_answer_to_continue_later_gives_the_same_code_when_sent_again(app, runner, tmp_path):
    """Seen under load (bench/loadtest.py): the post moved the draft under the new code, its answer
    never arrived, and the browser, still holding its old cookie, sent it again. It must find the
    moved draft and show the same code, not lose the answers under a code nobody saw."""
    person = started_panel(app, runner, tmp_path)
    person.get("/panel/later")
    cookie = person.client.get_cookie("survey")
    first = re.search(r"<strong>([0-9A-Z-]{14})</strong>", person.post("/panel/later", {}).data.decode()).group(1)
    person.client.set_cookie("survey", cookie.value)  # the answer, with its new cookie, was lost
    again = person.post("/panel/later", {})
    assert again.status_code == 200
    assert re.search(r"<strong>([0-9A-Z-]{14})</strong>", again.data.decode()).group(1) == first
    assert count_rows(app, "draft") == 1
    assert person.page("story").status_code == 200  # this device goes on too

    other = Respondent(app.test_client(), "panel")
    other.get("/?lang=en")
    other.get("/panel/resume")
    assert other.post("/panel/resume", {"code": first}).location.endswith("/panel/p/story")
    # Asking for a code again on purpose gives a new one; the first stops working.
    second = re.search(r"<strong>([0-9A-Z-]{14})</strong>", person.post("/panel/later", {}).data.decode()).group(1)
    assert second != first
    late = Respondent(app.test_client(), "panel")
    late.get("/?lang=en")
    late.get("/panel/resume")
    assert late.post("/panel/resume", {"code": first}).status_code == 400


def test_two_posts_moving_the_same_draft_at_once_both_end_with_it(app, runner, tmp_path):
    """The post sent again while the first still runs (Argon2id takes a while): both read the draft
    under the old secret, both move it to the same new id; the second must not fail with a 500."""
    person = started_panel(app, runner, tmp_path)
    with person.client.session_transaction() as cookie:
        secret = base64.urlsafe_b64decode(cookie["drafts"]["panel"])
    moved_to = hashlib.sha256(b"the resume code's secret").digest()
    with app.app_context():
        questionnaire = questionnaires.get("panel")
        first, second = (app.extensions["survey.db"].sessions() for _ in range(2))
        states = [services.open_draft(db, questionnaire, secret) for db in (first, second)]
        services.rekey(first, states[0], moved_to)
        again = services.rekey(second, states[1], moved_to)
        assert again.answers == states[0].answers and again.answers["consent"] is True
        first.close()
        second.close()
    assert count_rows(app, "draft") == 1


def test_wrong_resume_code_is_refused_clearly(app):
    person = Respondent(app.test_client(), "panel")
    person.get("/?lang=en")
    person.get("/panel/resume")
    response = person.post("/panel/resume", {"code": "0000-0000-0000"})
    assert response.status_code == 400
    assert "We found no saved answers for this code" in response.data.decode()


def test_questionnaire_without_resume_offers_no_continue_later(app, client):
    assert client.get("/every-type/later").status_code == 404
    assert client.get("/every-type/resume").status_code == 404


def test_old_drafts_expire_and_are_purged(app, runner, tmp_path):
    person = started_panel(app, runner, tmp_path)
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=31)
    with app.extensions["survey.db"].engine.begin() as connection:
        connection.execute(update(Draft).values(updated_at=old))
    assert person.page("story").location.endswith("/panel/start")  # expired: start again
    result = runner.invoke(args=["drafts", "purge", "--days", "30"])
    assert result.exit_code == 0 and "purged 1 draft" in result.output
    assert count_rows(app, "draft") == 0


def test_submitted_response_survives_purge_of_its_draft(app, runner, tmp_path):
    answer_panel(app.test_client(), issue_code(runner, tmp_path))
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=31)
    with app.extensions["survey.db"].engine.begin() as connection:
        connection.execute(update(Draft).values(updated_at=old))
    runner.invoke(args=["drafts", "purge"])
    assert count_rows(app, "sealed_response") == 1 and count_rows(app, "paradata") == 1
