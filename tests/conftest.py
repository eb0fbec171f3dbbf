"""Shared fixtures: one app per database kind and test session, a clean database for every test."""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from survey import create_app
from survey.db import Base
from survey.migrations import upgrade
from survey.vault.cli import write_key_pair
from survey.vault.keys import HYBRID, StudyPrivateKey, load_private

from .postgres import TemporaryPostgres

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEST_QUESTIONNAIRES = HERE / "data" / "questionnaires"


TEST_PASSPHRASE = "Test passphrase, 4 tests only"
TEST_TOTP_KEY = "dGVzdC10b3RwLWtleSwgMzIgYnl0ZXMsIHRlc3RzIG9ubHk="


@functools.cache
def study_keys() -> tuple[Path, StudyPrivateKey]:
    """One study key pair for the whole test session (files in a temporary folder)."""
    folder = Path(tempfile.mkdtemp(prefix="survey-keys-"))
    public_path, private_path, _ = write_key_pair(folder, HYBRID, TEST_PASSPHRASE)
    return public_path, load_private(private_path, TEST_PASSPHRASE)


def private_keys() -> dict[str, StudyPrivateKey]:
    private = study_keys()[1]
    return {private.key_id: private}


def make_app(database_url: str, questionnaire_dir: Path = TEST_QUESTIONNAIRES, **extra: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "QUESTIONNAIRE_DIR": str(questionnaire_dir),
        "STUDY_PUBLIC_KEY": str(study_keys()[0]),
        "PSEUDONYM_KEY": "dGVzdC1wc2V1ZG9ueW0ta2V5LW9mLTMyLWJ5dGVzLW9rIQ==",
        "TOTP_KEY": TEST_TOTP_KEY,
        "RATELIMIT_ENABLED": False,  # tests/test_hardening.py switches it on where it is tested
        **extra,
    }
    return create_app(config)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("SURVEY_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    try:
        server = TemporaryPostgres()
    except RuntimeError as error:
        if os.environ.get("CI"):
            raise  # CI must run every PostgreSQL test
        pytest.skip(f"{error}; the PostgreSQL variants run in CI")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'survey.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    application = make_app(url)
    upgrade(application.extensions["survey.db"].engine)
    yield application
    application.extensions["survey.db"].dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    engine = application.extensions["survey.db"].engine
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Any]:
    with app.extensions["survey.db"].sessions() as session:
        yield session


def csrf_token(html: bytes | str) -> str:
    body = html.decode() if isinstance(html, bytes) else html
    match = re.search(r'name="csrf_token" value="([^"]+)"', body)
    assert match, "page has no CSRF token"
    return match.group(1)


def count_rows(app: Flask, table: str) -> int:
    with app.extensions["survey.db"].engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
