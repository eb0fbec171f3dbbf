"""Passwords an admin sets for someone else are temporary: the person signs in with it, but has to
choose their own before any other staff page opens (the same hold as for a leaked password)."""

from __future__ import annotations

from sqlalchemy import select

from survey.audit import AuditEvent

from .signin import (
    PASSWORD,
    current_code,
    load_user,
    login,
    make_user,
    post_form,
    submit_password,
    totp_secret,
    update_user,
)
from .test_admin import admin_client, user_id
from .test_password_recheck import change_password

EMAIL = "ivo@example.org"
TEMPORARY = "Vorlaeufiges Passwort vom Amt"
OWN = "Kraniche ziehen im Herbst nach Sueden"
EXPLANATION = "An administrator has set this password for you; choose your own to continue."
LEAKED_EXPLANATION = "Your password is on a list of leaked passwords"


def _audit(app) -> list[tuple[str, str, str]]:
    with app.extensions["survey.db"].sessions() as db:
        return [(e.event, e.actor, e.detail) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _held_until_changed(app, client, email: str, first_stop: str, page: str) -> None:
    """`client` has just signed in with a temporary password: held at the change until it is done."""
    assert first_stop == f"/account/password?next={page}"
    client.get("/?lang=en")
    html = client.get(first_stop).data.decode()
    assert EXPLANATION in html and LEAKED_EXPLANATION not in html and 'class="back"' not in html
    for url in (page, "/account/"):
        assert client.get(url).location == f"/account/password?next={url}", url
    assert load_user(app, email).must_change_password
    response = change_password(client, first_stop, new=OWN, current=TEMPORARY)
    assert response.status_code == 303 and response.location == page
    assert client.get(page).status_code == 200
    assert not load_user(app, email).must_change_password
    assert ("password.change_required", email, "reason=temporary") in _audit(app)


def test_an_account_an_admin_created_must_change_its_password_before_the_interview_pages(app):
    admin = admin_client(app)
    response = post_form(
        admin,
        "/account/admin/users",
        "/account/admin/users",
        {"email": EMAIL, "roles": ["interviewer"], "password": TEMPORARY},
    )
    assert response.status_code == 303
    assert load_user(app, EMAIL).must_change_password
    client = app.test_client()
    response = submit_password(client, EMAIL, TEMPORARY, next="/interview/")
    assert response.status_code == 303
    _held_until_changed(app, client, EMAIL, response.location, "/interview/")
    # The next sign-in, with the password the person chose, goes straight through.
    response = submit_password(app.test_client(), EMAIL, OWN, next="/interview/")
    assert response.location == "/interview/"


def test_a_password_an_admin_reset_must_be_changed_after_both_factors_before_the_research_pages(app):
    email = "rita@example.org"
    make_user(app, email, ["researcher", "interviewer"], with_totp=True)
    admin = admin_client(app)
    page = f"/account/admin/users/{user_id(app, email)}"
    assert post_form(admin, page, page + "/password", {"password": TEMPORARY}).status_code == 303
    client = app.test_client()
    response = submit_password(client, email, TEMPORARY, next="/research/")
    assert response.location == "/account/totp"
    response = post_form(client, "/account/totp", "/account/totp", {"code": current_code(totp_secret(app, email))})
    assert response.status_code == 303
    _held_until_changed(app, client, email, response.location, "/research/")
    assert client.get("/interview/").status_code == 200


def test_an_admin_setting_their_own_password_is_not_held(app):
    admin = admin_client(app)
    page = f"/account/admin/users/{user_id(app, 'ada@example.org')}"
    assert post_form(admin, page, page + "/password", {"password": OWN}).status_code == 303
    assert not load_user(app, "ada@example.org").must_change_password
    assert admin.get("/account/admin/users").status_code == 200  # this session goes on, not held
    update_user(app, "ada@example.org", totp_last_step=None)
    response = submit_password(app.test_client(), "ada@example.org", OWN)
    assert response.location == "/account/totp"


def test_a_normal_account_is_not_held(app):
    client = login(app.test_client(), app, EMAIL, ["interviewer"])
    assert not load_user(app, EMAIL).must_change_password
    assert client.get("/interview/").status_code == 200
    client.get("/?lang=en")
    assert EXPLANATION not in client.get("/account/password").data.decode()
    response = submit_password(app.test_client(), EMAIL, PASSWORD, next="/interview/")
    assert response.location == "/account/totp"
    assert "password.change_required" not in [event for event, _, _ in _audit(app)]


def test_own_change_clears_a_temporary_password_even_without_a_hold(app):
    client = login(app.test_client(), app, EMAIL, ["interviewer"])
    update_user(app, EMAIL, must_change_password=True)  # set while this session was already running
    response = change_password(client, "/account/password", new=OWN, current=PASSWORD)
    assert response.status_code == 303
    assert not load_user(app, EMAIL).must_change_password


def test_command_line_marks_a_password_temporary_only_when_asked(app, runner):
    env = {"SURVEY_USER_PASSWORD": TEMPORARY}
    result = runner.invoke(args=["users", "create", "--email", EMAIL, "--role", "interviewer", "--temporary"], env=env)
    assert result.exit_code == 0, result.output
    assert "new password at the first sign-in" in result.output
    assert load_user(app, EMAIL).must_change_password
    result = runner.invoke(args=["users", "create", "--email", "rita@example.org", "--role", "interviewer"], env=env)
    assert result.exit_code == 0, result.output
    assert not load_user(app, "rita@example.org").must_change_password
    # set-password: temporary only with the flag; without it, the password is the user's own.
    args = ["users", "set-password", "--email", "rita@example.org"]
    assert runner.invoke(args=[*args, "--temporary"], env=env).exit_code == 0
    assert load_user(app, "rita@example.org").must_change_password
    assert runner.invoke(args=args, env={"SURVEY_USER_PASSWORD": OWN}).exit_code == 0
    assert not load_user(app, "rita@example.org").must_change_password
    response = submit_password(app.test_client(), EMAIL, TEMPORARY, next="/interview/")
    assert response.location == "/account/password?next=/interview/"
