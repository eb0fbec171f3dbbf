"""Login, logout, lockout and sessions through the account pages."""

from __future__ import annotations

import datetime
import time

import pytest
from sqlalchemy import select

from survey.accounts import services
from survey.audit import AuditEvent
from survey.db import utcnow

from ..conftest import csrf_token
from .signin import PASSWORD, load_user, login, make_user, post_form, submit_password, update_user

EMAIL = "ina@example.org"


def events(app) -> list[tuple[str, str, str]]:
    with app.extensions["survey.db"].sessions() as db:
        return [(e.event, e.actor, e.detail) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def signed_in_as(client) -> str | None:
    response = client.get("/account/", headers={"Accept-Language": "en"})
    if response.status_code != 200:
        return None
    html = response.data.decode()
    return html.split("Signed in as ", 1)[1].split("<", 1)[0] if "Signed in as " in html else None


def test_login_page_is_a_form_with_labels_and_no_javascript(client):
    html = client.get("/account/login?lang=en", follow_redirects=True).data.decode()
    assert "<h1>Sign in</h1>" in html
    assert '<label class="label" for="email">' in html and '<label class="label" for="password">' in html
    assert 'type="password"' in html and 'name="csrf_token"' in html and "novalidate" in html
    assert "<script" not in html


def test_interviewer_logs_in_with_password_only_and_logs_out(app, client):
    make_user(app, EMAIL, ["interviewer"])
    response = submit_password(client, "  INA@example.org ", PASSWORD)
    assert response.status_code == 303 and response.location == "/account/"
    assert signed_in_as(client) == EMAIL
    assert load_user(app, EMAIL).last_login_at is not None
    token = csrf_token(client.get("/account/").data)
    response = client.post("/account/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.location == "/account/login"
    assert client.get("/account/").status_code == 302
    with client.session_transaction() as session:
        assert "account" not in session
    assert [event for event, _, _ in events(app)] == ["user.created", "login", "logout"]


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "disabled account"])
def test_refused_logins_all_say_the_same_thing(app, client, case):
    make_user(app, EMAIL, ["interviewer"])
    email, password = EMAIL, PASSWORD
    if case == "wrong password":
        password = PASSWORD + "?"
    elif case == "unknown email":
        email = "nobody@example.org"
    else:
        update_user(app, EMAIL, active=False)
    client.get("/?lang=en")
    response = submit_password(client, email, password)
    assert response.status_code == 400
    html = response.data.decode()
    assert "Email or password is wrong" in html
    assert '<a href="#email">Email or password is wrong</a>' in html  # the error summary links to the field
    assert "<title>Error:" in html
    assert signed_in_as(client) is None
    failed = [e for e in events(app) if e[0] == "login.failed"]
    assert len(failed) == 1
    assert all(PASSWORD not in f"{actor} {detail}" for _, actor, detail in events(app))


def test_five_failures_lock_the_account_for_15_minutes_then_it_opens_again(app, client):
    make_user(app, EMAIL, ["interviewer"])
    client.get("/?lang=en")
    for attempt in range(5):
        response = submit_password(client, EMAIL, f"wrong password {attempt}")
    assert "This account is locked" in response.data.decode()
    user = load_user(app, EMAIL)
    assert user.locked_until is not None
    remaining = user.locked_until - utcnow()
    assert datetime.timedelta(minutes=14) < remaining <= datetime.timedelta(minutes=15)
    # Even the right password does not open a locked account.
    response = submit_password(client, EMAIL, PASSWORD)
    assert response.status_code == 400 and "This account is locked" in response.data.decode()
    assert "Try again later" in response.data.decode()
    recorded = [event for event, _, _ in events(app)]
    assert recorded.count("login.failed") == 5 and recorded.count("account.locked") == 1
    assert "login.refused" in recorded
    update_user(app, EMAIL, locked_until=utcnow() - datetime.timedelta(seconds=1))
    response = submit_password(client, EMAIL, PASSWORD)
    assert response.status_code == 303
    assert signed_in_as(client) == EMAIL
    assert load_user(app, EMAIL).failed_logins == 0


