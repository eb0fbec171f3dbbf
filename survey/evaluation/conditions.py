"""Evaluate a checked condition (the questionnaires' expression language) on a whole export at once.

The same rules as in the journey: a comparison with an unanswered question, a missing code (-1 .. -5)
or a value the anonymiser generalised into a band is false; `q in (...)` on a multiple-choice question
is true when any of the named options was chosen (its 0/1 export columns).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..questionnaires import expressions as ex
from ..questionnaires.model import Questionnaire
from ..questionnaires.questions.choice import MultipleChoice

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def numeric(column: pd.Series) -> np.ndarray:
    """Numbers of a column as float, NaN for missing codes, empty cells and generalised text."""
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, copy=True)
    values[values < 0] = np.nan
    return values


def text(column: pd.Series) -> np.ndarray:
    """Text of a column, None where missing (a missing code, written as text, or empty)."""
    values = column.astype(str).to_numpy(dtype=object, copy=True)
    missing = column.isna().to_numpy() | np.isin(values, ["-1", "-2", "-3", "-4", "-5", "", "nan"])
    values[missing] = None
    return values


class Frame:
    """An export's rows with the questionnaire that says what each column holds; values are cached."""

    def __init__(self, data: pd.DataFrame, questionnaire: Questionnaire) -> None:
        self.data = data
        self.questionnaire = questionnaire
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.data)

    def values(self, ref: ex.Ref) -> tuple[np.ndarray, np.ndarray]:
        """(values, known): numbers as float or text as objects, and where they are known."""
        name = ref.name.replace(".", "_")
        if name not in self._cache:
            question = self.questionnaire.question(ref.question)
            if question.kind in (ex.NUMBER, ex.BOOL) or ref.row is not None:
                values = numeric(self.data[name])
                known = ~np.isnan(values)
            else:
                values = text(self.data[name])
                known = values != None  # noqa: E711 - elementwise on an object array
            self._cache[name] = (values, known)
        return self._cache[name]

    def chosen(self, ref: ex.Ref, codes: set[Any]) -> tuple[np.ndarray, np.ndarray]:
        """For a multiple-choice question: whether any of `codes` was chosen, and whether it was answered."""
        question = self.questionnaire.question(ref.question)
        assert isinstance(question, MultipleChoice)
        first = numeric(self.data[f"{question.id}_{question.options[0].code}"])
        known = ~np.isnan(first)
        hit = np.zeros(len(self.data), dtype=bool)
        for code in codes:
            hit |= numeric(self.data[f"{question.id}_{code}"]) == 1
        return hit & known, known


def holds(condition: ex.Condition, frame: Frame) -> np.ndarray:
    """A boolean per row: does the condition hold for that response?"""
    return _evaluate(condition.tree, frame)


def _is_set(frame: Frame, ref: ex.Ref) -> bool:
    return isinstance(frame.questionnaire.question(ref.question), MultipleChoice)


def _evaluate(node: ex.Node, frame: Frame) -> np.ndarray:
    size = len(frame)
    if isinstance(node, ex.BoolOp):
        parts = [_evaluate(operand, frame) for operand in node.operands]
        return np.logical_and.reduce(parts) if node.op == "and" else np.logical_or.reduce(parts)
    if isinstance(node, ex.Not):
        return ~_evaluate(node.operand, frame)
    if isinstance(node, ex.Answered):
        if _is_set(frame, node.ref):
            return frame.chosen(node.ref, set())[1]
        return frame.values(node.ref)[1].copy()
    if isinstance(node, ex.Ref):
        values, known = frame.values(node)
        return known & (values == 1)
    if isinstance(node, ex.Literal):
        return np.full(size, bool(node.value))
    if isinstance(node, ex.InList):
        wanted = {literal.value for literal in node.values}
        if _is_set(frame, node.ref):
            hit, known = frame.chosen(node.ref, wanted)
        else:
            values, known = frame.values(node.ref)
            hit = known & np.isin(values, list(wanted))
        return known & ~hit if node.negated else hit
    if isinstance(node, ex.Compare):
        left, left_known = _operand(node.left, frame)
        right, right_known = _operand(node.right, frame)
        known = left_known & right_known
        result = np.zeros(size, dtype=bool)
        if known.any():
            lhs = left[known] if isinstance(left, np.ndarray) else left
            rhs = right[known] if isinstance(right, np.ndarray) else right
            result[known] = np.asarray(_OPS[node.op](lhs, rhs), dtype=bool)
        return result
    raise TypeError(f"not a condition node: {node!r}")


def _operand(node: ex.Node, frame: Frame) -> tuple[Any, np.ndarray]:
    if isinstance(node, ex.Literal):
        return node.value, np.ones(len(frame), dtype=bool)
    if not isinstance(node, ex.Ref):
        raise TypeError(f"not a plain operand: {node!r}")  # refused by the indicators checker first
    values, known = frame.values(node)
    return values, known
