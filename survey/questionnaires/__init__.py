"""Questionnaires are data: JSON files parsed once into immutable objects when the app is created."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .loader import ERROR, QuestionnaireError, ValidationCache, load_directory
from .model import Questionnaire


def init_app(app: Flask) -> None:
    """Load every questionnaire; refuse to create the app when one has an error."""
    from ..i18n import register_languages

    # Schema validation is remembered per file content under the instance folder (every worker and
    # export process loads every questionnaire); QUESTIONNAIRE_CACHE_DIR = "" validates every time.
    folder = app.config.get("QUESTIONNAIRE_CACHE_DIR", str(Path(app.instance_path) / "questionnaire-cache"))
    found, problems = load_directory(app.config["QUESTIONNAIRE_DIR"], ValidationCache(folder) if folder else None)
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:
        raise QuestionnaireError(errors)
    app.extensions["survey.questionnaires"] = found
    register_languages(app, [tag for q in found.values() for tag in q.language_tags])


def all_questionnaires() -> dict[str, Questionnaire]:
    return current_app.extensions["survey.questionnaires"]


def get(questionnaire_id: str) -> Questionnaire | None:
    return all_questionnaires().get(questionnaire_id)
