"""The second factor: required for researchers and admins, asked after the password once set up."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Blueprint, Flask

from survey.accounts import totp
from survey.accounts.access import requires

from ..conftest import csrf_token, make_app
from .signin import current_code, load_user, login, make_user, post_form, submit_password, totp_secret, update_user

EMAIL = "rita@example.org"


@pytest.fixture
def research_app(app: Flask) -> Iterator[Flask]:
    """The app with a stand-in researcher page, independent of what the research area shows."""
    research = Blueprint("stand_in_research", __name__, url_prefix="/stand-in-research")

    @research.get("/")
    @requires("researcher")
    def index() -> str:
        return "research area"

    other = make_app(app.config["DATABASE_URL"], **{k: v for k, v in app.config.items() if k.startswith("ARGON2_")})
    other.register_blueprint(research)
    yield other
    other.extensions["survey.db"].dispose()


def enrol_page(client) -> tuple[str, str]:
    html = client.get("/account/totp/setup").data.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html)
    uri = re.search(r'<code id="totp-uri">([^<]+)</code>', html)
    assert secret and uri, html
    return secret.group(1).replace(" ", ""), uri.group(1)


def test_researcher_without_second_factor_is_sent_to_enrolment_first(research_app):
    client = research_app.test_client()
    make_user(research_app, EMAIL, ["researcher"])
    response = submit_password(client, EMAIL, next="/stand-in-research/")
    assert response.status_code == 303
    assert response.location == "/account/totp/setup?next=/stand-in-research/"
    # Signed in, but the research pages stay closed until the code is confirmed.
    response = client.get("/stand-in-research/")
    assert response.status_code == 302 and response.location.startswith("/account/totp/setup")
    secret, uri = enrol_page(client)
    assert uri.startswith("otpauth://totp/Wetterau%20survey:rita@example.org?secret=" + secret)
    assert "<script" not in client.get("/account/totp/setup").data.decode()
    # A wrong code is refused and changes nothing.
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    response = post_form(
        client, "/account/totp/setup", "/account/totp/setup", {"code": wrong, "next": "/stand-in-research/"}
    )
    assert response.status_code == 400 and 'href="#code"' in response.data.decode()
    assert client.get("/stand-in-research/").status_code == 302
    assert not load_user(research_app, EMAIL).totp_confirmed
    # The secret stays the same across page loads until it is confirmed.
    assert enrol_page(client)[0] == secret
    response = post_form(
        client,
        "/account/totp/setup",
        "/account/totp/setup",
        {"code": current_code(secret), "next": "/stand-in-research/"},
    )
    assert response.status_code == 303 and response.location == "/stand-in-research/"
    assert client.get("/stand-in-research/").data == b"research area"
    assert load_user(research_app, EMAIL).totp_confirmed


def test_enrolled_researcher_gives_the_code_after_the_password(research_app):
    client = research_app.test_client()
    make_user(research_app, EMAIL, ["researcher"], with_totp=True)
    response = submit_password(client, EMAIL, next="/stand-in-research/")
    assert response.location == "/account/totp"
    # Password alone opens nothing.
    assert client.get("/stand-in-research/").status_code == 302
    assert client.get("/account/").status_code == 302
    client.get("/?lang=en")
    response = post_form(client, "/account/totp", "/account/totp", {"code": "12345"})
    assert response.status_code == 400 and "The code is wrong or has expired" in response.data.decode()
    assert load_user(research_app, EMAIL).failed_logins == 1
    code = current_code(totp_secret(research_app, EMAIL))
    response = post_form(client, "/account/totp", "/account/totp", {"code": code})
    assert response.status_code == 303 and response.location == "/stand-in-research/"
    assert client.get("/stand-in-research/").data == b"research area"
    # The same code cannot be used again (someone who saw it over a shoulder).
    again = research_app.test_client()
    submit_password(again, EMAIL)
    response = post_form(again, "/account/totp", "/account/totp", {"code": code})
    assert response.status_code == 400


def test_wrong_codes_count_towards_lockout(app, client):
    make_user(app, EMAIL, ["researcher"], with_totp=True)
    submit_password(client, EMAIL)
    for _ in range(5):
        token = csrf_token(client.get("/account/totp?lang=en", follow_redirects=True).data)
        response = client.post("/account/totp", data={"code": "abcdef", "csrf_token": token})
    assert "This account is locked" in response.data.decode()
    assert load_user(app, EMAIL).locked_until is not None
    assert client.get("/account/totp").location.startswith("/account/login")  # the half-login is gone


def test_interviewer_pages_do_not_need_a_second_factor_but_research_pages_do(research_app):
    client = research_app.test_client()
    login(client, research_app, EMAIL, ["interviewer", "researcher"], with_totp=False)
    assert client.get("/account/").status_code == 200
    assert client.get("/stand-in-research/").location.startswith("/account/totp/setup")


def test_interviewers_sign_in_with_a_password_only_by_default(app):
    client = app.test_client()
    make_user(app, "ivo@example.org", ["interviewer"])
    assert submit_password(client, "ivo@example.org").location == "/account/"
    assert client.get("/interview/").status_code == 200


def test_the_setting_requires_a_second_factor_for_interviewers_too(app, monkeypatch):
    monkeypatch.setitem(app.config, "INTERVIEWER_SECOND_FACTOR", True)
    client = app.test_client()
    make_user(app, "ivo@example.org", ["interviewer"])
    response = submit_password(client, "ivo@example.org", next="/interview/")
    assert response.location == "/account/totp/setup?next=/interview/"
    response = client.get("/interview/")
    assert response.status_code == 302 and response.location.startswith("/account/totp/setup")
    secret, _ = enrol_page(client)
    response = post_form(client, "/account/totp/setup", "/account/totp/setup", {"code": current_code(secret)})
    assert response.status_code == 303
    assert client.get("/interview/").status_code == 200
    # The next sign-in asks for the code after the password.
    other = app.test_client()
    update_user(app, "ivo@example.org", totp_last_step=None)
    assert submit_password(other, "ivo@example.org").location.endswith("/account/totp")
    assert other.get("/interview/").location.startswith("/account/login")


def test_the_setting_is_read_from_the_environment(monkeypatch, tmp_path):
    from survey.accounts.models import INTERVIEWER, second_factor_roles

    monkeypatch.setenv("SURVEY_INTERVIEWER_SECOND_FACTOR", "1")
    other = create_app_from_environment(monkeypatch, tmp_path)
    with other.app_context():
        assert INTERVIEWER in second_factor_roles()
    monkeypatch.setenv("SURVEY_INTERVIEWER_SECOND_FACTOR", "0")
    other = create_app_from_environment(monkeypatch, tmp_path)
    with other.app_context():
        assert INTERVIEWER not in second_factor_roles()


def create_app_from_environment(monkeypatch, tmp_path):
    from survey import create_app

    from ..conftest import ROOT, TEST_TOTP_KEY, study_keys

    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "environment-test-secret-key-long-enough")
    monkeypatch.setenv("STUDY_PUBLIC_KEY", str(study_keys()[0]))
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(ROOT / "questionnaires"))
    monkeypatch.setenv("SURVEY_TOTP_KEY", TEST_TOTP_KEY)
    (tmp_path / "pseudonym_key").write_text(TEST_TOTP_KEY + "\n")
    return create_app()


def test_interviewer_gets_403_on_research_pages(research_app):
    client = login(research_app.test_client(), research_app, "ivo@example.org", ["interviewer"])
    assert client.get("/stand-in-research/").status_code == 403


def test_landing_page_links_only_to_areas_the_roles_allow(app):
    client = login(app.test_client(), app, EMAIL, ["researcher"])
    html = client.get("/account/?lang=en", follow_redirects=True).data.decode()
    if "research.index" in app.view_functions:
        assert '<a href="/research/">Research</a>' in html
    else:
        assert "Research <span" in html and "not available yet" in html
    assert "Interviews" not in html and "/account/admin/users" not in html
    admin = login(app.test_client(), app, "ada@example.org", ["admin", "interviewer"])
    html = admin.get("/account/?lang=en", follow_redirects=True).data.decode()
    assert 'href="/account/admin/users"' in html and "Research" not in html
    assert "Interviews" in html


def test_reset_second_factor_makes_the_user_enrol_again(research_app):
    client = login(research_app.test_client(), research_app, EMAIL, ["researcher"])
    assert client.get("/stand-in-research/").status_code == 200
    old_secret = totp_secret(research_app, EMAIL)
    update_user(research_app, EMAIL, totp_secret=None, totp_confirmed=False, totp_last_step=None)
    # The session's second factor no longer counts once the secret is gone.
    assert client.get("/stand-in-research/").location.startswith("/account/totp/setup")
    secret, _ = enrol_page(client)
    assert secret != old_secret and len(totp.secret_bytes(secret)) == 20
