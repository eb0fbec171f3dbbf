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
        ("Password2024!", "breached"),
        ("Passwort123456", "breached"),
        ("qwertzuiop123", "breached"),
        ("123456789012", "breached"),
        ("aaaaaaaaaaaaaaaa", "common"),
        ("abcabcabcabcabc", "common"),
        ("Wetterau-2024!", "common"),
        ("Sommer2024Sommer", "common"),
        ("correcthorsebatterystaple", "common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, reason):
    assert passwords.problem(password, "ana@example.org") == reason


# Leaked passwords as such and with the changes people make to them: digits, years, l33t, case.
BREACHED = [
    "password1234",
    "iloveyou2020",
    "P@ssw0rd1234",
    "qwerty123456",
    "football2021",
    "letmein12345",
    "1q2w3e4r5t6y",
    "monkey123456",
    "Sunshine2023!",
]


@pytest.mark.parametrize("password", BREACHED)
def test_leaked_passwords_are_refused_even_when_long_enough(password):
    assert len(password) >= passwords.MIN_LENGTH
    assert passwords.problem(password, "ana@example.org") == "breached"


def test_words_from_the_email_address_make_a_password_guessable():
    assert passwords.problem("Kowalski1990!", "marta.kowalski@example.org") in ("breached", "common")
    assert passwords.problem("Kowalski1990!", "ana@example.org") is None


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "Blumen-Kohl-Regen-42",
        "739182645019",
        "ana-liest-gern-krimis",
        "Kraniche ziehen im Herbst nach Sueden",
        "Tr0ub4dor&3xyz",
        "x7#Qm!2vL9@pR4",
        # Longer than the part zxcvbn estimates (its first 64 characters decide).
        "Der alte Fischer flickt am fruehen Morgen seine Netze, waehrend die Moewen ueber dem Hafen kreisen",
    ],
)
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


def test_every_service_that_sets_a_password_refuses_a_leaked_one(app, db_session):
    with app.app_context():
        with pytest.raises(services.PasswordRefused, match="breached"):
            services.create_user(db_session, "bo@example.org", ["interviewer"], "iloveyou2020")
        user = services.create_user(db_session, "bo@example.org", ["interviewer"], PASSWORD)
        with pytest.raises(services.PasswordRefused, match="breached"):
            services.set_password(db_session, user, "password1234", actor="test")
        with pytest.raises(services.PasswordRefused, match="breached"):
            services.change_password(db_session, user, PASSWORD, "password1234")
        services.change_password(db_session, user, PASSWORD, "Kraniche ziehen im Herbst nach Sueden")
    assert db_session.scalars(select(User)).one().email == "bo@example.org"


def test_web_pages_that_set_a_password_explain_a_leaked_one(app):
    from .signin import login, make_user, post_form

    message = "This password is known from leaked password lists, or is too close to one."
    admin = login(app.test_client(), app, "ada@example.org", ["admin"])
    admin.get("/?lang=en")
    response = post_form(
        admin,
        "/account/admin/users",
        "/account/admin/users",
        {"email": "bo@example.org", "roles": ["interviewer"], "password": "password1234"},
    )
    assert response.status_code == 400 and f'<a href="#password">{message}' in response.data.decode()
    bo = make_user(app, "bo@example.org", ["interviewer"])
    page = f"/account/admin/users/{bo.id}"
    response = post_form(admin, page, page + "/password", {"password": "iloveyou2020"})
    assert response.status_code == 400 and f'<a href="#password">{message}' in response.data.decode()
    own = post_form(
        admin,
        "/account/password",
        "/account/password",
        {"current": PASSWORD, "new": "iloveyou2020", "confirm": "iloveyou2020"},
    )
    assert own.status_code == 400 and f'<a href="#new">{message}' in own.data.decode()


def test_command_line_refuses_a_leaked_password_clearly(app, runner):
    from .signin import make_user

    result = runner.invoke(
        args=["users", "create", "--email", "bo@example.org", "--role", "interviewer"],
        env={"SURVEY_USER_PASSWORD": "iloveyou2020"},
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "known from leaked password lists" in result.output
    make_user(app, "bo@example.org", ["interviewer"])
    result = runner.invoke(
        args=["users", "set-password", "--email", "bo@example.org"], env={"SURVEY_USER_PASSWORD": "password1234"}
    )
    assert result.exit_code == 1 and "known from leaked password lists" in result.output
