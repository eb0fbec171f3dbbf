"""Configuration: defaults, then `instance/config.py` (optional), then environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from flask import Flask

ROOT = Path(__file__).resolve().parents[1]


def instance_path() -> str:
    """`instance/` beside the package, or SURVEY_INSTANCE_PATH (tests and several sites per host)."""
    return os.environ.get("SURVEY_INSTANCE_PATH") or str(ROOT / "instance")


class ConfigurationError(click.ClickException, RuntimeError):
    """The platform cannot start with this configuration; the message says what to change. A click
    exception, so that `flask run`, `demo` and gunicorn (`survey.startup`) print it without a traceback."""


def defaults(app: Flask) -> dict[str, Any]:
    instance = Path(app.instance_path)
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'survey.sqlite3'}",
        "QUESTIONNAIRE_DIR": str(ROOT / "questionnaires"),
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": "de",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "survey",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        # Whole pages of answers are small; anything larger is not from our forms.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_PARTS": 500,
        "WTF_CSRF_TIME_LIMIT": None,
        # Pages send Referrer-Policy: no-referrer (codes must not leak), so browsers send no Referer
        # header: Flask-WTF's HTTPS Referer check would refuse every form. Token + SameSite cookies stay.
        "WTF_CSRF_SSL_STRICT": False,
        # Every message respondents see is ours (translated in translations/); WTForms' own catalog
        # would only be re-read from disk on each request.
        "WTF_I18N_ENABLED": False,
        # The cookie is sent again only when the session changes (drafts expire on the server anyway).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SQL_ECHO": False,
        "INTERVIEWER_SECOND_FACTOR": False,
        # Retry-After of the 503 page while the database or the rate-limit store is away.
        "RETRY_AFTER_SECONDS": 30,
    }


ENVIRONMENT = (  # settings read from the environment (each also as SURVEY_<name>)
    "DATABASE_URL",
    "SECRET_KEY",
    "QUESTIONNAIRE_DIR",
    "SESSION_COOKIE_SECURE",
    "STUDY_PUBLIC_KEY",
    "BASE_URL",
    "RATELIMIT_STORAGE_URI",  # e.g. redis://host:6379 when several app hosts share the limits
    "HTTPS",  # "1" behind TLS: HSTS, Secure cookies
    "TRUSTED_PROXIES",  # how many reverse proxies to trust for the client address
    "INTERVIEWER_SECOND_FACTOR",  # "1": interviewers need a second factor too (docs/security.md)
)

FLAGS = ("SESSION_COOKIE_SECURE", "HTTPS", "INTERVIEWER_SECOND_FACTOR")  # "1" is on, anything else off


def init_app(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for name in ENVIRONMENT:
            value = os.environ.get(name) or os.environ.get(f"SURVEY_{name}")
            if value:
                app.config[name] = value == "1" if name in FLAGS else value
        secret_file = Path(app.instance_path) / "secret_key"
        if not app.config.get("SECRET_KEY") and secret_file.exists():
            app.config["SECRET_KEY"] = secret_file.read_text(encoding="ascii").strip()
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        raise ConfigurationError(
            "No SECRET_KEY: set the SECRET_KEY environment variable, or run "
            "'flask --app survey init' to create instance/secret_key."
        )
    url = app.config["DATABASE_URL"]
    # Heroku-style URLs name the old driver; SQLAlchemy 2 with psycopg 3 wants this form.
    if url.startswith(("postgres://", "postgresql://")):
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + url.split("://", 1)[1]