def test_a_success_resets_the_count_of_failures(app, client):
    make_user(app, EMAIL, ["interviewer"])
    for _ in range(4):
        submit_password(client, EMAIL, "not the password at all")
    assert submit_password(client, EMAIL, PASSWORD).status_code == 303
    assert load_user(app, EMAIL).failed_logins == 0
    assert submit_password(app.test_client(), EMAIL, "not the password at all").status_code == 400
    assert load_user(app, EMAIL).locked_until is None


def test_login_renews_the_session(app, client):
    make_user(app, EMAIL, ["interviewer"])
    with client.session_transaction() as session:
        session["drafts"] = {"every-type": "c2VjcmV0"}
        session["lang"] = "en"
    before = client.get_cookie("survey").value
    submit_password(client, EMAIL, PASSWORD)
    after = client.get_cookie("survey").value
    assert after != before
    with client.session_transaction() as session:
        assert "drafts" not in session  # nothing from before the login carries over...
        assert session["lang"] == "en"  # ...but the chosen language
        assert session["account"]["id"] == load_user(app, EMAIL).id
        assert time.time() - session["account"]["at"] < 60


def test_a_session_older_than_12_hours_must_log_in_again(app, client):
    login(client, app, EMAIL, ["interviewer"])
    assert signed_in_as(client) == EMAIL
    with client.session_transaction() as session:
        session["account"] = {**session["account"], "at": time.time() - 12 * 3600 - 5}
    response = client.get("/account/")
    assert response.status_code == 302 and response.location.startswith("/account/login")


def test_after_login_only_local_paths_are_followed(app, client):
    make_user(app, EMAIL, ["interviewer"])
    response = submit_password(client, EMAIL, PASSWORD, next="/account/password")
    assert response.location == "/account/password"
    for hostile in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        client.post("/account/logout", data={"csrf_token": csrf_token(client.get("/account/").data)})
        response = submit_password(client, EMAIL, PASSWORD, next=hostile)
        assert response.status_code == 303 and response.location == "/account/", hostile


def test_a_post_without_csrf_token_is_refused(app, client):
    make_user(app, EMAIL, ["interviewer"])
    response = client.post("/account/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert signed_in_as(client) is None
    login(client, app, EMAIL, ["interviewer"])
    assert client.post("/account/logout").status_code == 400
    assert signed_in_as(client) == EMAIL


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app, client):
    other_device = login(app.test_client(), app, EMAIL, ["interviewer"])
    login(client, app, EMAIL, ["interviewer"])
    client.get("/?lang=en")
    new = "Ein neues langes Passwort"
    response = post_form(
        client, "/account/password", "/account/password", {"current": "falsch", "new": new, "confirm": new}
    )
    assert response.status_code == 400 and "Your current password is wrong" in response.data.decode()
    response = post_form(
        client, "/account/password", "/account/password", {"current": PASSWORD, "new": "kurz", "confirm": "kurz"}
    )
    assert response.status_code == 400 and 'href="#new"' in response.data.decode()
    response = post_form(
        client, "/account/password", "/account/password", {"current": PASSWORD, "new": new, "confirm": new + "x"}
    )
    assert response.status_code == 400 and "not the same" in response.data.decode()
    response = post_form(
        client, "/account/password", "/account/password", {"current": PASSWORD, "new": new, "confirm": new}
    )
    assert response.status_code == 303
    assert signed_in_as(client) == EMAIL  # this session goes on
    assert signed_in_as(other_device) is None  # the other one has ended
    assert submit_password(app.test_client(), EMAIL, PASSWORD).status_code == 400
    assert submit_password(app.test_client(), EMAIL, new).status_code == 303
    assert "password.changed" in [event for event, _, _ in events(app)]
    assert all(new not in detail and PASSWORD not in detail for _, _, detail in events(app))


def test_service_authenticate_raises_domain_errors(app, db_session):
    with app.app_context():
        services.create_user(db_session, EMAIL, ["interviewer"], PASSWORD)
        assert services.authenticate(db_session, EMAIL.upper(), PASSWORD).email == EMAIL
        with pytest.raises(services.LoginRefused, match="wrong"):
            services.authenticate(db_session, "x" * 300, PASSWORD)
