"""Turn unsealed responses into one row per response with stable variable names and missing codes.

Missing codes (numbers in numeric variables, the same digits as text in string variables):

    -1 don't know     -2 refused (prefer not to say)     -3 not asked (skip logic)
    -4 no answer (an optional question left empty)         -5 suppressed by the anonymiser
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..questionnaires.model import Questionnaire, Text
from ..questionnaires.questions import DONT_KNOW, REFUSED, Question
from ..respond import flow

DONT_KNOW_CODE, REFUSED_CODE, NOT_ASKED, NO_ANSWER, SUPPRESSED = -1, -2, -3, -4, -5
MISSING_CODES: dict[int, Text] = {
    DONT_KNOW_CODE: Text.of({"de": "Weiß nicht", "en": "Don't know"}, "en"),
    REFUSED_CODE: Text.of({"de": "Keine Angabe (verweigert)", "en": "Refused (prefer not to say)"}, "en"),
    NOT_ASKED: Text.of({"de": "Nicht gefragt (Filterführung)", "en": "Not asked (skip logic)"}, "en"),
    NO_ANSWER: Text.of({"de": "Keine Antwort", "en": "No answer"}, "en"),
    SUPPRESSED: Text.of({"de": "Unterdrückt (Anonymisierung)", "en": "Suppressed (anonymisation)"}, "en"),
}
_SPECIAL = {DONT_KNOW: DONT_KNOW_CODE, REFUSED: REFUSED_CODE}

NUMERIC_TYPES = frozenset(
    {"single_choice", "dropdown", "scale", "matrix", "multiple_choice", "integer", "year", "decimal", "consent"}
)


@dataclass(frozen=True)
class Variable:
    """One column of the export, with what the codebook says about it."""

    name: str
    label: Text
    question: Question | None
    numeric: bool
    value_labels: tuple[tuple[Any, Text], ...] = ()
    privacy: str = "none"
    kind: str = "answer"  # "answer", "id", "paradata"


@dataclass
class ResponseTable:
    variables: list[Variable]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def column(self, name: str) -> list[Any]:
        return [row[name] for row in self.rows]


def answer_variables(questionnaire: Questionnaire) -> list[Variable]:
    variables = []
    for question in questionnaire.questions():
        if not question.answerable:
            continue
        numeric = question.type_name in NUMERIC_TYPES
        for column in question.export_columns():
            variables.append(
                Variable(column.name, column.label, question, numeric, column.value_labels, question.privacy)
            )
    return variables


def answer_cells(
    questionnaire: Questionnaire,
    question: Question,
    answers: Mapping[str, Any],
    asked: bool,
    columns: list[str] | None = None,
) -> dict[str, Any]:
    """The export cells of one question for one response (`columns`: its variable names, if known)."""
    columns = columns if columns is not None else [column.name for column in question.export_columns()]
    value = answers.get(question.id)
    numeric = question.type_name in NUMERIC_TYPES

    def missing(code: int) -> dict[str, Any]:
        return {name: code if numeric else str(code) for name in columns}

    if not asked:
        return missing(NOT_ASKED)
    if value is None:
        return missing(NO_ANSWER)
    if isinstance(value, str) and value in _SPECIAL:
        return missing(_SPECIAL[value])
    kind = question.type_name
    if kind == "multiple_choice":
        chosen = set(value)
        return {f"{question.id}_{option.code}": int(option.code in chosen) for option in question.options}  # type: ignore[attr-defined]
    if kind == "matrix":
        cells = {}
        for row in question.rows:  # type: ignore[attr-defined]
            cell = value.get(row.id)
            name = f"{question.id}_{row.id}"
            cells[name] = NO_ANSWER if cell is None else _SPECIAL.get(cell, cell) if isinstance(cell, str) else cell
        return cells
    if kind == "consent":
        return {question.id: 1 if value else 0}
    return {question.id: value}


def asked_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> set[str]:
    """The questions this respondent was shown, by the same skip logic as the journey."""
    return flow.asked(questionnaire, answers)[1]


def build(questionnaire: Questionnaire, records: Iterable[Mapping[str, Any]]) -> ResponseTable:
    """One row per record (an unsealed response: `answers`, `wave`, `version`, ...)."""
    table = ResponseTable(answer_variables(questionnaire))
    answerable = [
        (question, [column.name for column in question.export_columns()])
        for question in questionnaire.questions()
        if question.answerable
    ]
    for record in records:
        answers = record.get("answers", {})
        shown = asked_questions(questionnaire, answers)
        row: dict[str, Any] = {}
        for question, columns in answerable:
            row.update(answer_cells(questionnaire, question, answers, question.id in shown, columns))
        table.rows.append(row)
    return table
