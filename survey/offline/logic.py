"""A questionnaire as the offline runtime reads it: the parsed objects' page order, conditions and
validation rules, with every default already applied by the Python loader.

The browser never re-implements the loader: it receives this description, so a default changed in
Python reaches both runtimes at once. The shared test vectors (tests/data/logic-vectors/) prove that
the JavaScript in survey/static/offline/ reaches the same pages, answers and errors as this code.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from ..questionnaires.model import Computed, Page, Questionnaire, Roster, Text
from ..questionnaires.questions import Question
from ..questionnaires.questions.choice import Matrix, MultipleChoice, SingleChoice
from ..questionnaires.questions.lists import Country
from ..questionnaires.questions.static import Consent, Note
from ..questionnaires.questions.typed import DecimalNumber, Integer, ShortText, Year
from ..questionnaires.questions.typed_dates import Date

FORMAT = 1


class NotOffline(ValueError):
    """A question type the offline runtime does not know; names the question. The message is
    translated when it is shown (str() in the interviewer's request), English elsewhere."""


def _text(text: Text | None) -> dict[str, str]:
    return dict(text.by_language) if text else {}


def describe_question(question: Question) -> dict[str, Any]:
    """The rules of one question; the order of the checks below matters (subclasses first)."""
    described: dict[str, Any] = {
        "id": question.id,
        "type": question.type_name,
        "required": question.required,
        "show_if": question.show_if.source if question.show_if else None,
        "dont_know": question.dont_know,
        "refuse": question.refuse,
        # The rule the answer must keep and what the respondent is told when it does not.
        "valid_if": question.valid_if.source if question.valid_if else None,
        "invalid_message": _text(question.invalid_message) if question.invalid_message is not None else None,
    }
    if isinstance(question, SingleChoice):  # also dropdown, scale, multiple choice and matrix
        described["options"] = [
            {"code": option.code, "exclusive": option.exclusive, "label": _text(option.label)}
            for option in question.options
        ]
        # A filtered list: the options (the source question's) narrowed to those chosen there.
        described["options_from"] = getattr(question, "options_from", None)
        if isinstance(question, MultipleChoice):
            described["min_choices"] = question.min_choices
            described["max_choices"] = question.max_choices
        if isinstance(question, Matrix):
            described["rows"] = [{"id": row.id, "text": _text(row.text)} for row in question.rows]
    elif isinstance(question, ShortText):  # also long text
        described["max_length"] = question.max_length
        described["pattern"] = question.pattern
        described["pattern_message"] = _text(question.pattern_message)
    elif isinstance(question, Integer):  # also decimal and year
        described["min"] = question.minimum
        described["max"] = question.maximum
        # As the messages show them: JSON has one kind of number, Python writes 100.0 and 100.
        described["limits_text"] = {
            "min": None if question.minimum is None else str(question.minimum),
            "max": None if question.maximum is None else str(question.maximum),
        }
        if isinstance(question, DecimalNumber):
            described["decimals"] = question.decimals
        if isinstance(question, Year):
            described["example"] = question.example
            described["calendars"] = list(question.calendars)
    elif isinstance(question, Date):
        described["precision"] = question.precision
        described["calendars"] = list(question.calendars)  # the respondent chooses when there are several
        described["min"] = question.minimum
        described["max"] = question.maximum
    elif isinstance(question, Country):  # also language
        described["codes"] = list(question.codes)
    elif not isinstance(question, Consent | Note):
        raise NotOffline(
            lazy_gettext(
                "question '%(question)s': type '%(type)s' cannot be asked offline yet",
                question=question.id,
                type=question.type_name,
            )
        )
    return described


def describe_page(page: Page) -> dict[str, Any]:
    return {
        "id": page.id,
        "show_if": page.show_if.source if page.show_if else None,
        "questions": [describe_question(question) for question in page.questions],
    }


def describe_computed(computed: Computed) -> dict[str, Any]:
    """A computed value: its expression (checked by the loader) and the kind of value it gives."""
    return {"id": computed.id, "value": computed.calculation.source, "kind": computed.kind}


def describe_roster(roster: Roster) -> dict[str, Any]:
    """A roster: where it is asked, how many members it asks about, the pages asked per member
    (survey/static/offline/rosters.js expands them as survey/respond/flow.py does) and its members'
    computed values (worked out with a member's answers, as model.lookup)."""
    return {
        "id": roster.id,
        "position": roster.position,
        "max": roster.max_members,
        "count": roster.count,
        "add_another": describe_question(roster.add_another) if roster.add_another is not None else None,
        "name": roster.name,
        "show_if": roster.show_if.source if roster.show_if else None,
        "pages": [describe_page(page) for page in roster.pages],
        "computed": [describe_computed(computed) for computed in roster.computed],
    }


def describe(questionnaire: Questionnaire) -> dict[str, Any]:
    """Everything the offline runtime needs to route and validate; raises NotOffline."""
    described = {
        "format": FORMAT,
        "id": questionnaire.id,
        "version": questionnaire.version,
        "wave": questionnaire.wave,
        "default_language": questionnaire.default_language,
        "pages": [describe_page(page) for page in questionnaire.pages],
        "computed": [describe_computed(computed) for computed in questionnaire.computed],
    }
    if questionnaire.rosters:  # only then: the description of a questionnaire without one stays as it was
        described["rosters"] = [describe_roster(roster) for roster in questionnaire.rosters]
    return described
