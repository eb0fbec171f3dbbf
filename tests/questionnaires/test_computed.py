"""Computed values, arithmetic and functions in expressions, `valid_if` rules and filtered lists:
parsed, type-checked with JSON pointers when a questionnaire loads, and evaluated without eval()."""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from survey.questionnaires.expressions import (
    DATE,
    NUMBER,
    SET,
    ExpressionError,
    Symbol,
    compile_calculation,
    compile_condition,
)
from survey.questionnaires.loader import ERROR, load_data
from survey.questionnaires.model import lookup, pipe, pipe_markup
from survey.questionnaires.values import TODAY, years_between

from ..conftest import TEST_QUESTIONNAIRES

DERIVED = json.loads((TEST_QUESTIONNAIRES / "derived.json").read_text(encoding="utf-8"))
SYMBOLS = {"birth_year": Symbol(NUMBER), "birth": Symbol(DATE), "langs": Symbol(SET, frozenset({1, 2}))}
INTERVIEW = datetime.date(2026, 3, 20)


def value_of(source: str, **values):
    calculation = compile_calculation(source, SYMBOLS)
    return calculation.value(lambda ref: INTERVIEW.isoformat() if ref.name == TODAY else values.get(ref.name))


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("year(today()) - birth_year", {"birth_year": 1990}, 36),
        ("2 * birth_year - 1", {"birth_year": 10}, 19),
        ("2 * (birth_year - 1)", {"birth_year": 10}, 18),
        ("-birth_year + 5", {"birth_year": 1}, 4),
        ("years_between(birth, today())", {"birth": "1990-03-21"}, 35),  # birthday tomorrow
        ("years_between(birth, today())", {"birth": "1990-03-20"}, 36),
        ("years_between(birth, today())", {"birth": "1990-04"}, 35),
        ("years_between(birth, today())", {"birth": "1990"}, 36),
        ("month(birth)", {"birth": "1990-04-02"}, 4),
        ("year(today()) - birth_year", {}, None),  # unanswered stays unanswered
    ],
)
def test_calculations_evaluate(source, values, expected):
    assert value_of(source, **values) == expected


def test_years_between_counts_full_years_only():
    assert years_between("2000-02-29", "2024-02-28") == 23
    assert years_between("2000-02-29", "2024-02-29") == 24
    assert years_between("2015-09", "2024-08-31") == 8


def test_conditions_may_calculate():
    condition = compile_condition("year(today()) - birth_year >= 18 and birth_year > 1900", SYMBOLS)
    today = INTERVIEW.isoformat()
    assert condition.holds(lambda ref: today if ref.name == TODAY else {"birth_year": 2008}.get(ref.name))
    assert not condition.holds(lambda ref: today if ref.name == TODAY else {"birth_year": 2009}.get(ref.name))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("birth + 1", "'+' needs numbers, not a date"),
        ("year(birth_year)", "argument 1 of 'year' must be a date, not a number"),
        ("age(birth)", "unknown function 'age'"),
        ("year()", "'year' takes 1 argument(s), not 0"),
        ("langs", "allows several answers and cannot be a computed value"),
        ("year(birth) = 'x'", "holds a number, not a text"),
    ],
)
def test_calculation_type_errors_are_found_when_loading(source, message):
    with pytest.raises(ExpressionError) as caught:
        if "=" in source:
            compile_condition(source, SYMBOLS)
        else:
            compile_calculation(source, SYMBOLS)
    assert message in str(caught.value)


def test_a_calculation_is_not_a_condition():
    with pytest.raises(ExpressionError, match="a condition cannot be a bare number"):
        compile_condition("birth_year + 1", SYMBOLS)


# --- the checker --------------------------------------------------------------------------


def errors_of(data) -> list[tuple[str, str]]:
    _, problems = load_data(data, "q.json")
    return [(p.pointer, p.message) for p in problems if p.severity == ERROR]


def mutated(change) -> dict:
    data = copy.deepcopy(DERIVED)
    change(data)
    return data


def page(data, page_id: str) -> dict:
    return next(page for page in data["pages"] if page["id"] == page_id)


def test_derived_questionnaire_loads_with_its_computed_values():
    questionnaire, problems = load_data(DERIVED, "derived.json")
    assert questionnaire is not None, problems
    assert [computed.id for computed in questionnaire.computed] == ["age", "years_here", "adult"]
    assert [computed.kind for computed in questionnaire.computed] == ["number", "number", "bool"]


def test_computed_value_reading_a_question_asked_after_its_first_use():
    def change(data):
        page(data, "name")["show_if"] = "answered(first_name)"
        page(data, "arrival")["show_if"] = "years_here > 0"  # arrival_year is asked on this very page

    assert any(
        pointer == "/computed/1/value" and "'arrival_year' is asked only after 'years_here' is first used" in message
        for pointer, message in errors_of(mutated(change))
    )


