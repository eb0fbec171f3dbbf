"""Sign staff in through the real pages, for any test that needs a signed-in client, e.g.
`client = login(app.test_client(), app, "ana@example.org", ["researcher"])` after
`from tests.accounts.signin import login`."""

from __future__ import annotations

import time
from collections.abc import Iterable
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from survey.accounts import sealing, services, totp
from survey.accounts.models import User

from ..conftest import csrf_token

PASSWORD = "Sieben Birnbaeume im Garten"


def make_user(app: Flask, email: str, roles: Iterable[str], password: str = PASSWORD, with_totp: bool = False) -> User:
    """The account with this email (created if missing); with_totp gives it a confirmed secret (sealed,
    as the app stores it: read it with `totp_secret`)."""
    with app.app_context(), app.extensions["survey.db"].sessions() as db:
        user = services.find_by_email(db, email) or services.create_user(db, email, roles, password, actor="test")
        if with_totp and not user.totp_confirmed:
            services.store_totp_secret(user, totp.new_secret())
            user.totp_confirmed = True
            db.commit()
        return user


def totp_secret(app: Flask, email: str) -> str:
    """The account's TOTP secret in base32, as the authenticator app holds it."""
    user = load_user(app, email)
    assert user.totp_secret is not None
    with app.app_context():
        return sealing.unseal(user.totp_secret, user.id, sealing.app_key())


def load_user(app: Flask, email: str) -> User:
    with app.extensions["survey.db"].sessions() as db:
        found = db.scalar(select(User).where(User.email == email.lower()))
        assert found is not None
        return found


def update_user(app: Flask, email: str, **values: object) -> None:
    with app.extensions["survey.db"].sessions() as db:
        user = db.scalar(select(User).where(User.email == email.lower()))
        assert user is not None
        for name, value in values.items():
            setattr(user, name, value)
        db.commit()


def post_form(client: FlaskClient, form_page: str, action: str, data: dict[str, object]) -> TestResponse:
    """GET the page with the form (for its CSRF token), then POST the form to `action`."""
    page = client.get(form_page)
    assert page.status_code == 200, (form_page, page.status_code, page.location)
    return client.post(action, data={**data, "csrf_token": csrf_token(page.data)})


def submit_password(client: FlaskClient, email: str, password: str = PASSWORD, next: str = "") -> TestResponse:
    page = "/account/login" + (f"?{urlencode({'next': next})}" if next else "")
    data = {"email": email, "password": password} | ({"next": next} if next else {})
    return post_form(client, page, "/account/login", data)


def current_code(secret: str) -> str:
    return totp.code_at(secret, time.time())


def login(
    client: FlaskClient,
    app: Flask,
    email: str = "staff@example.org",
    roles: Iterable[str] = ("interviewer",),
    with_totp: bool = True,
    password: str = PASSWORD,
) -> FlaskClient:
    """Create the account if needed and sign in with password and (with_totp) the current code.

    Without with_totp, an admin or researcher ends up signed in but sent to enrolment."""
    make_user(app, email, roles, password, with_totp)
    response = submit_password(client, email, password)
    assert response.status_code == 303, response.data.decode()[:2000]
    if with_totp:
        assert response.location.endswith("/account/totp")
        update_user(app, email, totp_last_step=None)  # the same code may be used by several logins in a test
        done = post_form(client, "/account/totp", "/account/totp", {"code": current_code(totp_secret(app, email))})
        assert done.status_code == 303, done.data.decode()[:2000]
    return client
