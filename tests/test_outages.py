"""The database goes away mid-session and comes back: 503 with Retry-After and a translated page, one
warning per outage, recovery without a restart, posts sent again are stored once; closing a session
on a broken connection never reaches the client."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from werkzeug.datastructures import MultiDict

from survey import db as database
from survey.migrations import upgrade
from survey.questionnaires.loader import load_file

from .conftest import TEST_QUESTIONNAIRES, count_rows, make_app
from .journey import Respondent, complete
from .postgres import TemporaryPostgres

HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
RESEND = re.compile(r'<form method="post" action="([^"]+)" novalidate>')


class StoppableDatabase:
    """A database of the test's own that can go away and come back while the app runs."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        if kind == "sqlite":
            # The file lives on its own "volume"; moving the folder away is the volume going away.
            self.volume = folder / "volume"
            self.volume.mkdir()
            self.url = f"sqlite:///{self.volume / 'survey.sqlite3'}"
        else:
            try:
                self.server = TemporaryPostgres(durable=True)  # a crash must not lose commits
            except RuntimeError as error:
                if os.environ.get("CI"):
                    raise
                pytest.skip(f"{error}; the PostgreSQL variants run in CI")
            self.url = self.server.start()

    def stop(self, app: Flask) -> None:
        if self.kind == "sqlite":
            self.volume.rename(self.volume.with_name("away"))
            # An open SQLite connection keeps its file even when the path is gone; a worker that
            # (re)starts now opens new ones, which fail. Dropping the pool is that restart.
            app.extensions["survey.db"].engine.pool.dispose()
        else:
            self.server.halt()

    def start(self) -> None:
        if self.kind == "sqlite":
            self.volume.with_name("away").rename(self.volume)
        else:
            self.server.resume()

    def remove(self) -> None:
        if self.kind == "postgres":
            self.server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stoppable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoppableDatabase]:
    found = StoppableDatabase(request.param, tmp_path)
    try:
        yield found
    finally:
        found.remove()


@pytest.fixture
def outage_app(stoppable: StoppableDatabase) -> Iterator[Flask]:
    app = make_app(stoppable.url)
    upgrade(app.extensions["survey.db"].engine)
    yield app
    app.extensions["survey.db"].dispose()


def resend_form(html: str) -> tuple[str, list[tuple[str, str]]]:
    action = RESEND.search(html)
    assert action, "the 503 page has no form to send again"
    return unescape(action.group(1)), [(unescape(name), unescape(value)) for name, value in HIDDEN.findall(html)]


def outage_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_page_sent_while_the_database_is_down_is_kept_and_stored_when_sent_again(outage_app, stoppable, caplog):
    person = Respondent(outage_app.test_client(), "every-type")
    first = person.start("de")
    stoppable.stop(outage_app)
    caplog.clear()
    caplog.set_level(logging.INFO, logger="survey")

    page = person.get(f"/every-type/p/{first}")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    html = page.data.decode()
    assert '<html lang="de" dir="ltr">' in html
    assert "Die Umfrage ist gerade nicht erreichbar" in html
    sent = person.post(f"/every-type/p/{first}", [("consent", "yes")])
    assert sent.status_code == 503
    assert "noch nicht gespeichert" in sent.data.decode()
    action, fields = resend_form(sent.data.decode())
    assert action == f"/every-type/p/{first}" and ("consent", "yes") in fields
    assert any(name == "csrf_token" for name, _ in fields)
    assert person.get("/every-type/review").status_code == 503
    # One warning for the episode, naming the cause; no traceback, no error per request.
    (warning,) = outage_records(caplog)
    assert warning.levelno == logging.WARNING and warning.exc_info is None
    assert warning.getMessage().startswith("database unavailable (")

    stoppable.start()
    again = person.client.post(action, data=MultiDict(fields))
    assert again.status_code == 303 and "/p/" in again.location and not again.location.endswith(f"/p/{first}")
    assert person.get(f"/every-type/p/{first}").data.decode().count("checked") == 1
    assert any("database available again" in record.getMessage() for record in caplog.records)
    assert len(outage_records(caplog)) == 1
    assert count_rows(outage_app, "draft") == 1


def test_answers_sent_while_the_database_is_down_are_stored_once_when_sent_again(outage_app, stoppable, caplog):
    questionnaire, _ = load_file(TEST_QUESTIONNAIRES / "every-type.json")
    person = Respondent(outage_app.test_client(), "every-type")
    complete(person, "de", questionnaire)
    assert person.get("/every-type/review").status_code == 200
    stoppable.stop(outage_app)

    sent = person.submit()
    assert sent.status_code == 503 and sent.headers["Retry-After"] == "30"
    action, fields = resend_form(sent.data.decode())
    assert action == "/every-type/submit"

    stoppable.start()
    first = person.client.post(action, data=MultiDict(fields))
    assert first.status_code == 303, first.data.decode()[-1500:]
    assert first.location.endswith("/every-type/done")
    second = person.client.post(action, data=MultiDict(fields))  # pressed twice, or the first answer got lost
    assert second.status_code < 500
    assert count_rows(outage_app, "sealed_response") == 1
    assert person.get("/every-type/done").status_code == 200
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


PROBE = "CREATE TABLE teardown_probe (id INTEGER PRIMARY KEY)"


def test_a_connection_broken_before_teardown_never_turns_a_committed_request_into_an_error(stoppable, caplog):
    """The request commits, then reads again, and its connection breaks before the session is closed:
    on PostgreSQL the server ends the backend (as a restart does); on SQLite the driver connection is
    closed under the session. The page still arrives; the committed row stays."""
    app = make_app(stoppable.url)
    engine = app.extensions["survey.db"].engine
    with engine.begin() as connection:
        connection.execute(text(PROBE))

    @app.get("/probe")
    def probe() -> str:
        session = database.session()
        session.execute(text("INSERT INTO teardown_probe (id) VALUES (1)"))
        session.commit()
        connection = session.connection()
        if stoppable.kind == "postgres":
            backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            other = create_engine(stoppable.url)
            with other.begin() as admin:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            other.dispose()
        else:
            session.execute(text("SELECT 1"))
            connection.connection.dbapi_connection.close()  # type: ignore[union-attr]
        return "committed"

    response = app.test_client().get("/probe")
    assert response.status_code == 200 and response.data == b"committed"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM teardown_probe")).scalar_one() == 1
    (warning,) = outage_records(caplog)
    assert warning.getMessage().startswith("database unavailable (")
    app.extensions["survey.db"].dispose()
