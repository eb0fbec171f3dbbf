"""Passwords set before the password rules (or leaked since) are re-checked at sign-in: the person is
signed in, but has to choose a new password before any other staff page opens (ASVS 2.1.7)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.accounts import passwords, services
from survey.audit import AuditEvent

from ..conftest import csrf_token
from .signin import PASSWORD, current_code, login, make_user, post_form, submit_password, totp_secret, update_user

EMAIL = "olga@example.org"
OLD = "iloveyou2020"  # leaked, and accepted before the rules
NEW = "Kraniche ziehen im Herbst nach Sueden"
EXPLANATION = "Your password is on a list of leaked passwords or too easy to guess"


def with_old_password(app: Flask, email: str, roles: list[str], password: str = OLD, with_totp: bool = False) -> None:
    """An account whose stored password was never checked by the rules: hashed straight into the database."""
    make_user(app, email, roles, with_totp=with_totp)
    with app.app_context():
        update_user(app, email, password_hash=passwords.password_hasher().hash(password))


def change_password(client: FlaskClient, page: str, new: str = NEW, current: str = OLD):
    client.get("/?lang=en")
    return post_form(client, page, "/account/password", {"current": current, "new": new, "confirm": new} | _next(page))


def _next(page: str) -> dict[str, str]:
    """The way on that the page carries in its form, as the browser would send it back."""
    return {key: values[0] for key, values in parse_qs(urlsplit(page).query).items() if key == "next"}


def audit(app: Flask) -> list[tuple[str, str, str]]:
    with app.extensions["survey.db"].sessions() as db:
        return [(e.event, e.actor, e.detail) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_leaked_password_from_before_the_rules_must_be_replaced_before_anything_else(app):
    with_old_password(app, EMAIL, ["interviewer", "researcher"], with_totp=True)
    client = app.test_client()
    response = submit_password(client, EMAIL, OLD, next="/research/")
    assert response.status_code == 303 and response.location == "/account/totp"
    code = current_code(totp_secret(app, EMAIL))
    response = post_form(client, "/account/totp", "/account/totp", {"code": code})
    # Signed in, after both factors: but the first stop is the password change, then the page asked for.
    assert response.status_code == 303 and response.location == "/account/password?next=/research/"
    client.get("/?lang=en")
    page = client.get(response.location)
    html = page.data.decode()
    assert page.status_code == 200 and EXPLANATION in html
    assert 'name="next" value="/research/"' in html and 'class="back"' not in html
    # Every staff page sends the person back here, and says where they wanted to go.
    for url in ("/research/", "/interview/", "/account/", "/account/totp/setup"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location == f"/account/password?next={url}", url
    token = csrf_token(html)
    response = client.post("/interview/", data={"csrf_token": token, "questionnaire": "every-type"})
    assert response.status_code == 302 and response.location == "/account/password"
    # Public pages and static files stay open.
    static = client.get("/static/survey.css")
    static.close()  # a file response holds its file open until closed
    assert static.status_code == 200
    assert client.get("/every-type/").status_code == 200
    # The rules apply to the new password too; a refusal keeps the restriction.
    response = change_password(client, "/account/password?next=/research/", new="password1234")
    assert response.status_code == 400 and 'href="#new"' in response.data.decode()
    assert client.get("/research/").status_code == 302
    response = change_password(client, "/account/password?next=/research/")
    assert response.status_code == 303 and response.location == "/research/"
    for url in ("/research/", "/interview/", "/account/"):
        assert client.get(url).status_code == 200, url
    page = client.get("/account/password").data.decode()
    assert EXPLANATION not in page and 'class="back"' in page
    recorded = audit(app)
    assert ("password.change_required", EMAIL, "reason=breached") in recorded
    assert ("password.changed", EMAIL, "") in recorded
    assert all(OLD not in f"{actor} {detail}" and NEW not in detail for _, actor, detail in recorded)


@pytest.mark.parametrize(
    ("password", "reason"),
    [("password1234", "breached"), ("kurz-genug", "short"), ("aaaaaaaaaaaaaaaa", "common"), (EMAIL, "email")],
)
def test_every_rule_counts_at_sign_in_without_a_second_factor(app, password, reason):
    with_old_password(app, EMAIL, ["interviewer"], password=password)
    client = app.test_client()
    response = submit_password(client, EMAIL, password)
    assert response.status_code == 303 and response.location == "/account/password"
    assert client.get("/interview/").location == "/account/password?next=/interview/"
    assert ("password.change_required", EMAIL, f"reason={reason}") in audit(app)
    response = change_password(client, "/account/password", current=password)
    assert response.status_code == 303 and response.location == "/account/"
    assert client.get("/interview/").status_code == 200


def test_a_researcher_without_second_factor_changes_the_password_first_then_enrols(app):
    with_old_password(app, EMAIL, ["researcher"])
    client = app.test_client()
    response = submit_password(client, EMAIL, OLD, next="/research/")
    assert response.status_code == 303
    assert response.location == "/account/password?next=/account/totp/setup?next%3D/research/"
    assert client.get("/account/totp/setup").location == "/account/password?next=/account/totp/setup"
    response = change_password(client, response.location)
    assert response.status_code == 303 and response.location == "/account/totp/setup?next=/research/"
    assert client.get(response.location).status_code == 200
    assert client.get("/research/").location.startswith("/account/totp/setup")  # the second factor is next


def test_signing_out_stays_possible_and_the_next_sign_in_asks_again(app):
    with_old_password(app, EMAIL, ["interviewer"])
    client = app.test_client()
    submit_password(client, EMAIL, OLD)
    token = csrf_token(client.get("/account/password").data)
    response = client.post("/account/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.location == "/account/login"
    assert client.get("/interview/").location.startswith("/account/login")
    response = submit_password(client, EMAIL, OLD, next="/interview/")
    assert response.location == "/account/password?next=/interview/"
    assert [event for event, _, _ in audit(app)].count("password.change_required") == 2


def test_a_good_password_signs_in_without_detour_or_audit_entry(app):
    client = login(app.test_client(), app, EMAIL, ["interviewer", "researcher"])
    for url in ("/research/", "/interview/", "/account/"):
        assert client.get(url).status_code == 200, url
    client.get("/?lang=en")
    assert EXPLANATION not in client.get("/account/password").data.decode()
    response = submit_password(app.test_client(), EMAIL, PASSWORD, next="/interview/")
    assert response.location == "/account/totp"
    assert "password.change_required" not in [event for event, _, _ in audit(app)]


def test_service_recheck_password_names_the_rule_and_audits_only_a_refusal(app, db_session):
    with app.app_context():
        user = services.create_user(db_session, EMAIL, ["interviewer"], PASSWORD)
        assert services.recheck_password(db_session, user, PASSWORD) is None
        assert services.recheck_password(db_session, user, OLD) == "breached"
    events = [(event.event, event.detail) for event in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert events == [
        ("user.created", f"user={EMAIL} roles=interviewer"),
        ("password.change_required", "reason=breached"),
    ]
