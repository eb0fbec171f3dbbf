"""One signed CSRF token per session, reused by every page of that session (survey/security.py)."""

from __future__ import annotations

from flask_wtf.csrf import validate_csrf

from survey import security

from .conftest import csrf_token, make_app
from .journey import Respondent


def test_every_page_of_a_session_carries_the_same_valid_token(app):
    person = Respondent(app.test_client(), "every-type")
    first_page = person.start("en")
    shown = csrf_token(person.client.get(f"/every-type/p/{first_page}").data)
    again = csrf_token(person.client.get(f"/every-type/p/{first_page}").data)
    assert shown == again == person.token
    with app.test_request_context():
        with person.client.session_transaction() as stored:
            raw = stored["csrf_token"]
        from flask import session

        session["csrf_token"] = raw
        validate_csrf(shown)  # raises if the reused signature were not this session's
    assert app.extensions["survey.signed_csrf"][raw] == shown


def test_another_session_gets_its_own_token_and_cannot_use_mine(app):
    mine = Respondent(app.test_client(), "every-type")
    mine.start("en")
    other = app.test_client()
    token = csrf_token(other.get("/every-type/").data)
    assert token != mine.token
    response = mine.client.post("/every-type/", data={"language": "en", "csrf_token": token})
    assert response.status_code == 400


def test_the_reused_token_is_accepted_page_after_page(app):
    person = Respondent(app.test_client(), "every-type")
    page = person.start("en")
    token = person.token
    response = person.post(f"/every-type/p/{page}", {"consent": "yes"})
    assert response.status_code == 303, response.data[:500]
    person.follow(response)
    assert person.token == token


def test_the_kept_tokens_are_bounded(app, monkeypatch):
    monkeypatch.setattr(security, "SIGNED_TOKENS_KEPT", 2)
    app.extensions["survey.signed_csrf"].clear()
    for _ in range(5):
        csrf_token(app.test_client().get("/every-type/").data)
    assert 1 <= len(app.extensions["survey.signed_csrf"]) <= 2


def test_with_a_time_limit_nothing_is_kept(tmp_path):
    limited = make_app(f"sqlite:///{tmp_path / 'survey.sqlite3'}", WTF_CSRF_TIME_LIMIT=3600)
    client = limited.test_client()
    token = csrf_token(client.get("/every-type/").data)
    assert token
    assert limited.extensions["survey.signed_csrf"] == {}


def test_a_session_cleared_after_signing_keeps_nothing(app):
    from flask import session

    with app.test_request_context("/"):
        first = security.csrf_token()
        raw = session["csrf_token"]
        session.clear()  # as signing in or out does
        assert security.csrf_token() == first  # as Flask-WTF: the request's token stays
        assert raw in app.extensions["survey.signed_csrf"]
        assert len([token for token in app.extensions["survey.signed_csrf"].values() if token == first]) == 1


def test_a_kept_token_is_accepted_without_opening_its_signature_others_are_checked_in_full(app, monkeypatch):
    person = Respondent(app.test_client(), "every-type")
    page = person.start("en")
    full_checks = []

    def counted(self, apply_exemptions=False):
        full_checks.append(apply_exemptions)
        return original(self, apply_exemptions)

    original = security.CSRFProtect.protect
    monkeypatch.setattr(security.CSRFProtect, "protect", counted)
    tampered = person.token[:-2] + ("AA" if not person.token.endswith("AA") else "BB")
    refused = person.client.post(f"/every-type/p/{page}", data={"consent": "yes", "csrf_token": tampered})
    assert refused.status_code == 400 and len(full_checks) == 1
    response = person.post(f"/every-type/p/{page}", {"consent": "yes"})
    assert response.status_code == 303 and len(full_checks) == 1  # the kept token: no full check
    app.extensions["survey.signed_csrf"].clear()  # another worker, or one that forgot
    again = person.client.post(f"/every-type/p/{page}", data={"consent": "yes", "csrf_token": person.token})
    assert again.status_code in (302, 303) and len(full_checks) == 2
