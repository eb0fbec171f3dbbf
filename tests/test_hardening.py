"""Hostile input finds no 5xx; rate limits, development secrets, HTTPS headers."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.config import ConfigurationError
from survey.questionnaires.loader import load_data, load_text

from .accounts.signin import login
from .conftest import TEST_QUESTIONNAIRES, count_rows, csrf_token, make_app
from .journey import Respondent

NASTY = st.sampled_from(
    [
        "\x00",
        "A" * 5000,
        "\u202eevil\u202c",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "Robert'); DROP TABLE x;--",
        "\ufeff",
        "😀" * 50,
        "%00",
        "../../etc/passwd",
        "{{7*7}}",
        "\udcff",
        "-1",
        "1e309",
        "NaN",
        "",
        " ",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=300), st.integers().map(str))
FIELDS = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                "working",
                "birth_year",
                "consent",
                "code",
                "language",
                "trust-police",
                "arrival-year",
                "home_langs",
                "return_to",
            ]
        ),
        st.text(max_size=30),
    ),
    VALUES,
    max_size=6,
)
LENIENT = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def encoded(fields: dict[str, str]) -> bytes:
    """A form body as a browser (or an attacker) would send it, invalid UTF-8 included."""
    from urllib.parse import quote_from_bytes

    parts = []
    for key, value in fields.items():
        raw = value.encode("utf-8", "surrogateescape") if "\udcff" in value else value.encode("utf-8", "replace")
        parts.append(f"{quote_from_bytes(key.encode('utf-8', 'replace'))}={quote_from_bytes(raw)}")
    return "&".join(parts).encode()


@LENIENT
@given(
    fields=FIELDS,
    path=st.sampled_from(
        [
            "/every-type/p/work",
            "/every-type/p/birth",
            "/every-type/submit",
            "/every-type/start",
            "/every-type/",
            "/withdraw",
            "/panel/start",
            "/panel/resume",
            "/every-type/p/nope",
            "/account/login",
        ]
    ),
)
def test_hostile_posts_to_respondent_routes_never_cause_a_server_error(app, fields, path):
    person = Respondent(app.test_client(), "every-type")
    person.start("en")
    person.answer("consent", {"consent": "yes"})
    person.answer("birth", {"birth_year": "1990"})
    person.answer("origin", {"country_birth": "DE"})
    before = count_rows(app, "sealed_response")
    body = encoded({**fields, "csrf_token": person.token})
    response = person.client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, response.data[:500]
    if response.status_code >= 400:
        assert b"<h1" in response.data  # a page that says what went wrong
    assert count_rows(app, "sealed_response") == before


@LENIENT
@given(
    fields=FIELDS,
    path=st.sampled_from(
        [
            "/interview/",
            "/research/export",
            "/research/every-type/fieldwork",
            "/research/panel/codes",
            "/account/admin/users",
            "/account/password",
        ]
    ),
)
def test_hostile_posts_to_staff_routes_never_cause_a_server_error(app, fields, path):
    client = login(app.test_client(), app, "all@example.org", ["admin", "researcher", "interviewer"], with_totp=True)
    token = csrf_token(client.get("/every-type/").data)
    response = client.post(
        path, data=encoded({**fields, "csrf_token": token}), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500, response.data[:500]


def test_someone_elses_session_cannot_post_into_my_draft(app):
    mine = Respondent(app.test_client(), "every-type")
    mine.start("en")
    other = app.test_client()
    token = csrf_token(other.get("/every-type/").data)
    response = other.post("/every-type/p/consent", data={"consent": "yes", "csrf_token": token})
    assert response.status_code == 400


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
EVERY_TYPE = json.loads((TEST_QUESTIONNAIRES / "every-type.json").read_text(encoding="utf-8"))


@settings(max_examples=150, deadline=None)
@given(value=JSON_VALUES)
def test_random_json_gets_validation_errors_never_a_crash(value):
    questionnaire, problems = load_data(value, "fuzz.json")
    assert questionnaire is None and problems


@settings(max_examples=150, deadline=None)
@given(path=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6), value=JSON_VALUES)
def test_mutated_questionnaires_get_problems_never_a_crash(path, value):
    data = copy.deepcopy(EVERY_TYPE)
    node = data
    for step in path[:-1]:
        children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
        if not children:
            break
        child = children[step % len(children)]
        if not isinstance(child, dict | list):
            break
        node = child
    if isinstance(node, dict) and node:
        node[list(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value
    questionnaire, problems = load_data(data, "mutated.json")
    assert questionnaire is not None or problems


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_random_text_is_never_a_crash(text):
    questionnaire, problems = load_text(text)
    assert questionnaire is None and problems


def test_code_entry_is_rate_limited(tmp_path):
    from survey.migrations import upgrade

    app = make_app(f"sqlite:///{tmp_path / 'r.sqlite3'}", RATELIMIT_ENABLED=True)
    upgrade(app.extensions["survey.db"].engine)
    person = Respondent(app.test_client(), "panel")
    person.get("/?lang=en")
    person.get("/panel/start")
    statuses = [person.post("/panel/start", {"code": "0000-0000-0000"}).status_code for _ in range(31)]
    assert statuses[:30] == [400] * 30 and statuses[30] == 429
    assert "Too many attempts" in person.last.data.decode()
    # Starting an open-link questionnaire (no code) is not limited.
    open_link = Respondent(app.test_client(), "every-type")
    open_link.get("/every-type/start")
    assert all(open_link.post("/every-type/start", {}).status_code == 303 for _ in range(35))
    app.extensions["survey.db"].dispose()


def test_login_is_rate_limited(tmp_path):
    from survey.migrations import upgrade

    app = make_app(f"sqlite:///{tmp_path / 'l.sqlite3'}", RATELIMIT_ENABLED=True)
    upgrade(app.extensions["survey.db"].engine)
    client = app.test_client()
    token = csrf_token(client.get("/account/login").data)
    statuses = [
        client.post(
            "/account/login", data={"email": f"x{i}@example.org", "password": "wrong password!", "csrf_token": token}
        ).status_code
        for i in range(21)
    ]
    assert 429 not in statuses[:20] and statuses[20] == 429
    app.extensions["survey.db"].dispose()


def test_only_views_with_a_limit_pass_through_the_limiter(tmp_path):
    from survey.security import limiter

    app = make_app(f"sqlite:///{tmp_path / 'n.sqlite3'}", RATELIMIT_ENABLED=True)
    noted = {name.rsplit(".", 1)[1] for name in limiter.limited_views}
    assert {"start", "withdraw", "resume", "login"} <= noted
    assert "page" not in noted and "introduction" not in noted
    with app.test_request_context("/every-type/start", method="GET"):
        app.preprocess_request()
        assert limiter._limited() is False  # a question-side GET costs no limiter work
    with app.test_request_context("/every-type/start", method="POST"):
        assert limiter._limited() is True
    app.extensions["survey.db"].dispose()


@pytest.mark.parametrize("secret", ["dev", "changeme", "short-secret"])
def test_development_secrets_are_refused_outside_tests(secret):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        make_app("sqlite://", TESTING=False, SECRET_KEY=secret)


def test_https_deployment_sends_hsts_and_secure_cookies():
    app = make_app("sqlite://", TESTING=False, SECRET_KEY="a-long-random-secret-for-this-test-only", HTTPS=True)
    client = app.test_client()
    response = client.get("/every-type/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    token = csrf_token(response.data)
    cookie = client.post(
        "/every-type/", data={"language": "de", "csrf_token": token}, base_url="https://localhost"
    ).headers.get("Set-Cookie", "")
    assert "Secure" in cookie
