"""Small factories for stored data, so tests do not repeat set-up code."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask

from survey.db import utcnow
from survey.respond.models import Paradata
from survey.vault.models import SealedResponse
from survey.vault.responses import seal_response


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
    key = app.extensions["survey.study_key"]
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
        session.add(
            SealedResponse(
                id=response_id,
                questionnaire_id=questionnaire_id,
                questionnaire_version=questionnaire.version,
                wave=wave,
                draft_id=uuid.uuid4().hex,
                submitted_hour=hour,
                key_id=key.key_id,
                pseudonym=pseudonym,
                content=seal_response(record, key),
            )
        )
        session.flush()
        session.add(
            Paradata(
                response_id=response_id,
                mode=mode,
                languages=language,
                device_class="mobile",
                started_hour=hour,
                ended_hour=hour,
                duration_minutes=12,
            )
        )
        session.commit()
    return response_id
