"""Shared vectors for piped texts (survey/static/offline/pipes.js): texts with `{{name}}` and
`{{name[n]}}` under sets of answers, in several page and interface languages, with what the
server's `pipe_markup` and `pipe` make of them; and computed values as `Computed.display` shows
them. Written to tests/data/logic-vectors/pipes.json by tests/offline/vectors.py."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import force_locale

from survey.i18n.languages import babel_locale_name
from survey.offline.device import list_names, page_texts
from survey.offline.logic import describe_question
from survey.questionnaires.loader import load_data, load_file
from survey.questionnaires.model import Computed, Questionnaire, pipe, pipe_markup

from . import cases
from .conftest import ROOT

# Every question of the vectors' questionnaire, once plainly and once inside markup characters.
TEXTS = (
    "{{consent}}|{{age}}|{{born}}|{{arrived}}|{{country}}|{{mother_tongue}}|{{seen}}|{{year_only}}",
    "{{working}}|{{hours}}|{{wage}}|{{ job }}|{{postcode}}|{{langs}}|{{home}}|{{langs_few}}",
    "{{trust}}|{{optional_grid}}|{{why_police}}|{{life}}|{{comment}}",
    '<b>"{{job}}"</b> & {{comment}}\'s {{age[1]}}{{nothing}} – {{langs}}',
    "ما مدى رضاك عن العيش في {{home}}؟ {{job}}",
    "Keine Pipes hier, nur {{ Großbuchstaben }} und {{a-b}}",
)
ANSWERS: list[dict[str, Any]] = [
    {
        "consent": True,
        "age": 30,
        "born": 1985,
        "arrived": "2016-03",
        "country": "SY",
        "mother_tongue": "ar",
        "seen": "2024-03-20",
        "year_only": "1999",
        "working": 1,
        "hours": 38.5,
        "wage": 12.0,
        "job": "Koch <Chef> & 'Sohn' \"X\"",
        "postcode": "61169",
        "langs": [1, 3],
        "home": 2,
        "langs_few": [2],
        "trust": {"police": 2, "courts": "dont_know"},
        "optional_grid": {"a": 1},
        "why_police": "Anna Müller",
        "life": 7,
        "comment": "Ala'a",
    },
    {
        "age": "refused",
        "arrived": "dont_know",
        "country": "dont_know",
        "mother_tongue": "refused",
        "working": "refused",
        "langs": "dont_know",
        "hours": 3.0,
        "wage": 1e-05,
        "trust": {"police": "refused"},
        "life": 0,
        "comment": "dont_know",
        "job": "",
    },
    {},
    {"working": 7, "home": 5, "langs": [2, 9, 4], "country": "XX", "mother_tongue": "fa", "wage": 1e16, "hours": -0.0},
]
# (page language, interface language): the interface language names "don't know" and "yes".
LANGUAGES = (("de", "de"), ("en", "en"), ("ar", "ar"), ("ar", "de"), ("uk", "uk"), ("uk", "ar"))

MEMBER_TEXTS = (
    "{{member_name[1]}} und {{member_name[2]}}{{member_name[3]}}",
    "{{hh_size[1]}}|{{ member_birth_year[2] }}|{{member_works[1]}}|{{member_name}}",
)
MEMBER_ANSWERS: list[dict[str, Any]] = [
    {
        "hh_size": 3,
        "members": [
            {"member_name": "Anna", "member_birth_year": 1990, "member_works": 1},
            {"member_name": "محمد", "member_birth_year": 2015},
            "not a member",
        ],
    },
    {"hh_size": 2, "member_name": "outside", "members": []},
    {},
]

COMPUTED_VALUES = (
    0, 3, -7, 3.0, 2.5, 0.125, 0.375, -0.125, 1.005, 2.999, 0.001, -0.001, 1 / 3, 2 / 3, 1e21, 123456.785, "2016-03",
)  # fmt: skip


def _questions(questionnaire: Questionnaire) -> list[Any]:
    found = list(questionnaire.questions())
    for roster in questionnaire.rosters:
        found.extend(roster.questions())
    return found


def _set(app: Flask, questionnaire: Questionnaire, texts: tuple[str, ...], answer_sets: list[Any]) -> dict[str, Any]:
    questions = _questions(questionnaire)
    rosters = {}
    for question in questions:
        roster = questionnaire.roster_of(question.id)
        if roster is not None:
            rosters[question.id] = roster.id
    made = []
    with app.app_context():
        interface = page_texts({ui for _, ui in LANGUAGES})
        for answers in answer_sets:
            for text in texts:
                for lang, ui in LANGUAGES:
                    if lang not in questionnaire.language_tags:
                        continue
                    with app.test_request_context(), force_locale(babel_locale_name(ui)):
                        markup = str(pipe_markup(text, answers, questionnaire, lang))
                        plain = pipe(text, answers, questionnaire, lang)
                    made.append(
                        {"text": text, "answers": answers, "lang": lang, "ui": ui, "markup": markup, "plain": plain}
                    )
        lists = list_names(questionnaire)
    return {
        "questionnaire": questionnaire.id,
        "default_language": questionnaire.default_language,
        "questions": [describe_question(question) for question in questions],
        "lists": lists,
        "rosters": rosters,
        "texts": interface,
        "cases": made,
    }


def pipe_vectors(app: Flask) -> dict[str, Any]:
    logic, problems = load_data(cases.QUESTIONNAIRE, "tests/offline/cases.py")
    assert logic is not None, problems
    household, problems = load_file(ROOT / "tests" / "data" / "questionnaires" / "household.json")
    assert household is not None, problems
    derived, problems = load_file(ROOT / "tests" / "data" / "questionnaires" / "derived.json")
    assert derived is not None, problems
    computed: Computed = derived.computed[0]
    return {
        "sets": [_set(app, logic, TEXTS, ANSWERS), _set(app, household, MEMBER_TEXTS, MEMBER_ANSWERS)],
        "computed": [{"value": value, "display": computed.display(value)} for value in COMPUTED_VALUES],
    }


def expected_checks() -> int:
    """Two comparisons per case (markup and plain text), one per computed value."""
    per_language = len([1 for lang, _ in LANGUAGES if lang in ("de", "en", "ar", "uk")])
    household_languages = len([1 for lang, _ in LANGUAGES if lang in ("de", "en", "ar")])
    return (
        2 * per_language * len(TEXTS) * len(ANSWERS)
        + 2 * household_languages * len(MEMBER_TEXTS) * len(MEMBER_ANSWERS)
        + len(COMPUTED_VALUES)
    )