def test_computed_value_with_a_type_error_names_its_pointer_and_its_use():
    def change(data):
        data["computed"][1]["value"] = "year(today()) - birth"

    errors = errors_of(mutated(change))
    assert any(pointer == "/computed/1/value" and "'-' needs numbers, not a date" in m for pointer, m in errors)
    assert any(pointer == "/pages/5/questions/0/text/de" or pointer == "/pages/6/show_if" for pointer, _ in errors)


def test_computed_value_may_only_use_values_defined_above_it():
    def change(data):
        data["computed"][0]["value"] = "years_here + 1"

    assert any(
        pointer == "/computed/0/value" and "'years_here' is not defined before 'age'" in message
        for pointer, message in errors_of(mutated(change))
    )


def test_computed_value_from_a_quasi_identifier_must_be_quasi():
    def change(data):
        data["computed"][1]["privacy"] = "none"

    assert any(
        pointer == "/computed/1/value" and 'set "privacy": "quasi" on \'years_here\'' in message
        for pointer, message in errors_of(mutated(change))
    )


def test_computed_id_may_not_be_a_question_id():
    assert ("/computed/0/id", "'first_name' is also a question id") in errors_of(
        mutated(lambda data: data["computed"][0].update(id="first_name"))
    )


def test_yes_no_computed_value_cannot_be_piped():
    def change(data):
        page(data, "summary")["questions"][0]["text"]["de"] += " {{adult}}"

    assert any(
        pointer == "/pages/5/questions/0/text/de" and "'{{adult}}' is a yes/no value" in message
        for pointer, message in errors_of(mutated(change))
    )


def test_unknown_function_in_a_computed_value_is_an_error_with_its_pointer():
    errors = errors_of(mutated(lambda data: data["computed"][0].update(value="age_of(birth)")))
    assert any(pointer == "/computed/0/value" and "unknown function 'age_of'" in message for pointer, message in errors)


def test_valid_if_needs_a_message_and_may_read_only_earlier_answers():
    def no_message(data):
        page(data, "arrival")["questions"][0].pop("invalid_message")

    assert any(pointer == "/pages/2/questions/0" for pointer, _ in errors_of(mutated(no_message)))

    def later(data):
        page(data, "arrival")["questions"][0]["valid_if"] = "arrival_year >= best_lang"

    assert any(
        pointer == "/pages/2/questions/0/valid_if" and "'best_lang' comes later" in message
        for pointer, message in errors_of(mutated(later))
    )


def test_filtered_list_needs_an_earlier_choice_question():
    def same_page(data):
        page(data, "best")["questions"][0]["options_from"] = "nothing"

    assert any(
        pointer == "/pages/4/questions/0/options_from" and "'nothing' is not a question on an earlier page" in message
        for pointer, message in errors_of(mutated(same_page))
    )

    def not_choice(data):
        page(data, "best")["questions"][0]["options_from"] = "first_name"

    assert any(
        pointer == "/pages/4/questions/0/options_from" and "not a single or multiple choice" in message
        for pointer, message in errors_of(mutated(not_choice))
    )

    def both(data):
        page(data, "best")["questions"][0]["options"] = copy.deepcopy(page(data, "langs")["questions"][0]["options"])

    assert any("either 'options' or 'options_from'" in message for _, message in errors_of(mutated(both)))


def test_filtered_list_without_options_or_source_is_a_schema_error():
    errors = errors_of(mutated(lambda data: page(data, "best")["questions"][0].pop("options_from")))
    assert ("/pages/4/questions/0", "missing required property 'options'") in errors


# --- piping ----------------------------------------------------------------------------------


def derived():
    questionnaire, _ = load_data(DERIVED, "derived.json")
    assert questionnaire is not None
    return questionnaire


def test_computed_values_are_piped_and_every_piped_value_is_isolated_and_escaped():
    questionnaire = derived()
    answers = {"first_name": "<b>Maria</b>", "birth": "1990-01-15", "arrival_year": 2016}
    text = questionnaire.page("summary").questions[0].text.get("ar")
    html = pipe_markup(text, answers, questionnaire, "ar")
    assert "<bdi>&lt;b&gt;Maria&lt;/b&gt;</bdi>" in html and "<b>" not in html
    today = datetime.datetime.now(datetime.UTC).date()
    age = years_between("1990-01-15", today.isoformat())
    assert f"<bdi>{age}</bdi>" in html and f"<bdi>{today.year - 2016}</bdi>" in html
    plain = pipe(text, answers, questionnaire, "ar")
    assert "\u2068<b>Maria</b>\u2069" in plain  # plain text (a page title) isolates with FSI/PDI


def test_lookup_of_a_computed_value_uses_the_interview_date():
    questionnaire = derived()
    values = lookup(questionnaire, {"birth": "2008-06-01"}, datetime.date(2026, 5, 31))
    from survey.questionnaires.expressions import Ref

    assert values(Ref("age", None, 0)) == 17 and values(Ref("adult", None, 0)) is False
    later = lookup(questionnaire, {"birth": "2008-06-01"}, datetime.date(2026, 6, 1))
    assert later(Ref("adult", None, 0)) is True
