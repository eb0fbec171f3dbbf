"""Password hashing (Argon2id, argon2-cffi's defaults) and the password rules."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from sqlalchemy import select

from survey.accounts import passwords, services
from survey.accounts.models import User
from survey.audit import AuditEvent

from .signin import PASSWORD


def test_hasher_is_argon2id_with_the_library_defaults(app, monkeypatch):
    for key in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
        monkeypatch.delitem(app.config, key, raising=False)
    reference = PasswordHasher()
    for hasher in (passwords.password_hasher(), _in_app(app)):
        assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
            reference.time_cost,
            reference.memory_cost,
            reference.parallelism,
        )
        assert hasher.hash("anything at all").startswith(f"$argon2id$v=19$m={reference.memory_cost},")


def _in_app(app):
    with app.app_context():
        return passwords.password_hasher()


def test_stored_password_is_an_argon2id_hash_never_the_password(app, db_session):
    with app.app_context():
        user = services.create_user(db_session, "Ana@Example.ORG", ["interviewer"], PASSWORD)
    assert user.email == "ana@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    PasswordHasher().verify(user.password_hash, PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(user.password_hash, PASSWORD + "!")
    events = db_session.scalars(select(AuditEvent)).all()
    assert [event.event for event in events] == ["user.created"]
    assert all(PASSWORD not in f"{event.actor} {event.detail}" for event in events)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kurz-genug", "short"),
        ("x" * 129, "long"),
        ("ana@example.org", "email"),
        ("ANA@EXAMPLE.ORG", "email"),
        ("Password2024!", "common"),
        ("Passwort123456", "common"),
        ("qwertzuiop123", "common"),
        ("123456789012", "common"),
        ("aaaaaaaaaaaaaaaa", "common"),
        ("abcabcabcabcabc", "common"),
        ("Wetterau-2024!", "common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, reason):
    assert passwords.problem(password, "ana@example.org") == reason


@pytest.mark.parametrize("password", [PASSWORD, "Blumen-Kohl-Regen-42", "739182645019", "ana-liest-gern-krimis"])
def test_reasonable_passwords_are_accepted(password):
    assert passwords.problem(password, "ana@example.org") is None


def test_create_user_refuses_bad_input_and_stores_nothing(app, db_session):
    with app.app_context():
        for email, roles, password, expected in [
            ("not-an-email", ["interviewer"], PASSWORD, services.UserRefused("email")),
            ("bo@example.org", ["boss"], PASSWORD, services.UserRefused("role", "boss")),
            ("bo@example.org", [], PASSWORD, services.UserRefused("no-role")),
            ("bo@example.org", ["admin"], "bo@example.org", services.PasswordRefused("email")),
        ]:
            with pytest.raises(type(expected)) as refused:
                services.create_user(db_session, email, roles, password)
            assert (refused.value.reason, refused.value.detail) == (expected.reason, expected.detail)
        services.create_user(db_session, "bo@example.org", ["admin", "interviewer"], PASSWORD)
        with pytest.raises(services.UserRefused, match="taken"):
            services.create_user(db_session, " BO@example.org ", ["interviewer"], PASSWORD)
    stored = db_session.scalars(select(User)).all()
    assert [(user.email, user.roles) for user in stored] == [("bo@example.org", "admin,interviewer")]


def test_demo_admin_is_created_once_with_every_role(app, db_session):
    with app.app_context():
        password = services.ensure_demo_admin(db_session)
        assert password and len(password) >= 20 and passwords.problem(password, "admin@demo.invalid") is None
        assert services.ensure_demo_admin(db_session) is None
    user = db_session.scalars(select(User)).one()
    assert user.email == "admin@demo.invalid" and user.role_set == {"admin", "researcher", "interviewer"}
    assert not user.totp_confirmed  # the demo admin still enrols a second factor
    PasswordHasher().verify(user.password_hash, password)
