"""Account administration: admins only; add, disable, enable and re-role accounts."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey.audit import AuditEvent

from ..conftest import csrf_token
from .signin import PASSWORD, current_code, load_user, login, make_user, post_form, submit_password, totp_secret

ADMIN = "ada@example.org"


def admin_client(app):
    client = login(app.test_client(), app, ADMIN, ["admin"])
    client.get("/?lang=en")
    return client


def user_id(app, email: str) -> int:
    return load_user(app, email).id


def test_anonymous_people_are_sent_to_login_and_come_back(app, client):
    response = client.get("/account/admin/users")
    assert response.status_code == 302
    assert response.location == "/account/login?next=/account/admin/users"
    make_user(app, ADMIN, ["admin"], with_totp=True)
    submit_password(client, ADMIN, next="/account/admin/users")
    response = post_form(client, "/account/totp", "/account/totp", {"code": current_code(totp_secret(app, ADMIN))})
    assert response.location == "/account/admin/users"


def test_interviewers_and_researchers_get_403(app):
    for email, roles in (("ivo@example.org", ["interviewer"]), ("rita@example.org", ["researcher"])):
        client = login(app.test_client(), app, email, roles)
        assert client.get("/account/admin/users").status_code == 403
        assert client.post(f"/account/admin/users/{user_id(app, email)}/disable").status_code in (400, 403)
        token = csrf_token(client.get("/account/").data)
        assert (
            client.post(
                f"/account/admin/users/{user_id(app, email)}/roles", data={"roles": "admin", "csrf_token": token}
            ).status_code
            == 403
        )
        assert "admin" not in load_user(app, email).role_set


def test_admin_without_second_factor_cannot_administer(app):
    client = login(app.test_client(), app, ADMIN, ["admin"], with_totp=False)
    assert client.get("/account/admin/users").location.startswith("/account/totp/setup")


def test_admin_lists_and_adds_accounts(app):
    client = admin_client(app)
    make_user(app, "ivo@example.org", ["interviewer"])
    html = client.get("/account/admin/users").data.decode()
    assert "<h1>Accounts</h1>" in html and "<script" not in html
    assert re.search(r"ivo@example.org</bdi></a></td>\s*<td>Interviewer</td>\s*<td>Active", html)
    response = post_form(
        client,
        "/account/admin/users",
        "/account/admin/users",
        {"email": "Neu@Example.org", "roles": ["researcher", "interviewer"], "password": PASSWORD},
    )
    assert response.status_code == 303
    created = load_user(app, "neu@example.org")
    assert created.role_set == {"researcher", "interviewer"} and created.active
    assert "Account created for neu@example.org" in client.get("/account/admin/users").data.decode()
    with app.extensions["survey.db"].sessions() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.event == "user.created")).all()[-1]
    assert event.actor == ADMIN and "neu@example.org" in event.detail and PASSWORD not in event.detail


def test_adding_an_account_shows_each_problem_linked_to_its_field(app):
    client = admin_client(app)
    response = post_form(client, "/account/admin/users", "/account/admin/users", {"email": "", "password": "kurz"})
    assert response.status_code == 400
    html = response.data.decode()
    assert "<title>Error:" in html and "There is a problem" in html
    assert '<a href="#email">Enter an email address</a>' in html
    assert '<a href="#roles-0">Choose at least one role</a>' in html
    assert '<a href="#password">Use at least 12 characters</a>' not in html  # rules run once the form is complete
    response = post_form(
        client,
        "/account/admin/users",
        "/account/admin/users",
        {"email": ADMIN, "roles": ["interviewer"], "password": PASSWORD},
    )
    assert '<a href="#email">There is already an account with this email address</a>' in response.data.decode()
    response = post_form(
        client,
        "/account/admin/users",
        "/account/admin/users",
        {"email": "neu@example.org", "roles": ["interviewer"], "password": "Password2024!"},
    )
    assert 'href="#password">This password is known from leaked password lists' in response.data.decode()
    response = post_form(
        client,
        "/account/admin/users",
        "/account/admin/users",
        {"email": "neu@example.org", "roles": ["interviewer"], "password": "abcabcabcabcabc"},
    )
    assert 'href="#password">This password is too easy to guess' in response.data.decode()
    response = post_form(
        client,
        "/account/admin/users",
        "/account/admin/users",
        {"email": "neu@example.org", "roles": ["boss"], "password": PASSWORD},
    )
    assert '<a href="#roles-0">Choose roles from the list</a>' in response.data.decode()
    assert client.get("/account/admin/users").data.decode().count("neu@example.org") == 0


def test_disabling_ends_sign_in_and_running_sessions_then_enabling_restores(app):
    client = admin_client(app)
    ivo = login(app.test_client(), app, "ivo@example.org", ["interviewer"])
    assert ivo.get("/account/").status_code == 200
    page = f"/account/admin/users/{user_id(app, 'ivo@example.org')}"
    response = post_form(client, page, page + "/disable", {})
    assert response.status_code == 303
    assert not load_user(app, "ivo@example.org").active
    assert "Disabled" in client.get(page).data.decode()
    assert ivo.get("/account/").status_code == 302  # the running session has ended
    other = app.test_client()
    other.get("/?lang=en")
    assert "Email or password is wrong" in submit_password(other, "ivo@example.org").data.decode()
    response = post_form(client, page, page + "/enable", {})
    assert response.status_code == 303 and load_user(app, "ivo@example.org").active
    assert submit_password(app.test_client(), "ivo@example.org").status_code == 303


def test_admin_changes_roles(app):
    client = admin_client(app)
    make_user(app, "ivo@example.org", ["interviewer"])
    page = f"/account/admin/users/{user_id(app, 'ivo@example.org')}"
    html = client.get(page).data.decode()
    assert 'value="interviewer" checked' in html and 'value="researcher" checked' not in html
    response = post_form(client, page, page + "/roles", {"roles": ["researcher", "interviewer"]})
    assert response.status_code == 303
    assert load_user(app, "ivo@example.org").role_set == {"researcher", "interviewer"}
    response = post_form(client, page, page + "/roles", {})
    assert response.status_code == 400 and '<a href="#roles-0">Choose at least one role</a>' in response.data.decode()
    assert load_user(app, "ivo@example.org").role_set == {"researcher", "interviewer"}
    with app.extensions["survey.db"].sessions() as db:
        changed = db.scalars(select(AuditEvent).where(AuditEvent.event == "user.roles_changed")).one()
    assert changed.detail == "user=ivo@example.org roles=interviewer->interviewer,researcher"


def test_the_last_admin_cannot_be_demoted_or_disable_themselves(app):
    client = admin_client(app)
    page = f"/account/admin/users/{user_id(app, ADMIN)}"
    response = post_form(client, page, page + "/roles", {"roles": ["researcher"]})
    assert response.status_code == 400 and "The last active administrator" in response.data.decode()
    response = post_form(client, page, page + "/disable", {})
    assert response.status_code == 400 and "You cannot disable your own account" in response.data.decode()
    assert load_user(app, ADMIN).role_set == {"admin"} and load_user(app, ADMIN).active


def test_admin_resets_password_and_second_factor(app):
    client = admin_client(app)
    login(app.test_client(), app, "rita@example.org", ["researcher"])
    page = f"/account/admin/users/{user_id(app, 'rita@example.org')}"
    response = post_form(client, page, page + "/second-factor", {})
    assert response.status_code == 303
    rita = load_user(app, "rita@example.org")
    assert rita.totp_secret is None and not rita.totp_confirmed
    new = "Neues Passwort fuer Rita"
    assert post_form(client, page, page + "/password", {"password": "kurz"}).status_code == 400
    assert post_form(client, page, page + "/password", {"password": new}).status_code == 303
    assert submit_password(app.test_client(), "rita@example.org", PASSWORD).status_code == 400
    response = submit_password(app.test_client(), "rita@example.org", new)
    # The admin's password is temporary: replaced first, then the second factor is set up again.
    assert response.location == "/account/password?next=/account/totp/setup"
    assert load_user(app, "rita@example.org").must_change_password


def test_unknown_account_is_404(app):
    client = admin_client(app)
    assert client.get("/account/admin/users/999999").status_code == 404


def test_every_account_change_is_audited_without_passwords_or_secrets(app):
    client = admin_client(app)
    secret = totp_secret(app, ADMIN)
    new = "Noch ein langes Passwort"
    post_form(
        client,
        "/account/admin/users",
        "/account/admin/users",
        {"email": "ivo@example.org", "roles": ["interviewer"], "password": PASSWORD},
    )
    page = f"/account/admin/users/{user_id(app, 'ivo@example.org')}"
    for action, data in (
        ("/roles", {"roles": ["researcher"]}),
        ("/disable", {}),
        ("/enable", {}),
        ("/password", {"password": new}),
        ("/second-factor", {}),
    ):
        assert post_form(client, page, page + action, data).status_code == 303, action
    with app.extensions["survey.db"].sessions() as db:
        logged = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [event.event for event in logged] == [
        "user.created",
        "login",
        "user.created",
        "user.roles_changed",
        "user.disabled",
        "user.enabled",
        "password.reset",
        "totp.reset",
    ]
    assert all(event.actor == ADMIN for event in logged[2:])
    text = " ".join(f"{event.actor} {event.detail}" for event in logged)
    assert PASSWORD not in text and new not in text and secret not in text
