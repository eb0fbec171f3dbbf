"""The small condition language of `show_if`: parsed and type-checked when a questionnaire loads.

Grammar (keywords are lower case)::

    expr    := and_ ("or" and_)*
    and_    := not_ ("and" not_)*
    not_    := "not" not_ | compare
    compare := operand (OP operand | ["not"] "in" "(" literal ("," literal)* ")")?
    operand := NUMBER | STRING | "true" | "false" | NAME ["." NAME]
             | "answered" "(" NAME ["." NAME] ")" | "(" expr ")"
    OP      := "=" | "!=" | "<" | "<=" | ">" | ">="

A comparison with an unanswered question (or a "don't know"/"prefer not to say" answer) is false.
`x in (...)` on a multiple-choice question is true when any chosen option is in the list.
Nothing here is ever handed to eval().
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Value kinds a question exposes to conditions.
NUMBER = "number"
TEXT = "text"
SET = "set"
DATE = "date"
BOOL = "bool"


class ExpressionError(ValueError):
    """A condition that does not parse or does not type-check; `position` is a character offset."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at character {self.position + 1})"


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?\d+(?:\.\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<op><=|>=|!=|=|<|>)
    | (?P<punct>[(),.])
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "answered"}


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    position: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            start = len(source) - len(source[pos:].lstrip())
            raise ExpressionError(f"unexpected character {source[start]!r}", start)
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "keyword"
        tokens.append(Token(kind, value, start))
        pos = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# --- syntax tree -------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any
    kind: str
    position: int


@dataclass(frozen=True)
class Ref:
    """A reference to a question's answer, or to one row of a matrix (`question.row`)."""

    question: str
    row: str | None
    position: int

    @property
    def name(self) -> str:
        return f"{self.question}.{self.row}" if self.row else self.question


@dataclass(frozen=True)
class Answered:
    ref: Ref


@dataclass(frozen=True)
class Compare:
    op: str
    left: Literal | Ref
    right: Literal | Ref
    position: int


@dataclass(frozen=True)
class InList:
    ref: Ref
    values: tuple[Literal, ...]
    negated: bool


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


Node = Literal | Ref | Answered | Compare | InList | Not | BoolOp


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, kind: str, value: str | None = None) -> Token | None:
        token = self.current
        if token.kind == kind and (value is None or token.value == value):
            return self.advance()
        return None

    def expect(self, kind: str, value: str | None = None, what: str = "") -> Token:
        token = self.accept(kind, value)
        if token is None:
            found = self.current.value or "end of condition"
            raise ExpressionError(f"expected {what or value or kind}, found {found!r}", self.current.position)
        return token

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExpressionError("empty condition", 0)
        node = self.parse_or()
        if self.current.kind != "end":
            raise ExpressionError(f"unexpected {self.current.value!r}", self.current.position)
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.accept("keyword", "or"):
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while self.accept("keyword", "and"):
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def parse_not(self) -> Node:
        if self.accept("keyword", "not"):
            return Not(self.parse_not())
        return self.parse_compare()

    def parse_compare(self) -> Node:
        left = self.parse_operand()
        op = self.accept("op")
        if op:
            right = self.parse_operand()
            if isinstance(right, Answered | Compare | InList | Not | BoolOp):
                raise ExpressionError("a comparison needs a value on its right", op.position)
            if isinstance(left, Answered | Compare | InList | Not | BoolOp):
                raise ExpressionError("a comparison needs a value on its left", op.position)
            return Compare(op.value, left, right, op.position)
        negated = False
        start = self.current.position
        if self.current.kind == "keyword" and self.current.value == "not":
            nxt = self.tokens[self.index + 1]
            if nxt.kind == "keyword" and nxt.value == "in":
                self.advance()
                negated = True
        if self.accept("keyword", "in"):
            if not isinstance(left, Ref):
                raise ExpressionError("'in' needs a question on its left", start)
            self.expect("punct", "(", "'(' after 'in'")
            values = [self.parse_literal()]
            while self.accept("punct", ","):
                values.append(self.parse_literal())
            self.expect("punct", ")", "')' to close the list")
            return InList(left, tuple(values), negated)
        return left

    def parse_literal(self) -> Literal:
        token = self.current
        node = self.parse_operand()
        if not isinstance(node, Literal):
            raise ExpressionError("a list may only hold numbers and quoted strings", token.position)
        return node

    def parse_operand(self) -> Node:
        token = self.current
        if self.accept("number"):
            number = float(token.value) if "." in token.value else int(token.value)
            return Literal(number, NUMBER, token.position)
        if self.accept("string"):
            text = re.sub(r"\\(.)", r"\1", token.value[1:-1])
            return Literal(text, TEXT, token.position)
        if self.accept("keyword", "true"):
            return Literal(True, BOOL, token.position)
        if self.accept("keyword", "false"):
            return Literal(False, BOOL, token.position)
        if self.accept("keyword", "answered"):
            self.expect("punct", "(", "'(' after 'answered'")
            ref = self.parse_ref()
            self.expect("punct", ")", "')'")
            return Answered(ref)
        if self.accept("punct", "("):
            node = self.parse_or()
            self.expect("punct", ")", "')'")
            return node
        if self.current.kind == "name":
            return self.parse_ref()
        found = token.value or "end of condition"
        raise ExpressionError(f"expected a question id or a value, found {found!r}", token.position)

    def parse_ref(self) -> Ref:
        name = self.expect("name", what="a question id")
        row = None
        if self.accept("punct", "."):
            row = self.expect("name", what="a matrix row id").value
        return Ref(name.value, row, name.position)


