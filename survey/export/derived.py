"""Computed values that read quasi-identifiers, worked out again from the anonymised answers.

Such a value is no dimension of its own for the anonymiser (a study has no room for one more): it is
recomputed from the generalised answers it reads, by interval arithmetic. An age from a birth year
generalised to 1980-1989 becomes the range that band allows ("36-46"), and is suppressed where an
answer it reads was suppressed, so a derived value never tells more than the answers it comes from
(and the interview date, which the fieldwork period makes known anyway).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..questionnaires.expressions import Arith, Call, Literal, Node, Ref, evaluate, references
from ..questionnaires.model import Computed, Questionnaire
from ..questionnaires.values import FUNCTIONS, TODAY
from .anonymise import TOP
from .table import MISSING_CODES, SUPPRESSED

Interval = tuple[Any, Any]
_BAND = re.compile(r"(\d+)-(\d+)")


def _missing(cell: Any) -> bool:
    """Whether an export cell holds a missing code (in a numeric or a text column)."""
    return any(_is_code(cell, code) for code in MISSING_CODES)


def _is_code(cell: Any, code: int) -> bool:
    try:
        return float(cell) == code
    except (TypeError, ValueError):
        return False


def _cell_interval(cell: Any) -> Interval | None:
    """What an anonymised cell says about the answer: exactly a value, a band, or nothing."""
    if isinstance(cell, str):
        band = _BAND.fullmatch(cell)
        if band:
            return int(band.group(1)), int(band.group(2))
        if re.fullmatch(r"-?\d+", cell):
            cell = int(cell)
        elif re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", cell):
            return cell, cell
        else:
            return None  # "*": generalised away
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    if int(cell) == cell and int(cell) in MISSING_CODES:
        return None
    return cell, cell


def _date_interval(cell: Any) -> Interval | None:
    """What an anonymised date cell says: exactly a date ("2020-04", or "2020" once cut to its year),
    or nothing (a band of years such as "2020-2024", "*"). A month is no band "2020-4"."""
    text = str(cell)
    return (text, text) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else None


def interval(node: Node, lookup: Callable[[Ref], Interval | None]) -> Interval | None:
    """The range of values an expression can have when its inputs lie in ranges; None when unknown."""
    if isinstance(node, Literal):
        return node.value, node.value
    if isinstance(node, Ref):
        return lookup(node)
    if isinstance(node, Arith):
        left, right = interval(node.left, lookup), interval(node.right, lookup)
        if left is None or right is None:
            return None
        if node.op == "+":
            return left[0] + right[0], left[1] + right[1]
        if node.op == "-":
            return left[0] - right[1], left[1] - right[0]
        products = [a * b for a in left for b in right]
        return min(products), max(products)
    if isinstance(node, Call) and FUNCTIONS[node.name].needs_today:
        return lookup(Ref(TODAY, None, 0))
    # Functions and conditions: only on exact inputs.
    refs = references(node) + ([Ref(TODAY, None, 0)] if _reads_today(node) else [])
    exact: dict[str, Any] = {}
    for ref in refs:
        found = lookup(ref)
        if found is None or found[0] != found[1]:
            return None
        exact[ref.name] = found[0]
    if isinstance(node, Call):
        arguments = [interval(argument, lookup) for argument in node.arguments]
        if any(argument is None for argument in arguments):
            return None
        result = FUNCTIONS[node.name].run(*(argument[0] for argument in arguments if argument is not None))
    else:
        result = evaluate(node, lambda ref: exact.get(ref.name))
    return None if result is None else (result, result)


def _reads_today(node: Node) -> bool:
    if isinstance(node, Call):
        return FUNCTIONS[node.name].needs_today or any(_reads_today(argument) for argument in node.arguments)
    return any(_reads_today(child) for child in _children(node))


def _children(node: Node) -> list[Node]:
    found: list[Node] = []
    for name in ("left", "right", "operand"):
        child = getattr(node, name, None)
        if child is not None and not isinstance(child, str):
            found.append(child)
    found.extend(getattr(node, "operands", ()))
    return found


def reads_quasi(questionnaire: Questionnaire, computed: Computed) -> bool:
    """Whether a computed value reads a quasi- (or direct) identifier, directly or through another."""
    for name in computed.calculation.questions:
        inner = questionnaire.computed_value(name)
        if inner is not None:
            if reads_quasi(questionnaire, inner):
                return True
        elif questionnaire.question(name).privacy in ("quasi", "direct"):
            return True
    return False


def _input_columns(questionnaire: Questionnaire, computed: Computed) -> set[str]:
    names: set[str] = set()
    for ref in references(computed.calculation.tree):
        inner = questionnaire.computed_value(ref.question)
        if inner is not None:
            names |= _input_columns(questionnaire, inner)
        else:
            names.add(f"{ref.question}_{ref.row}" if ref.row else ref.question)
    return names


def rederive(
    questionnaire: Questionnaire,
    computed: Computed,
    columns: Mapping[str, Sequence[Any]],
    exact: Sequence[Any],
    interview: Sequence[str],
) -> tuple[list[Any], bool]:
    """The computed value's cells from the anonymised `columns`: exact where its inputs are, a range
    ("36-46") where they were generalised, suppressed where one was suppressed. `exact` holds the
    cells computed before anonymisation (their missing codes are kept). Returns the cells and whether
    any is a range (the column is then text)."""
    cells: list[Any] = []
    ranged = False
    inputs = [columns[name] for name in _input_columns(questionnaire, computed) if name in columns]
    pages = [*questionnaire.pages, *(page for roster in questionnaire.rosters for page in roster.pages)]
    dates = {question.id for page in pages for question in page.questions if question.type_name == "date"}
    for row, before in enumerate(exact):
        if any(_is_code(column[row], SUPPRESSED) or column[row] == TOP for column in inputs):
            cells.append(SUPPRESSED)  # not even whether the answer was missing may show
            continue
        if _missing(before):  # nothing to derive
            cells.append(before)
            continue

        def lookup(ref: Ref, row: int = row) -> Interval | None:
            if ref.question == TODAY:
                return interview[row], interview[row]
            inner = questionnaire.computed_value(ref.question)
            if inner is not None:
                return interval(inner.calculation.tree, lookup)
            name = f"{ref.question}_{ref.row}" if ref.row else ref.question
            if name not in columns:
                return None
            if ref.question in dates:
                return _date_interval(columns[name][row])
            return _cell_interval(columns[name][row])

        found = interval(computed.calculation.tree, lookup)
        if found is None:
            cells.append(SUPPRESSED)
        elif found[0] == found[1]:
            cells.append(int(found[0]) if isinstance(found[0], bool) else found[0])
        else:
            cells.append(f"{found[0]}-{found[1]}")
            ranged = True
    if ranged:
        cells = [str(cell) for cell in cells]
    return cells, ranged
