"""The only code that reads or writes answer content: drafts sealed under a key only the
respondent's browser holds, completed responses sealed with HPKE to the study's public key, and
participant codes turned into keyed pseudonyms."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from flask import Flask, current_app

from ..config import ConfigurationError
from .keys import KeyFileError, StudyPublicKey, load_public

PUBLIC_KEY_FILE = "study-public.json"
PSEUDONYM_KEY_FILE = "pseudonym_key"


def init_app(app: Flask) -> None:
    """Read the study's public key and the pseudonym key (files only; no database)."""
    instance = Path(app.instance_path)
    path = Path(app.config.get("STUDY_PUBLIC_KEY") or instance / PUBLIC_KEY_FILE)
    if not path.exists():
        raise ConfigurationError(
            f"No study public key at {path}: run 'flask --app survey keys generate --out {instance}' "
            "(or set STUDY_PUBLIC_KEY to the public key file)."
        )
    try:
        app.extensions["survey.study_key"] = load_public(path)
    except KeyFileError as error:
        raise ConfigurationError(str(error)) from None
    app.extensions["survey.pseudonym_key"] = _pseudonym_key(app, instance)


def _pseudonym_key(app: Flask, instance: Path) -> bytes:
    configured = app.config.get("PSEUDONYM_KEY") or os.environ.get("SURVEY_PSEUDONYM_KEY")
    if not configured:
        path = instance / PSEUDONYM_KEY_FILE
        if not path.exists():
            raise ConfigurationError(
                f"No pseudonym key at {path}: run 'flask --app survey init' or set SURVEY_PSEUDONYM_KEY."
            )
        configured = path.read_text(encoding="ascii").strip()
    try:
        key = base64.urlsafe_b64decode(configured)
    except ValueError:
        raise ConfigurationError("The pseudonym key is not valid base64") from None
    if len(key) < 32:
        raise ConfigurationError("The pseudonym key must hold at least 32 bytes")
    return key


def study_key() -> StudyPublicKey:
    return current_app.extensions["survey.study_key"]


def pseudonym_key() -> bytes:
    return current_app.extensions["survey.pseudonym_key"]
