"""The small expression language of `show_if`, `valid_if` and computed values: parsed and
type-checked when a questionnaire loads.

Grammar (keywords are lower case)::

    expr    := and_ ("or" and_)*
    and_    := not_ ("and" not_)*
    not_    := "not" not_ | compare
    compare := sum (OP sum | ["not"] "in" "(" literal ("," literal)* ")")?
    sum     := product (("+" | "-") product)*
    product := unary ("*" unary)*
    unary   := "-" unary | operand
    operand := NUMBER | STRING | "true" | "false" | NAME "(" [sum ("," sum)*] ")" | NAME ["." NAME]
             | "answered" "(" NAME ["." NAME] ")" | "(" expr ")"
             | ("any" | "all") "(" ROSTER "," expr ")" | "count" "(" ROSTER ")"
    OP      := "=" | "!=" | "<" | "<=" | ">" | ">="

NAME is a question, a matrix row (`question.row`) or a computed value; NAME "(" calls one of the
functions in `values.FUNCTIONS` (`today()`, `year(d)`, `month(d)`, `years_between(d1, d2)`).
`any(household, age < 6)` holds when the condition holds for at least one member of the roster
`household` (read with that member's answers), `all(...)` when it holds for every member, and
`count(household)` is the number of members.
A comparison with an unanswered question (or a "don't know"/"prefer not to say" answer) is false, and
arithmetic with one is unanswered too. `x in (...)` on a multiple-choice question is true when any
chosen option is in the list. Nothing here is ever handed to eval().
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import closures
from .grammar import (
    VALUE_NODES,
    Answered,
    Arith,
    BoolOp,
    Call,
    Compare,
    ExpressionError,
    InList,
    Literal,
    Members,
    Node,
    Not,
    Ref,
    parse,
)
from .values import BOOL, DATE, FUNCTIONS, NUMBER, SET, TEXT, describe

__all__ = ["BOOL", "DATE", "NUMBER", "SET", "TEXT", "VALUE_NODES", "ExpressionError", "Node", "Ref", "parse"]


# --- type checking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Symbol:
    """What an expression may know about a question or computed value it references."""

    kind: str
    codes: frozenset[Any] | None = None  # allowed option codes, for choice questions
    # For a roster (kind MEMBERS): how the names in a condition over its members resolve.
    members: Callable[[Ref], Symbol] | None = None


MEMBERS = "members"


def references(node: Node) -> list[Ref]:
    """Every reference in a tree, in source order."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Answered | InList):
        return [node.ref]
    if isinstance(node, Compare | Arith):
        return references(node.left) + references(node.right)
    if isinstance(node, Not):
        return references(node.operand)
    if isinstance(node, BoolOp):
        return [ref for operand in node.operands for ref in references(operand)]
    if isinstance(node, Call):
        return [ref for argument in node.arguments for ref in references(argument)]
    if isinstance(node, Members):  # the condition's names are the members' answers
        return [node.roster]
    return []


def _members(node: Members, resolve: Callable[[Ref], Symbol]) -> Callable[[Ref], Symbol]:
    symbol = resolve(node.roster)
    if symbol.kind != MEMBERS or symbol.members is None:
        raise ExpressionError(f"'{node.roster.name}' is not a roster", node.roster.position)
    return symbol.members


def check(node: Node, resolve: Callable[[Ref], Symbol]) -> None:
    """Type-check a condition; `resolve` returns a Symbol or raises ExpressionError for unknown names."""
    if isinstance(node, BoolOp):
        for operand in node.operands:
            check(operand, resolve)
    elif isinstance(node, Not):
        check(node.operand, resolve)
    elif isinstance(node, Answered):
        resolve(node.ref)
    elif isinstance(node, Ref):
        if resolve(node).kind != BOOL:
            raise ExpressionError(f"'{node.name}' is not a yes/no answer: compare it with a value", node.position)
    elif isinstance(node, Literal):
        if node.kind != BOOL:
            raise ExpressionError("a condition cannot be a bare value", node.position)
    elif isinstance(node, Arith | Call | Members):
        kind = kind_of(node, resolve)
        if kind != BOOL:
            raise ExpressionError(f"a condition cannot be a bare {describe(kind)}: compare it", _position(node))
    elif isinstance(node, InList):
        symbol = _value_symbol(node.ref, resolve)
        if symbol.kind in (BOOL, DATE):
            raise ExpressionError(f"'in' does not apply to '{node.ref.name}'", node.ref.position)
        for literal in node.values:
            _check_literal(symbol, literal, node.ref)
    elif isinstance(node, Compare):
        _check_compare(node, resolve)


