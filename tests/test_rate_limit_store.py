"""The rate-limit store: counts kept in Redis; when Redis goes away, respondent routes go on without
counting and staff sign-in answers 503 (never a 500), one warning per outage, and counting resumes
when it is back. The start-up check names a missing client package; memory:// with several gunicorn
workers warns that each worker counts on its own."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from survey.config import ConfigurationError
from survey.migrations import upgrade
from survey.security import check_rate_limit_store, gunicorn_workers

from .conftest import csrf_token, make_app
from .journey import Respondent
from .redis_server import RedisServer


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    try:
        server = RedisServer(tmp_path)
    except RuntimeError as error:
        if os.environ.get("CI"):
            raise  # CI must run the Redis tests
        pytest.skip(f"{error}; the Redis tests run in CI")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def limited_app(request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer) -> Iterator[Flask]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = make_app(url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_server.url)
    upgrade(app.extensions["survey.db"].engine)
    yield app
    app.extensions["survey.db"].dispose()
    # The limiter is one object for every app of the process: leave it as the other tests expect it.
    make_app(f"sqlite:///{tmp_path / 'reset.sqlite3'}")


def sign_in_attempt(client, token: str) -> int:
    """A wrong password; 400 with the sign-in form again when the attempt was checked."""
    form = {"email": "nobody@example.org", "password": "wrong password!", "csrf_token": token}
    response = client.post("/account/login", data=form)
    assert response.status_code != 400 or b'name="password"' in response.data
    return response.status_code


def test_when_redis_goes_away_respondents_go_on_and_staff_sign_in_waits(limited_app, redis_server, caplog):
    caplog.set_level(logging.INFO, logger="survey")
    person = Respondent(limited_app.test_client(), "panel")
    person.get("/?lang=de")
    person.get("/panel/start")
    assert person.post("/panel/start", {"code": "0000-0000-0000"}).status_code == 400  # unknown code
    assert redis.Redis(port=redis_server.port).keys("LIMITS*"), "the attempt was not counted in Redis"
    staff = limited_app.test_client()
    staff.get("/?lang=de")
    token = csrf_token(staff.get("/account/login").data)
    assert sign_in_attempt(staff, token) == 400

    redis_server.stop()
    caplog.clear()
    # Respondent routes go on, without counting: the unknown code is refused as usual.
    assert [person.post("/panel/start", {"code": "0000-0000-0000"}).status_code for _ in range(3)] == [400] * 3
    assert "Code" in person.last.data.decode()
    # Staff sign-in stays closed: a translated 503 with Retry-After.
    refused = staff.post(
        "/account/login", data={"email": "nobody@example.org", "password": "wrong password!", "csrf_token": token}
    )
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "30"
    assert "Die Anmeldung ist gerade nicht möglich" in refused.data.decode()
    problems = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(problems) == 1 and problems[0].levelno == logging.WARNING and problems[0].exc_info is None
    assert problems[0].getMessage().startswith("rate-limit store unavailable (")

    redis_server.start()  # same port, empty store
    assert sign_in_attempt(staff, token) == 400
    assert redis.Redis(port=redis_server.port).keys("LIMITS*"), "counting did not resume"
    assert any("rate-limit store available again" in record.getMessage() for record in caplog.records)
    assert len([record for record in caplog.records if record.levelno >= logging.WARNING]) == 1


def test_a_store_whose_client_is_not_installed_is_named_at_start_up(tmp_path):
    with pytest.raises(ConfigurationError, match="needs the Python package 'pymemcache'"):
        make_app(f"sqlite:///{tmp_path / 'm.sqlite3'}", RATELIMIT_STORAGE_URI="memcached://127.0.0.1:11211")


def test_memory_store_with_several_gunicorn_workers_warns_that_each_counts_alone(tmp_path, caplog, monkeypatch):
    app = make_app(f"sqlite:///{tmp_path / 'w.sqlite3'}", RATELIMIT_ENABLED=True)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    procfile = ["/srv/.venv/bin/gunicorn", "--bind", "0.0.0.0:5000", "--workers", "2", "survey:create_app()"]
    assert gunicorn_workers(procfile) == 2
    assert gunicorn_workers(["/srv/.venv/bin/flask", "--app", "survey", "db", "upgrade"]) == 0
    check_rate_limit_store(app, procfile)
    (warning,) = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert "memory:// with 2 gunicorn workers" in warning.getMessage() and "redis://" in warning.getMessage()
    caplog.clear()
    check_rate_limit_store(app, [*procfile[:3], "--workers", "1", procfile[-1]])
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    check_rate_limit_store(app, ["/srv/.venv/bin/gunicorn", "survey:create_app()"])
    assert not caplog.records


def test_a_store_that_goes_away_while_the_page_is_made_costs_no_500(limited_app, redis_server, caplog):
    """Seen under gunicorn (bench/loadtest.py --store redis --kill-store): the attempt was counted,
    Redis died while the view ran, and reading the figures for the rate-limit headers afterwards
    turned a finished page into a 500 with a traceback."""
    from survey.security import limiter

    def view() -> str:
        redis_server.stop(crash=True)  # the store dies after the check, before the response is made
        return "made"

    limited_app.add_url_rule("/made-while-redis-dies", "made_while_redis_dies", limiter.limit("5/minute")(view))
    caplog.set_level(logging.INFO, logger="survey")
    response = limited_app.test_client().get("/made-while-redis-dies")
    assert response.status_code == 200 and response.data == b"made"
    assert response.headers["X-RateLimit-Remaining"] == "4"  # read while the store was there
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
