"""The token loop the condition language and the XLSForm XPath subset share (questionnaires/tokens.py):
keywords keep their own position, white space is skipped, and an unreadable character is named by
each grammar's own error."""

from __future__ import annotations

import pytest

from survey.questionnaires import grammar
from survey.questionnaires.grammar import ExpressionError
from survey.questionnaires.xlsform import xpath
from survey.questionnaires.xlsform.xpath import XPathError


def test_condition_tokens_carry_their_kind_and_position_keywords_included() -> None:
    found = [
        (token.kind, token.value, token.position) for token in grammar.tokenize("  age >= 18 and\tnot answered(x)  ")
    ]
    assert found == [
        ("name", "age", 2),
        ("op", ">=", 6),
        ("number", "18", 9),
        ("keyword", "and", 12),
        ("keyword", "not", 16),
        ("keyword", "answered", 20),
        ("punct", "(", 28),
        ("name", "x", 29),
        ("punct", ")", 30),
        ("end", "", 33),
    ]


def test_xpath_tokens_mark_its_operator_words() -> None:
    found = [(token.kind, token.value) for token in xpath.tokenize("${a} div 2 mod 3 or . = 'x'")]
    assert found == [
        ("ref", "${a}"),
        ("word", "div"),
        ("number", "2"),
        ("word", "mod"),
        ("number", "3"),
        ("word", "or"),
        ("dot", "."),
        ("op", "="),
        ("string", "'x'"),
        ("end", ""),
    ]


def test_an_unreadable_character_is_named_by_each_grammar() -> None:
    with pytest.raises(ExpressionError) as caught:
        grammar.tokenize("age >=   # 3")
    assert (caught.value.message, caught.value.position) == ("unexpected character '#'", 9)
    with pytest.raises(XPathError, match=r"^cannot read '# 3'$"):
        xpath.tokenize("${age} >=   # 3")
    assert [token.kind for token in grammar.tokenize("   ")] == ["end"] == [token.kind for token in xpath.tokenize("")]