def _position(node: Node) -> int:
    return node.position if isinstance(node, Literal | Ref | Arith | Call | Compare | Members) else 0


def kind_of(node: Node, resolve: Callable[[Ref], Symbol]) -> str:
    """The kind of value an expression gives (checking it on the way)."""
    if isinstance(node, Literal):
        return node.kind
    if isinstance(node, Ref):
        return _value_symbol(node, resolve).kind
    if isinstance(node, Members):
        check(node.condition, _members(node, resolve))
        return BOOL
    if isinstance(node, Arith):
        for side in (node.left, node.right):
            kind = kind_of(side, resolve)
            if kind != NUMBER:
                raise ExpressionError(f"'{node.op}' needs numbers, not a {describe(kind)}", node.position)
        return NUMBER
    if isinstance(node, Call) and _counts_members(node, resolve):
        return NUMBER
    if isinstance(node, Call):
        function = FUNCTIONS.get(node.name)
        if function is None:
            known = ", ".join(f"{name}()" for name in FUNCTIONS)
            raise ExpressionError(f"unknown function '{node.name}' (there are {known})", node.position)
        if len(node.arguments) != len(function.arguments):
            raise ExpressionError(
                f"'{node.name}' takes {len(function.arguments)} argument(s), not {len(node.arguments)}", node.position
            )
        for index, (argument, wanted) in enumerate(zip(node.arguments, function.arguments, strict=True)):
            kind = kind_of(argument, resolve)
            if kind != wanted:
                raise ExpressionError(
                    f"argument {index + 1} of '{node.name}' must be a {describe(wanted)}, not a {describe(kind)}",
                    _position(argument),
                )
        return function.result
    check(node, resolve)
    return BOOL


def _value_symbol(ref: Ref, resolve: Callable[[Ref], Symbol]) -> Symbol:
    """What a reference used as a value stands for; a roster is no value (it has members)."""
    symbol = resolve(ref)
    if symbol.kind == MEMBERS:
        raise ExpressionError(
            f"'{ref.name}' is a roster: use any({ref.name}, ...), all({ref.name}, ...) or count({ref.name})",
            ref.position,
        )
    return symbol


def _counts_members(node: Call, resolve: Callable[[Ref], Symbol]) -> bool:
    """`count(roster)`: the number of a roster's members (count of a set of options otherwise)."""
    if node.name != "count" or len(node.arguments) != 1:
        return False
    (argument,) = node.arguments
    return isinstance(argument, Ref) and argument.row is None and resolve(argument).kind == MEMBERS


def _check_literal(symbol: Symbol, literal: Literal, ref: Ref) -> None:
    expected = NUMBER if symbol.kind in (NUMBER, SET) else symbol.kind
    if symbol.kind == DATE:
        expected = TEXT
    if literal.kind != expected:
        raise ExpressionError(
            f"'{ref.name}' holds a {describe(symbol.kind)}, not a {describe(literal.kind)}",
            literal.position,
        )
    if symbol.kind == DATE and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", literal.value):
        raise ExpressionError("dates are written 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'", literal.position)
    if symbol.codes is not None and literal.value not in symbol.codes:
        raise ExpressionError(f"'{ref.name}' has no option with code {literal.value!r}", literal.position)


def _check_compare(node: Compare, resolve: Callable[[Ref], Symbol]) -> None:
    sides = [side for side in (node.left, node.right) if not isinstance(side, Literal)]
    if not sides:
        raise ExpressionError("a comparison needs at least one question", node.position)
    for side in sides:
        if isinstance(side, Ref) and _value_symbol(side, resolve).kind == SET:
            raise ExpressionError(f"'{side.name}' allows several answers: use 'in (...)' instead", side.position)
    if len(sides) == 2:
        kinds = {kind_of(side, resolve) for side in sides}
        if len(kinds) != 1:
            raise ExpressionError("the two questions hold different kinds of answer", node.position)
        kind = kinds.pop()
    else:
        (side,) = sides
        literal = node.right if isinstance(node.right, Literal) else node.left
        assert isinstance(literal, Literal)
        if isinstance(side, Ref):
            symbol = resolve(side)
            _check_literal(symbol, literal, side)
            kind = symbol.kind
        else:
            kind = kind_of(side, resolve)
            _check_literal(Symbol(kind), literal, Ref(f"{_source_name(side)}", None, _position(side)))
    if node.op in ("<", "<=", ">", ">=") and kind in (TEXT, BOOL):
        raise ExpressionError(f"'{node.op}' does not apply to {describe(kind)} answers", node.position)


