"""Staff sessions end on the server: after logout, a password change, a second-factor reset or
disabling, a copy of the session cookie no longer opens anything (ASVS 3.3.1)."""

from __future__ import annotations

from flask.testing import FlaskClient

from survey.accounts import services

from ..conftest import csrf_token
from .signin import PASSWORD, load_user, login, make_user, post_form, submit_password

EMAIL = "ina@example.org"
ADMIN = "ada@example.org"
COOKIE = "survey"


def copy_of(app, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie (stolen, or restored from a backup)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    return client.get("/account/").status_code == 200


def log_out(client: FlaskClient) -> None:
    response = client.post("/account/logout", data={"csrf_token": csrf_token(client.get("/account/").data)})
    assert response.status_code == 303


def test_a_copied_cookie_stops_working_at_logout(app):
    client = login(app.test_client(), app, EMAIL, ["interviewer"])
    thief = copy_of(app, client)
    assert signed_in(thief)  # the copy is as good as the original...
    log_out(client)
    # ...until the owner signs out: then it is an anonymous visitor, sent to the login page.
    response = thief.get("/account/")
    assert response.status_code == 302 and response.location.startswith("/account/login")
    assert thief.get("/interview/").status_code == 302
    assert not signed_in(client)
    # Signing in again makes a new session; the old copy stays dead.
    login(client, app, EMAIL, ["interviewer"])
    assert signed_in(client) and not signed_in(thief)


def test_a_copied_admin_cookie_stops_working_at_logout(app):
    client = login(app.test_client(), app, ADMIN, ["admin"])
    thief = copy_of(app, client)
    assert thief.get("/account/admin/users").status_code == 200
    log_out(client)
    response = thief.get("/account/admin/users")
    assert response.status_code == 302 and response.location == "/account/login?next=/account/admin/users"


def test_logout_ends_the_accounts_sessions_on_every_device(app):
    tablet = login(app.test_client(), app, EMAIL, ["interviewer"])
    laptop = login(app.test_client(), app, EMAIL, ["interviewer"])
    log_out(laptop)
    assert not signed_in(tablet)


def test_a_password_change_ends_other_sessions_and_copies_but_keeps_this_one(app):
    client = login(app.test_client(), app, EMAIL, ["interviewer"])
    other_device = login(app.test_client(), app, EMAIL, ["interviewer"])
    thief = copy_of(app, client)
    new = "Kraniche ziehen im Herbst nach Sueden"
    response = post_form(
        client, "/account/password", "/account/password", {"current": PASSWORD, "new": new, "confirm": new}
    )
    assert response.status_code == 303
    assert signed_in(client)
    assert not signed_in(other_device) and not signed_in(thief)
    # The session goes on with the new generation: a copy made now works until the next logout.
    later_copy = copy_of(app, client)
    assert signed_in(later_copy)
    log_out(client)
    assert not signed_in(later_copy)


def test_admin_actions_end_the_users_sessions(app):
    admin = login(app.test_client(), app, ADMIN, ["admin"])
    rita = login(app.test_client(), app, "rita@example.org", ["researcher"])
    page = f"/account/admin/users/{load_user(app, 'rita@example.org').id}"
    assert rita.get("/account/").status_code == 200
    assert post_form(admin, page, page + "/second-factor", {}).status_code == 303
    assert not signed_in(rita)

    rita = login(app.test_client(), app, "rita@example.org", ["researcher"], with_totp=False)
    assert signed_in(rita)
    assert post_form(admin, page, page + "/password", {"password": "Neues Passwort fuer Rita"}).status_code == 303
    assert not signed_in(rita)

    ivo = login(app.test_client(), app, "ivo@example.org", ["interviewer"])
    page = f"/account/admin/users/{load_user(app, 'ivo@example.org').id}"
    assert post_form(admin, page, page + "/disable", {}).status_code == 303
    assert post_form(admin, page, page + "/enable", {}).status_code == 303
    assert not signed_in(ivo)  # enabling again does not bring the old session back
    assert signed_in(admin)


def test_command_line_recovery_ends_the_users_sessions(app, runner):
    rita = login(app.test_client(), app, "rita@example.org", ["researcher"])
    assert runner.invoke(args=["users", "reset-second-factor", "--email", "rita@example.org"]).exit_code == 0
    assert not signed_in(rita)
    rita = login(app.test_client(), app, "rita@example.org", ["researcher"], with_totp=False)
    result = runner.invoke(
        args=["users", "set-password", "--email", "rita@example.org"],
        env={"SURVEY_USER_PASSWORD": "Neues Passwort fuer Rita"},
    )
    assert result.exit_code == 0, result.output
    assert not signed_in(rita)


def test_a_half_login_ends_when_the_password_is_reset(app):
    make_user(app, EMAIL, ["researcher"], with_totp=True)
    client = app.test_client()
    assert submit_password(client, EMAIL).location == "/account/totp"
    with app.app_context(), app.extensions["survey.db"].sessions() as db:
        user = services.find_by_email(db, EMAIL)
        assert user is not None
        services.set_password(db, user, "Neues Passwort fuer Ina", actor="test")
    response = client.get("/account/totp")
    assert response.status_code == 302 and response.location.startswith("/account/login")


def test_a_session_from_before_generations_counts_as_signed_out(app):
    client = login(app.test_client(), app, EMAIL, ["interviewer"])
    with client.session_transaction() as session:
        session["account"] = {key: value for key, value in session["account"].items() if key != "gen"}
    assert not signed_in(client)
    with client.session_transaction() as session:
        assert "account" not in session


def test_each_ending_raises_the_generation_once(app):
    make_user(app, EMAIL, ["interviewer"])
    before = load_user(app, EMAIL).session_generation
    client = login(app.test_client(), app, EMAIL, ["interviewer"])
    assert load_user(app, EMAIL).session_generation == before  # signing in ends nothing
    log_out(client)
    assert load_user(app, EMAIL).session_generation == before + 1


def test_an_admin_acting_on_their_own_account_keeps_this_session_only(app):
    admin = login(app.test_client(), app, ADMIN, ["admin", "interviewer"])
    thief = copy_of(app, admin)
    page = f"/account/admin/users/{load_user(app, ADMIN).id}"
    new = "Kraniche ziehen im Herbst nach Sueden"
    assert post_form(admin, page, page + "/password", {"password": new}).status_code == 303
    assert admin.get(page).status_code == 200 and not signed_in(thief)
    thief = copy_of(app, admin)
    assert post_form(admin, page, page + "/second-factor", {}).status_code == 303
    assert not signed_in(thief)
    # Signed in still, but without a second factor: admin pages wait for a new enrolment.
    assert signed_in(admin)
    assert admin.get(page).location.startswith("/account/totp/setup")
