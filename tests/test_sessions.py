"""The session cookie opened once per value (survey/sessions.py): Flask's format and checks, a copy per
request, and a changed, expired or foreign cookie never opened from memory."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

from survey.sessions import KeptCookieSessionInterface

SECRET = "a secret for the tests of the session cookie"


def make(interface: SecureCookieSessionInterface) -> Flask:
    """A small app of its own with this session interface."""
    application = Flask(__name__)
    application.secret_key = SECRET
    application.session_interface = interface

    @application.post("/set")
    def set_values() -> str:
        session["drafts"] = {"study": "secret-1"}
        session["lang"] = "de"
        return "set"

    @application.get("/show")
    def show() -> dict[str, Any]:
        return dict(session)

    @application.post("/change-inside")
    def change_inside() -> str:
        session["drafts"]["study"] = "changed in place"  # a view that forgets to copy
        return "changed"

    return application


@pytest.fixture
def kept_app() -> Flask:
    return make(KeptCookieSessionInterface())


def cookie_of(app: Flask) -> str:
    client = app.test_client()
    client.post("/set")
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def show(app: Flask, value: str) -> Any:
    client = app.test_client()
    client.set_cookie("session", value)
    return client.get("/show").json


def test_a_cookie_opens_to_what_was_stored_again_and_again(kept_app):
    value = cookie_of(kept_app)
    expected = {"drafts": {"study": "secret-1"}, "lang": "de"}
    assert show(kept_app, value) == expected
    assert value in kept_app.session_interface._opened  # type: ignore[attr-defined]
    assert show(kept_app, value) == expected


def test_the_format_is_flasks_own_both_ways(kept_app):
    ours = cookie_of(kept_app)
    flask_app = make(SecureCookieSessionInterface())
    assert show(flask_app, ours) == {"drafts": {"study": "secret-1"}, "lang": "de"}
    theirs = cookie_of(flask_app)
    assert show(kept_app, theirs) == {"drafts": {"study": "secret-1"}, "lang": "de"}


def test_a_changed_cookie_is_not_opened_even_after_the_right_one(kept_app):
    value = cookie_of(kept_app)
    assert show(kept_app, value)["lang"] == "de"
    payload, _, rest = value.partition(".")
    changed = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + rest
    assert show(kept_app, changed) == {}
    head, _, signature = value.rpartition(".")
    # The signature's first character (its last one may carry padding bits that decoding ignores).
    assert show(kept_app, f"{head}.{'x' if signature[0] != 'x' else 'y'}{signature[1:]}") == {}


def test_a_change_in_place_stays_in_its_request(kept_app):
    value = cookie_of(kept_app)
    for _ in range(2):  # opened afresh, then from memory
        client = kept_app.test_client()
        client.set_cookie("session", value)
        assert client.post("/change-inside").status_code == 200
    assert show(kept_app, value)["drafts"] == {"study": "secret-1"}


def test_an_expired_cookie_is_refused_also_when_it_was_opened_before(kept_app, monkeypatch):
    value = cookie_of(kept_app)
    assert show(kept_app, value)["lang"] == "de"
    lifetime = kept_app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert show(kept_app, value) == {}


def test_another_secret_key_forgets_what_was_opened(kept_app):
    value = cookie_of(kept_app)
    assert show(kept_app, value)["lang"] == "de"
    kept_app.secret_key = "another secret key"
    assert show(kept_app, value) == {}
