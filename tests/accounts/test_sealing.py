"""TOTP secrets are sealed at rest (AES-256-GCM under a key outside the database, bound to the
account); a wrong key is a clear refusal, never a 500; secrets from before sealing are sealed on use."""

from __future__ import annotations

import base64
import logging
import re

import pytest
from sqlalchemy import select, text

from survey.accounts import sealing, services, totp
from survey.audit import AuditEvent
from survey.config import ConfigurationError

from ..conftest import make_app
from .signin import current_code, load_user, login, make_user, post_form, submit_password, totp_secret, update_user

EMAIL = "rita@example.org"
OTHER_KEY = base64.urlsafe_b64encode(b"another totp key, 32 bytes long!").decode()


def stored_secret(app, email: str) -> str:
    """The totp_secret column as the database holds it (what a dump or backup shows)."""
    with app.extensions["survey.db"].engine.connect() as connection:
        query = text("SELECT totp_secret FROM user_account WHERE email = :email")
        return connection.execute(query, {"email": email}).scalar_one()


def enrol_through_the_page(app, email: str) -> str:
    client = login(app.test_client(), app, email, ["researcher"], with_totp=False)
    html = client.get("/account/totp/setup").data.decode()
    found = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert found, html
    secret = found.group(1).replace(" ", "")
    response = post_form(client, "/account/totp/setup", "/account/totp/setup", {"code": current_code(secret)})
    assert response.status_code == 303
    return secret


def test_database_holds_the_secret_sealed_and_login_still_works(app):
    secret = enrol_through_the_page(app, EMAIL)
    stored = stored_secret(app, EMAIL)
    assert stored.startswith(sealing.PREFIX)
    assert secret not in stored and secret.lower() not in stored.lower()
    assert base64.b32encode(totp.secret_bytes(secret)).decode() not in stored
    # Each sealing uses a fresh nonce: the same secret never looks the same twice.
    with app.app_context():
        assert sealing.seal(secret, 1, sealing.app_key()) != sealing.seal(secret, 1, sealing.app_key())
    update_user(app, EMAIL, totp_last_step=None)
    client = app.test_client()
    assert submit_password(client, EMAIL).location == "/account/totp"
    response = post_form(client, "/account/totp", "/account/totp", {"code": current_code(secret)})
    assert response.status_code == 303 and client.get("/account/").status_code == 200


def test_a_sealed_secret_copied_onto_another_account_does_not_open(app):
    make_user(app, EMAIL, ["researcher"], with_totp=True)
    make_user(app, "mallory@example.org", ["researcher"], with_totp=True)
    update_user(app, "mallory@example.org", totp_secret=stored_secret(app, EMAIL))
    mallory = load_user(app, "mallory@example.org")
    with app.app_context(), pytest.raises(sealing.SealError, match=f"account {mallory.id} does not open"):
        sealing.unseal(mallory.totp_secret, mallory.id, sealing.app_key())
    # Through the login page it is a refusal, never Rita's second factor working for Mallory.
    client = app.test_client()
    client.get("/?lang=en")
    submit_password(client, "mallory@example.org")
    code = current_code(totp_secret(app, EMAIL))
    response = post_form(client, "/account/totp", "/account/totp", {"code": code})
    assert response.status_code == 400 and "cannot be checked on this server" in response.data.decode()


@pytest.mark.parametrize("damage", ["gcm1:", "gcm1:!!!", "gcm1:" + "A" * 20, "gcm1:" + "A" * 80])
def test_damaged_values_are_seal_errors(damage):
    with pytest.raises(sealing.SealError, match="account 7"):
        sealing.unseal(damage, 7, sealing.derive(b"k" * 32))


@pytest.fixture
def other_key_app(app):
    """The same database, served with another TOTP key (a host set up without the right key)."""
    other = make_app(
        app.config["DATABASE_URL"],
        TOTP_KEY=OTHER_KEY,
        **{key: value for key, value in app.config.items() if key.startswith("ARGON2_")},
    )
    yield other
    other.extensions["survey.db"].dispose()