def _source_name(node: Node) -> str:
    if isinstance(node, Call):
        return f"{node.name}(...)"
    return "the calculation"


# --- evaluation ----------------------------------------------------------------------------

TODAY_REF = closures.TODAY_REF


def value(node: Node, lookup: Callable[[Ref], Any]) -> Any:
    """The value of a checked value expression, or None when something it needs is unanswered.
    `lookup` returns the comparable value of a reference (and the interview date for `TODAY_REF`).
    Compiles the expression on each call: `Condition` and `Calculation` keep theirs compiled."""
    return closures.value(node)(lookup)


def evaluate(node: Node, lookup: Callable[[Ref], Any]) -> bool:
    """Evaluate a checked condition; `lookup` returns the comparable value of a reference or None."""
    return closures.condition(node)(lookup)


def plain(node: Node) -> bool:
    """Whether a condition only compares answers with literals: no arithmetic or functions (the part of
    the language that computed values brought). Indicator files take only these."""
    if isinstance(node, Arith | Call | Members):
        return False
    if isinstance(node, Compare):
        return plain(node.left) and plain(node.right)
    if isinstance(node, BoolOp):
        return all(plain(operand) for operand in node.operands)
    if isinstance(node, Not):
        return plain(node.operand)
    return True


@dataclass(frozen=True)
class Condition:
    """A parsed, checked `show_if` (or `valid_if`) with its source text."""

    source: str
    tree: Node

    def holds(self, lookup: Callable[[Ref], Any]) -> bool:
        return self._test(lookup)

    @cached_property
    def _test(self) -> closures.Test:
        return closures.condition(self.tree)

    @property
    def references(self) -> tuple[Ref, ...]:
        return tuple(references(self.tree))

    @property
    def questions(self) -> frozenset[str]:
        return frozenset(ref.question for ref in references(self.tree))


@dataclass(frozen=True)
class Calculation:
    """A parsed, checked value expression (a computed value) with its source text and kind."""

    source: str
    tree: Node
    kind: str

    def value(self, lookup: Callable[[Ref], Any]) -> Any:
        """The value, None when unknown: a yes/no value is unknown when a value it reads is (unless it
        asks `answered(...)` itself), rather than "no"."""
        if self._read_first and any(lookup(ref) is None for ref in self._references):
            return None
        return self._value(lookup)

    @cached_property
    def _read_first(self) -> bool:
        return self.kind == BOOL and not _asks_answered(self.tree)

    @cached_property
    def _references(self) -> tuple[Ref, ...]:
        return tuple(references(self.tree))

    @cached_property
    def _value(self) -> closures.Value:
        return closures.value(self.tree)

    @property
    def questions(self) -> frozenset[str]:
        return frozenset(ref.question for ref in references(self.tree))


def _asks_answered(node: Node) -> bool:
    if isinstance(node, Answered):
        return True
    if isinstance(node, Not):
        return _asks_answered(node.operand)
    if isinstance(node, BoolOp):
        return any(_asks_answered(operand) for operand in node.operands)
    return False


def _resolver(symbols: Mapping[str, Symbol] | Callable[[Ref], Symbol]) -> Callable[[Ref], Symbol]:
    if callable(symbols):
        return symbols
    table = symbols

    def resolve(ref: Ref) -> Symbol:
        try:
            return table[ref.name]
        except KeyError:
            raise ExpressionError(f"unknown question '{ref.name}'", ref.position) from None

    return resolve


def compile_condition(source: str, symbols: Mapping[str, Symbol] | Callable[[Ref], Symbol]) -> Condition:
    """Parse and check a condition in one step."""
    tree = parse(source)
    check(tree, _resolver(symbols))
    return Condition(source, tree)


def compile_calculation(source: str, symbols: Mapping[str, Symbol] | Callable[[Ref], Symbol]) -> Calculation:
    """Parse and check a computed value's expression; its kind is what it gives."""
    tree = parse(source)
    resolve = _resolver(symbols)
    if isinstance(tree, Ref) and resolve(tree).kind == SET:
        raise ExpressionError(f"'{tree.name}' allows several answers and cannot be a computed value", tree.position)
    return Calculation(source, tree, kind_of(tree, resolve))
