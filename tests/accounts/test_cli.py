"""`flask users create|list|set-password|reset-second-factor`."""

from __future__ import annotations

import pytest

from .signin import PASSWORD, load_user, make_user


def test_users_create_takes_the_password_from_the_environment(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "Rita@Example.org", "--role", "researcher", "--role", "interviewer"],
        env={"SURVEY_USER_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert "created rita@example.org (interviewer,researcher)" in result.output
    user = load_user(app, "rita@example.org")
    assert user.role_set == {"researcher", "interviewer"} and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in result.output


def test_users_create_asks_twice_for_a_hidden_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "ivo@example.org", "--role", "interviewer"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env={"SURVEY_USER_PASSWORD": ""},
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert load_user(app, "ivo@example.org").active


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--email", "ada@example.org", "--role", "admin"], PASSWORD, "already an account"),
        (["--email", "new@example.org", "--role", "boss"], PASSWORD, "unknown role 'boss'"),
        (["--email", "new@example.org", "--role", "admin"], "Password2024!", "known from leaked password lists"),
        (["--email", "new@example.org", "--role", "admin"], "abcabcabcabcabc", "too easy to guess"),
        (["--email", "new@example.org", "--role", "admin"], "kurz", "too short"),
        (["--email", "nonsense", "--role", "admin"], PASSWORD, "not an email address"),
    ],
)
def test_users_create_explains_refusals_without_traceback(app, runner, args, password, message):
    make_user(app, "ada@example.org", ["admin"])
    result = runner.invoke(args=["users", "create", *args], env={"SURVEY_USER_PASSWORD": password})
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_users_list_set_password_and_reset_second_factor(app, runner):
    make_user(app, "rita@example.org", ["researcher"], with_totp=True)
    result = runner.invoke(args=["users", "list"])
    assert result.output.strip() == "rita@example.org\tresearcher\tactive\ttotp"
    new = "Ein anderes langes Passwort"
    result = runner.invoke(
        args=["users", "set-password", "--email", "rita@example.org"], env={"SURVEY_USER_PASSWORD": new}
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "reset-second-factor", "--email", "rita@example.org"])
    assert result.exit_code == 0
    assert not load_user(app, "rita@example.org").totp_confirmed
    result = runner.invoke(args=["users", "reset-second-factor", "--email", "nobody@example.org"])
    assert result.exit_code == 1 and "no account" in result.output
