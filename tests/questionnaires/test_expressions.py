"""The show_if condition language: parsing, type checking and evaluation."""

from __future__ import annotations

import pytest

from survey.questionnaires.expressions import (
    BOOL,
    DATE,
    NUMBER,
    SET,
    TEXT,
    ExpressionError,
    Symbol,
    compile_condition,
    parse,
)

SYMBOLS = {
    "age": Symbol(NUMBER),
    "working": Symbol(NUMBER, frozenset({1, 2})),
    "country": Symbol(TEXT),
    "langs": Symbol(SET, frozenset({1, 2, 3})),
    "arrival": Symbol(DATE),
    "consent": Symbol(BOOL),
    "trust.police": Symbol(NUMBER, frozenset({1, 2, 3, 4})),
}


def holds(source: str, **values) -> bool:
    condition = compile_condition(source, SYMBOLS)
    return condition.holds(lambda ref: values.get(ref.name.replace(".", "__")))


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("age >= 18", {"age": 18}, True),
        ("age >= 18", {"age": 17}, False),
        ("age < 18 or working = 1", {"age": 30, "working": 1}, True),
        ("age < 18 and working = 1", {"age": 10, "working": 2}, False),
        ("not working = 1", {"working": 2}, True),
        ("not (age > 10 and age < 20)", {"age": 15}, False),
        ("working = 1 or working = 2 and age > 100", {"working": 1, "age": 5}, True),  # and binds tighter
        ("country in ('SY', 'AF')", {"country": "AF"}, True),
        ("country not in ('DE')", {"country": "DE"}, False),
        ("langs in (2, 3)", {"langs": frozenset({1, 3})}, True),
        ("langs in (2)", {"langs": frozenset({1, 3})}, False),
        ("langs not in (2)", {"langs": frozenset({1, 3})}, True),
        ("arrival >= '2015-01'", {"arrival": "2016-06"}, True),
        ("consent", {"consent": True}, True),
        ("trust.police <= 2", {"trust__police": 1}, True),
        ("answered(age)", {"age": 0}, True),
        ("answered(age)", {}, False),
        ("age != 3", {"age": 4}, True),
        ("age = 2.5", {"age": 2.5}, True),
        ('country = "DE"', {"country": "DE"}, True),
        # Three operands and more (evaluated as nested pairs), each place deciding once
        ("age > 1 and working = 1 and country = 'SY'", {"age": 5, "working": 1, "country": "SY"}, True),
        ("age > 1 and working = 1 and country = 'SY'", {"age": 5, "working": 1, "country": "AF"}, False),
        ("age > 1 and working = 1 and country = 'SY'", {"age": 0, "working": 1, "country": "SY"}, False),
        ("age = 1 or age = 2 or age = 3 or age = 4", {"age": 4}, True),
        ("age = 1 or age = 2 or age = 3 or age = 4", {"age": 5}, False),
        ("age = 1 or age = 2 or age = 3 or age = 4", {"age": 1}, True),
    ],
)
def test_conditions_evaluate(source, values, expected):
    assert holds(source, **values) is expected


def test_comparison_with_unanswered_question_is_false_and_not_makes_it_true():
    assert holds("age > 3") is False
    assert holds("age <= 3") is False
    assert holds("not age > 3") is True
    assert holds("country in ('DE')") is False


@pytest.mark.parametrize(
    ("source", "message", "position"),
    [
        ("", "empty condition", 0),
        ("age >", "expected a question id or a value", 5),
        ("age > 3 3", "unexpected '3'", 8),
        ("(age > 3", "expected ')'", 8),
        ("age $ 3", "unexpected character '$'", 4),
        ("age in 3", "expected '(' after 'in'", 7),
        ("age in (x)", "a list may only hold numbers and quoted strings", 8),
        ("3 in (3)", "'in' needs a question on its left", 2),
        ("answered(3)", "expected a question id", 9),
    ],
)
def test_syntax_errors_name_the_position(source, message, position):
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert message in caught.value.message
    assert caught.value.position == position


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("nobody = 1", "unknown question 'nobody'"),
        ("age = 'x'", "'age' holds a number, not a text"),
        ("country = 3", "'country' holds a text, not a number"),
        ("country < 'DE'", "'<' does not apply to text answers"),
        ("working = 7", "'working' has no option with code 7"),
        ("langs = 1", "allows several answers: use 'in (...)'"),
        ("langs in (9)", "'langs' has no option with code 9"),
        ("arrival > 'soon'", "dates are written 'YYYY-MM-DD'"),
        ("age", "is not a yes/no answer"),
        ("3 = 3", "needs at least one question"),
        ("age = country", "different kinds of answer"),
        ("consent in (1)", "'in' does not apply"),
        ("trust.police = 9", "no option with code 9"),
        ("'x'", "a condition cannot be a bare value"),
    ],
)
def test_type_errors_are_found_when_loading(source, message):
    with pytest.raises(ExpressionError) as caught:
        compile_condition(source, SYMBOLS)
    assert message in str(caught.value)


def test_condition_lists_the_questions_it_reads():
    condition = compile_condition("age > 3 and (country = 'DE' or answered(trust.police))", SYMBOLS)
    assert condition.questions == frozenset({"age", "country", "trust"})


def test_no_python_is_ever_evaluated():
    with pytest.raises(ExpressionError):
        parse("__import__('os').system('true')")
