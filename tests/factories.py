"""Small factories for stored data, so tests do not repeat set-up code."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import Flask

from survey.db import utcnow
from survey.respond.synthetic import add_sealed


def store_response(
    app: Flask,
    questionnaire_id: str,
    answers: dict[str, Any],
    wave: str = "1",
    pseudonym: str | None = None,
    language: str = "de",
    mode: str = "self",
) -> str:
    """Seal and store one response with paradata, as a submit would."""
    questionnaire = app.extensions["survey.questionnaires"][questionnaire_id]
    response_id = uuid.uuid4().hex
    record = {
        "questionnaire": questionnaire_id,
        "version": questionnaire.version,
        "wave": wave,
        "response": response_id,
        "pseudonym": pseudonym,
        "answers": answers,
    }
    hour = utcnow().replace(minute=0, second=0, microsecond=0)
    with app.extensions["survey.db"].sessions() as session:
        add_sealed(session, record, app.extensions["survey.study_key"], hour, mode=mode, language=language)
        session.commit()
    return response_id


def issue_code(runner, tmp_path: Path, questionnaire: str = "panel") -> str:
    """One participant code for wave 1, through the real CLI."""
    out = tmp_path / f"codes-{uuid.uuid4().hex[:6]}.csv"
    result = runner.invoke(
        args=["codes", "generate", "--questionnaire", questionnaire, "--wave", "1", "--count", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8").splitlines()[1].split(",")[0]
