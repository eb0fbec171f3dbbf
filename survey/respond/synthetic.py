"""Synthetic responses that follow a questionnaire's skip logic: for demos, tests and benchmarks."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from ..db import utcnow
from ..questionnaires.model import Page, Questionnaire
from ..questionnaires.questions import Question
from ..vault.keys import StudyPublicKey
from ..vault.models import SealedResponse
from ..vault.responses import seal_response
from . import flow
from .models import Paradata

_WORDS = ("Arbeit", "Wohnung", "Sprache", "Kita", "Nachbarn", "Bus", "Amt", "Schule", "Verein", "Arzt")


def answer(question: Question, rng: random.Random) -> Any:
    """A plausible answer to one question (sometimes a missing code, sometimes nothing)."""
    kind = question.type_name
    if kind == "matrix":  # missing codes are chosen row by row
        choices = [option.code for option in question.options] + list(question.missing_choices)  # type: ignore[attr-defined]
        return {row.id: rng.choice(choices) for row in question.rows}  # type: ignore[attr-defined]
    if question.missing_choices and rng.random() < 0.04:
        return rng.choice(question.missing_choices)
    if not question.required and rng.random() < 0.3:
        return None
    if kind == "consent":
        return True
    if kind in ("single_choice", "dropdown", "scale"):
        return rng.choice(question.options).code  # type: ignore[attr-defined]
    if kind == "multiple_choice":
        options = [option for option in question.options if not option.exclusive]  # type: ignore[attr-defined]
        return sorted(option.code for option in rng.sample(options, rng.randint(1, min(3, len(options)))))
    if kind in ("integer", "year", "decimal"):
        low = question.minimum if question.minimum is not None else 0  # type: ignore[attr-defined]
        high = question.maximum if question.maximum is not None else low + 100  # type: ignore[attr-defined]
        if kind == "year":
            low = max(low, 1940)
        value = rng.randint(int(low), int(min(high, low + 80)))
        return float(value) if kind == "decimal" else value
    if kind == "date":
        year, month, day = rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28)
        return {"day": f"{year:04d}-{month:02d}-{day:02d}", "month": f"{year:04d}-{month:02d}", "year": f"{year:04d}"}[
            question.precision  # type: ignore[attr-defined]
        ]
    if kind == "country":
        codes = question.codes or ("SY", "AF", "TR", "UA", "IQ", "ER", "RO", "PL", "DE", "RU", "IR", "SO")  # type: ignore[attr-defined]
        return rng.choice(codes)
    if kind == "language":
        return rng.choice(question.codes or ("ar", "fa", "tr", "uk", "ru", "de", "ti", "ckb"))  # type: ignore[attr-defined]
    if kind in ("short_text", "long_text"):
        text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 6)))
        limit = getattr(question, "max_length", None)  # a longer text is no answer a form can send
        return text[:limit].strip() if limit else text
    return None


def answers_for(questionnaire: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """Answers page by page, asking only what the skip logic shows."""
    answers: dict[str, Any] = {}

    def ask(page: Page, into: dict[str, Any]) -> None:
        if not flow.page_visible(questionnaire, page, answers):
            return
        for question in flow.visible_questions(questionnaire, page, answers):
            if question.answerable:
                value = answer(question, rng)
                if value is not None:
                    into[question.id] = value

    for index, page in enumerate([*questionnaire.pages, None]):
        for roster in questionnaire.rosters:  # asked before the top-level page at its position
            values = flow.lookup(questionnaire, answers)
            if roster.position != index or (roster.show_if is not None and not roster.show_if.holds(values)):
                continue
            members: list[dict[str, Any]] = []
            answers[roster.id] = members
            for number in range(1, flow.members_wanted(roster, values, rng.randint(0, 3)) + 1):
                members.append({})
                for template in roster.pages:
                    ask(roster.member_page(template, number), members[-1])
        if page is not None:
            ask(page, answers)
    return answers


def records(
    questionnaire: Questionnaire, count: int, seed: int = 1, wave: str | None = None
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _ in range(count):
        yield {
            "questionnaire": questionnaire.id,
            "version": questionnaire.version,
            "wave": wave or questionnaire.wave,
            "response": uuid.UUID(int=rng.getrandbits(128)).hex,
            "pseudonym": None,
            "answers": answers_for(questionnaire, rng),
        }


def add_sealed(
    db: Session,
    record: dict[str, Any],
    key: StudyPublicKey,
    hour: Any,
    mode: str = "self",
    language: str = "de",
    device_class: str = "mobile",
    minutes: int = 12,
) -> None:
    """Seal one record and add it with its paradata, as a submit stores it (the caller commits)."""
    db.add(
        SealedResponse(
            id=record["response"],
            questionnaire_id=record["questionnaire"],
            questionnaire_version=record["version"],
            wave=record["wave"],
            draft_id=uuid.uuid4().hex,
            submitted_hour=hour,
            key_id=key.key_id,
            pseudonym=record.get("pseudonym"),
            content=seal_response(record, key),
        )
    )
    db.flush()
    db.add(
        Paradata(
            response_id=record["response"],
            mode=mode,
            languages=language,
            device_class=device_class,
            started_hour=hour,
            ended_hour=hour,
            duration_minutes=minutes,
        )
    )


def store(
    db: Session, questionnaire: Questionnaire, key: StudyPublicKey, count: int, seed: int = 1, wave: str | None = None
) -> int:
    """Seal and store `count` synthetic responses (with paradata), as the journey would."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    rng = random.Random(seed + 1)
    for record in records(questionnaire, count, seed, wave):
        add_sealed(
            db,
            record,
            key,
            now,
            mode=rng.choice(("self", "self", "assisted")),
            language=rng.choice(("de", "ar", "fa", "tr", "uk", "ru")),
            device_class=rng.choice(("mobile", "desktop")),
            minutes=rng.randint(8, 40),
        )
    db.commit()
    return count