def parse(source: str) -> Node:
    """Parse a condition into a syntax tree; raises ExpressionError with a position."""
    return _Parser(source).parse()


# --- type checking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Symbol:
    """What a condition may know about a question it references."""

    kind: str
    codes: frozenset[Any] | None = None  # allowed option codes, for choice questions


def references(node: Node) -> list[Ref]:
    """Every question reference in a tree, in source order."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Answered):
        return [node.ref]
    if isinstance(node, InList):
        return [node.ref]
    if isinstance(node, Compare):
        return references(node.left) + references(node.right)
    if isinstance(node, Not):
        return references(node.operand)
    if isinstance(node, BoolOp):
        return [ref for operand in node.operands for ref in references(operand)]
    return []


def check(node: Node, resolve: Callable[[Ref], Symbol]) -> None:
    """Type-check a tree; `resolve` returns a Symbol or raises ExpressionError for unknown names."""
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
    elif isinstance(node, InList):
        symbol = resolve(node.ref)
        if symbol.kind in (BOOL, DATE):
            raise ExpressionError(f"'in' does not apply to '{node.ref.name}'", node.ref.position)
        for literal in node.values:
            _check_literal(symbol, literal, node.ref)
    elif isinstance(node, Compare):
        _check_compare(node, resolve)


def _check_literal(symbol: Symbol, literal: Literal, ref: Ref) -> None:
    expected = NUMBER if symbol.kind in (NUMBER, SET) else symbol.kind
    if symbol.kind == DATE:
        expected = TEXT
    if literal.kind != expected:
        raise ExpressionError(
            f"'{ref.name}' holds a {_describe(symbol.kind)}, not a {_describe(literal.kind)}",
            literal.position,
        )
    if symbol.kind == DATE and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", literal.value):
        raise ExpressionError("dates are written 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'", literal.position)
    if symbol.codes is not None and literal.value not in symbol.codes:
        raise ExpressionError(f"'{ref.name}' has no option with code {literal.value!r}", literal.position)


def _check_compare(node: Compare, resolve: Callable[[Ref], Symbol]) -> None:
    refs = [side for side in (node.left, node.right) if isinstance(side, Ref)]
    if not refs:
        raise ExpressionError("a comparison needs at least one question", node.position)
    symbols = [resolve(ref) for ref in refs]
    for ref, symbol in zip(refs, symbols, strict=True):
        if symbol.kind == SET:
            raise ExpressionError(f"'{ref.name}' allows several answers: use 'in (...)' instead", ref.position)
    if len(refs) == 2:
        kinds = {symbol.kind for symbol in symbols}
        if len(kinds) != 1:
            raise ExpressionError("the two questions hold different kinds of answer", node.position)
        kind = symbols[0].kind
    else:
        ref, symbol = refs[0], symbols[0]
        literal = node.right if isinstance(node.right, Literal) else node.left
        assert isinstance(literal, Literal)
        _check_literal(symbol, literal, ref)
        kind = symbol.kind
    if node.op in ("<", "<=", ">", ">=") and kind in (TEXT, BOOL):
        raise ExpressionError(f"'{node.op}' does not apply to {_describe(kind)} answers", node.position)


def _describe(kind: str) -> str:
    return {NUMBER: "number", TEXT: "text", SET: "set of options", DATE: "date", BOOL: "yes/no"}[kind]


# --- evaluation ----------------------------------------------------------------------------

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(node: Node, lookup: Callable[[Ref], Any]) -> bool:
    """Evaluate a checked tree; `lookup` returns the comparable value of a reference or None."""
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(evaluate(operand, lookup) for operand in node.operands)
        return any(evaluate(operand, lookup) for operand in node.operands)
    if isinstance(node, Not):
        return not evaluate(node.operand, lookup)
    if isinstance(node, Answered):
        return lookup(node.ref) is not None
    if isinstance(node, Ref):
        return lookup(node) is True
    if isinstance(node, Literal):
        return bool(node.value)
    if isinstance(node, InList):
        value = lookup(node.ref)
        if value is None:
            return False
        wanted = {literal.value for literal in node.values}
        hit = bool(wanted & set(value)) if isinstance(value, frozenset) else value in wanted
        return not hit if node.negated else hit
    if isinstance(node, Compare):
        left = lookup(node.left) if isinstance(node.left, Ref) else node.left.value
        right = lookup(node.right) if isinstance(node.right, Ref) else node.right.value
        if left is None or right is None:
            return False
        return _OPS[node.op](left, right)
    raise TypeError(f"not a condition node: {node!r}")


@dataclass(frozen=True)
class Condition:
    """A parsed, checked `show_if` with its source text."""

    source: str
    tree: Node

    def holds(self, lookup: Callable[[Ref], Any]) -> bool:
        return evaluate(self.tree, lookup)

    @property
    def questions(self) -> frozenset[str]:
        return frozenset(ref.question for ref in references(self.tree))


def compile_condition(source: str, symbols: Mapping[str, Symbol] | Callable[[Ref], Symbol]) -> Condition:
    """Parse and check in one step (used by tests and tools)."""
    tree = parse(source)
    if callable(symbols):
        resolve = symbols
    else:
        table = symbols

        def resolve(ref: Ref) -> Symbol:
            try:
                return table[ref.name]
            except KeyError:
                raise ExpressionError(f"unknown question '{ref.name}'", ref.position) from None

    check(tree, resolve)
    return Condition(source, tree)