def test_a_wrong_totp_key_is_a_clear_refusal_not_a_500(app, other_key_app, caplog):
    make_user(app, EMAIL, ["researcher"], with_totp=True)
    secret = totp_secret(app, EMAIL)
    client = other_key_app.test_client()
    client.get("/?lang=en")
    assert submit_password(client, EMAIL).location == "/account/totp"
    with caplog.at_level(logging.ERROR, logger="survey.accounts.services"):
        response = post_form(client, "/account/totp", "/account/totp", {"code": current_code(secret)})
    assert response.status_code == 400
    assert "Your second factor cannot be checked on this server" in response.data.decode()
    assert client.get("/account/").status_code == 302  # nothing opened
    user = load_user(app, EMAIL)
    assert user.failed_logins == 0 and user.locked_until is None  # not the user's fault
    assert user.totp_confirmed and user.totp_secret == stored_secret(app, EMAIL)  # nothing overwritten
    assert any("does not open with this TOTP key" in record.getMessage() for record in caplog.records)
    assert all(secret not in record.getMessage() for record in caplog.records)
    with app.extensions["survey.db"].sessions() as db:
        events = [event.event for event in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "totp.unreadable" in events and "login.failed" not in events
    # The right key still works.
    update_user(app, EMAIL, totp_last_step=None)
    assert login(app.test_client(), app, EMAIL, ["researcher"]).get("/account/").status_code == 200


def test_an_unconfirmed_secret_under_another_key_is_replaced_at_enrolment(app, other_key_app):
    make_user(app, EMAIL, ["researcher"])
    with app.app_context(), app.extensions["survey.db"].sessions() as db:
        user = services.find_by_email(db, EMAIL)
        assert user is not None
        first = services.start_totp_enrolment(db, user)
    client = login(other_key_app.test_client(), other_key_app, EMAIL, ["researcher"], with_totp=False)
    html = client.get("/account/totp/setup").data.decode()
    assert client.get("/account/totp/setup").status_code == 200
    assert first not in html.replace(" ", "")
    with other_key_app.app_context():
        user = load_user(app, EMAIL)
        assert sealing.unseal(user.totp_secret, user.id, sealing.app_key())


def test_a_secret_from_before_sealing_is_accepted_and_sealed_at_its_next_use(app):
    make_user(app, EMAIL, ["researcher"])
    plain = totp.new_secret()
    update_user(app, EMAIL, totp_secret=plain, totp_confirmed=True)  # as 0004 stored it
    client = app.test_client()
    assert submit_password(client, EMAIL).location == "/account/totp"
    response = post_form(client, "/account/totp", "/account/totp", {"code": current_code(plain)})
    assert response.status_code == 303 and client.get("/account/").status_code == 200
    stored = stored_secret(app, EMAIL)
    assert stored.startswith(sealing.PREFIX) and plain not in stored
    assert totp_secret(app, EMAIL) == plain


def test_missing_or_short_totp_key_stops_the_app_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.delenv(sealing.KEY_VARIABLE, raising=False)
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match=r"No TOTP key at .*totp_key"):
        make_app("sqlite://", TOTP_KEY="")
    with pytest.raises(ConfigurationError, match="at least 32 bytes"):
        make_app("sqlite://", TOTP_KEY=base64.urlsafe_b64encode(b"short").decode())
    (tmp_path / sealing.KEY_FILE).write_text(OTHER_KEY + "\n", encoding="ascii")
    assert make_app("sqlite://", TOTP_KEY="").extensions["survey.totp_key"] == sealing.derive(
        base64.urlsafe_b64decode(OTHER_KEY)
    )


def test_init_writes_a_totp_key_once(tmp_path):
    from survey.cli import ensure_instance

    assert sealing.KEY_FILE in ensure_instance(tmp_path)
    key = (tmp_path / sealing.KEY_FILE).read_text(encoding="ascii")
    assert len(base64.urlsafe_b64decode(key.strip())) == 32
    assert (tmp_path / sealing.KEY_FILE).stat().st_mode & 0o077 == 0
    assert sealing.KEY_FILE not in ensure_instance(tmp_path)
    assert (tmp_path / sealing.KEY_FILE).read_text(encoding="ascii") == key
