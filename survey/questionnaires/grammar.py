"""The syntax of the expression language (see expressions.py for the grammar): tokens, tree, parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .tokens import scan
from .values import BOOL, NUMBER, TEXT


class ExpressionError(ValueError):
    """An expression that does not parse or does not type-check; `position` is a character offset."""

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
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<op><=|>=|!=|=|<|>)
    | (?P<arith>[-+*])
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
    def unexpected(pos: int) -> ExpressionError:
        start = len(source) - len(source[pos:].lstrip())
        return ExpressionError(f"unexpected character {source[start]!r}", start)

    tokens = [
        Token(kind, value, start) for kind, value, start in scan(_TOKEN, source, _KEYWORDS, "keyword", unexpected)
    ]
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
    left: Node
    right: Node
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


@dataclass(frozen=True)
class Arith:
    """`+`, `-` or `*` on two numbers."""

    op: str
    left: Node
    right: Node
    position: int


@dataclass(frozen=True)
class Call:
    """A call of one of `values.FUNCTIONS`."""

    name: str
    arguments: tuple[Node, ...]
    position: int


@dataclass(frozen=True)
class Members:
    """`any(roster, condition)` or `all(roster, condition)`: the condition is read once per member
    of the roster, with that member's answers (`count(roster)` is a `Call` of the function count)."""

    quantifier: str  # "any" | "all"
    roster: Ref
    condition: Node
    position: int


QUANTIFIERS = ("any", "all")
Node = Literal | Ref | Answered | Compare | InList | Not | BoolOp | Arith | Call | Members
# Nodes that stand for a value (rather than a truth).
VALUE_NODES = (Literal, Ref, Arith, Call, Members)


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
        left = self.parse_sum()
        op = self.accept("op")
        if op:
            right = self.parse_sum()
            if not isinstance(right, VALUE_NODES):
                raise ExpressionError("a comparison needs a value on its right", op.position)
            if not isinstance(left, VALUE_NODES):
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

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while self.current.kind == "arith" and self.current.value in "+-":
            op = self.advance()
            node = Arith(op.value, node, self.parse_product(), op.position)
        return node

    def parse_product(self) -> Node:
        node = self.parse_unary()
        while self.current.kind == "arith" and self.current.value == "*":
            op = self.advance()
            node = Arith(op.value, node, self.parse_unary(), op.position)
        return node

    def parse_unary(self) -> Node:
        minus = self.accept("arith", "-")
        if minus is None:
            return self.parse_operand()
        operand = self.parse_unary()
        if isinstance(operand, Literal) and operand.kind == NUMBER:
            return Literal(-operand.value, NUMBER, minus.position)
        return Arith("-", Literal(0, NUMBER, minus.position), operand, minus.position)

    def parse_literal(self) -> Literal:
        token = self.current
        node = self.parse_unary()
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
            if self.tokens[self.index + 1].kind == "punct" and self.tokens[self.index + 1].value == "(":
                if token.value in QUANTIFIERS:
                    return self.parse_members()
                return self.parse_call()
            return self.parse_ref()
        found = token.value or "end of condition"
        raise ExpressionError(f"expected a question id or a value, found {found!r}", token.position)

    def parse_call(self) -> Call:
        name = self.advance()
        self.advance()  # "("
        arguments: list[Node] = []
        if not self.accept("punct", ")"):
            arguments.append(self.parse_sum())
            while self.accept("punct", ","):
                arguments.append(self.parse_sum())
            self.expect("punct", ")", "')' to close the call")
        return Call(name.value, tuple(arguments), name.position)

    def parse_members(self) -> Members:
        name = self.advance()
        self.advance()  # "("
        roster = self.expect("name", what="a roster id")
        self.expect("punct", ",", f"',' and a condition after the roster in '{name.value}'")
        condition = self.parse_or()
        self.expect("punct", ")", f"')' to close '{name.value}'")
        return Members(name.value, Ref(roster.value, None, roster.position), condition, name.position)

    def parse_ref(self) -> Ref:
        name = self.expect("name", what="a question id")
        row = None
        if self.accept("punct", "."):
            row = self.expect("name", what="a matrix row id").value
        return Ref(name.value, row, name.position)


def parse(source: str) -> Node:
    """Parse an expression into a syntax tree; raises ExpressionError with a position."""
    return _Parser(source).parse()
