"""XLSForm expressions (the XPath subset ODK forms use in relevant, constraint, calculation and
choice_filter), parsed by a small recursive-descent parser and rewritten in the questionnaire's own
condition language. Nothing is evaluated; whatever has no equivalent raises XPathError."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..tokens import scan

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{[^}\s]+\})
    | (?P<number>\d+(?:\.\d+)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op><=|>=|!=|=|<|>)
    | (?P<arith>[-+*|])
    | (?P<punct>[(),])
    | (?P<dot>\.\.?(?![A-Za-z0-9_]))
    | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
    | (?P<path>/[^\s()=<>!,]*)
    )""",
    re.VERBOSE,
)
_WORDS = frozenset({"and", "or", "div", "mod"})


class XPathError(ValueError):
    """An expression that does not parse, or uses something the condition language cannot say."""


@dataclass(frozen=True)
class Token:
    kind: str
    value: str


def tokenize(source: str) -> list[Token]:
    def unreadable(pos: int) -> XPathError:
        return XPathError(f"cannot read {source[pos:].strip()[:20]!r}")

    tokens = [Token(kind, value) for kind, value, _ in scan(_TOKEN, source, _WORDS, "word", unreadable)]
    tokens.append(Token("end", ""))
    return tokens


# --- tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """`${name}`, or `.` (the question itself) when name is None."""

    name: str | None


@dataclass(frozen=True)
class Column:
    """A bare name: in a choice_filter, a column of the choices sheet."""

    name: str


@dataclass(frozen=True)
class Num:
    text: str


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Binary:
    op: str
    left: XNode
    right: XNode


@dataclass(frozen=True)
class Func:
    name: str
    arguments: tuple[XNode, ...]


XNode = Ref | Column | Num | Str | Binary | Func


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str, value: str | None = None) -> Token | None:
        token = self.current
        if token.kind == kind and (value is None or token.value == value):
            self.index += 1
            return token
        return None

    def parse(self) -> XNode:
        if self.current.kind == "end":
            raise XPathError("empty expression")
        node = self.binary(0)
        if self.current.kind != "end":
            raise XPathError(f"unexpected {self.current.value!r}")
        return node

    # Precedence, loosest first (XPath 1.0).
    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def binary(self, level: int) -> XNode:
        if level == len(self._LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while self.current.value in self._LEVELS[level] and self.current.kind in ("word", "op", "arith"):
            op = self.current.value
            self.index += 1
            node = Binary(op, node, self.binary(level + 1))
        return node

    def unary(self) -> XNode:
        if self.take("arith", "-"):
            operand = self.unary()
            if isinstance(operand, Num):
                return Num("-" + operand.text)
            return Binary("-", Num("0"), operand)
        return self.primary()

    def primary(self) -> XNode:
        token = self.current
        if self.take("ref"):
            return Ref(token.value[2:-1])
        if self.take("dot"):
            if token.value == "..":
                raise XPathError("'..' (the parent group) has no equivalent")
            return Ref(None)
        if self.take("number"):
            return Num(token.value)
        if self.take("string"):
            return Str(token.value[1:-1])
        if self.take("punct", "("):
            node = self.binary(0)
            if not self.take("punct", ")"):
                raise XPathError("missing ')'")
            return node
        if self.take("path"):
            raise XPathError(f"absolute paths such as {token.value!r} have no equivalent: use ${{name}}")
        if self.take("name"):
            if self.take("punct", "("):
                arguments: list[XNode] = []
                if not self.take("punct", ")"):
                    arguments.append(self.binary(0))
                    while self.take("punct", ","):
                        arguments.append(self.binary(0))
                    if not self.take("punct", ")"):
                        raise XPathError(f"missing ')' after the arguments of {token.value}()")
                return Func(token.value, tuple(arguments))
            return Column(token.value)
        raise XPathError(f"unexpected {token.value or 'end of expression'!r}")


def parse(source: str) -> XNode:
    """Parse an XLSForm expression; raises XPathError."""
    return _Parser(source).parse()


# --- rewriting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """What the rewriter knows of a question an expression reads: its id in the questionnaire, its
    XLSForm type (`select_one`, `select_multiple`, `integer`, `text`, ...) and, for selects, the
    choice name -> option code table."""

    id: str
    kind: str
    codes: dict[str, int] | None = None


_COMPARE = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_DATE_PART = {"%Y": "year", "%n": "month", "%m": "month"}


class Rewriter:
    """Turns a parsed XLSForm expression into condition-language text. `lookup` gives the Field of
    a `${name}` (None when the form has no such question); `self_name` is what `.` stands for."""

    def __init__(self, lookup: Callable[[str], Field | None], self_name: str | None = None) -> None:
        self.lookup = lookup
        self.self_name = self_name

    def field(self, ref: Ref) -> Field:
        name = ref.name if ref.name is not None else self.self_name
        if name is None:
            raise XPathError("'.' is only meaningful in a constraint")
        found = self.lookup(name)
        if found is None:
            raise XPathError(f"${{{name}}} is not a question that was imported")
        return found

    def text(self, node: XNode) -> str:
        if isinstance(node, Binary):
            merged = self.choice_set(node) if node.op == "or" else None
            if merged:
                field, codes = merged
                return f"{field.id} in ({', '.join(str(code) for code in codes)})"
            if node.op in ("and", "or"):
                return f"{self.group(node.left, node.op)} {node.op} {self.group(node.right, node.op)}"
            if node.op in _COMPARE:
                return self.compare(node)
            if node.op in ("+", "-", "*"):
                return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
            raise XPathError(f"'{node.op}' has no equivalent (the condition language has +, - and * only)")
        if isinstance(node, Func):
            return self.function(node)
        return self.value(node)

    def choice_set(self, node: XNode) -> tuple[Field, list[int]] | None:
        """`selected(${q}, 'a') or selected(${q}, 'b')` (or `${q} = 'a' or ${q} = 'b'`): one question,
        several codes, said in the condition language as `q in (a, b)`."""
        if isinstance(node, Binary) and node.op == "or":
            left, right = self.choice_set(node.left), self.choice_set(node.right)
            if left and right and left[0] == right[0]:
                return left[0], left[1] + right[1]
            return None
        ref: XNode | None = None
        literal: XNode | None = None
        if isinstance(node, Func) and node.name == "selected" and len(node.arguments) == 2:
            ref, literal = node.arguments
        elif isinstance(node, Binary) and node.op == "=":
            ref, literal = node.left, node.right
        if not isinstance(ref, Ref) or not isinstance(literal, Str | Num):
            return None
        try:
            field = self.field(ref)
        except XPathError:
            return None
        if field.codes is None or (isinstance(node, Binary) and field.kind == "select_multiple"):
            return None
        name = literal.value if isinstance(literal, Str) else literal.text
        return (field, [field.codes[name]]) if name in field.codes else None

    def group(self, node: XNode, op: str) -> str:
        text = self.text(node)
        if isinstance(node, Binary) and node.op in ("and", "or") and node.op != op:
            return f"({text})"
        return text

    def operand(self, node: XNode) -> str:
        text = self.text(node)
        return f"({text})" if isinstance(node, Binary) else text

    def value(self, node: XNode) -> str:
        if isinstance(node, Ref):
            return self.field(node).id
        if isinstance(node, Num):
            return node.text
        if isinstance(node, Str):
            return "'" + node.value.replace("\\", "\\\\").replace("'", "\\'") + "'"
        if isinstance(node, Column):
            raise XPathError(f"'{node.name}' is neither ${{name}} nor a value")
        return self.text(node)

    def compare(self, node: Binary) -> str:
        left, right = node.left, node.right
        if isinstance(left, Str | Num) and isinstance(right, Ref):
            flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(node.op, node.op)
            return self.compare(Binary(flipped, right, left))
        if isinstance(left, Ref) and isinstance(right, Str) and right.value == "":
            field = self.field(left)
            if node.op == "!=":
                return f"answered({field.id})"
            if node.op == "=":
                return f"not answered({field.id})"
        if isinstance(left, Ref) and isinstance(right, Str | Num):
            field = self.field(left)
            if field.codes is not None:
                if field.kind == "select_multiple":
                    raise XPathError(f"compare ${{{left.name}}} with selected(), not '{node.op}'")
                if node.op not in ("=", "!="):
                    raise XPathError(f"'{node.op}' on the choice question ${{{left.name}}}")
                return f"{field.id} {node.op} {self.code(field, right)}"
        return f"{self.operand(left)} {_COMPARE[node.op]} {self.operand(right)}"

    def code(self, field: Field, literal: Str | Num) -> int:
        name = literal.value if isinstance(literal, Str) else literal.text
        assert field.codes is not None
        if name not in field.codes:
            raise XPathError(f"'{name}' is not a choice of {field.id}")
        return field.codes[name]

    def function(self, node: Func) -> str:
        name, arguments = node.name, node.arguments
        if name == "selected" and len(arguments) == 2 and isinstance(arguments[0], Ref):
            field = self.field(arguments[0])
            literal = arguments[1]
            if field.codes is None or not isinstance(literal, Str | Num):
                raise XPathError("selected() needs a choice question and a quoted choice name")
            code = self.code(field, literal)
            return f"{field.id} in ({code})" if field.kind == "select_multiple" else f"{field.id} = {code}"
        if name == "not" and len(arguments) == 1:
            return f"not ({self.text(arguments[0])})"
        if name in ("true", "false") and not arguments:
            return name
        if name == "today" and not arguments:
            return "today()"
        if name == "count-selected" and len(arguments) == 1 and isinstance(arguments[0], Ref):
            return f"count({self.field(arguments[0]).id})"
        if name == "count" and len(arguments) == 1 and isinstance(arguments[0], Ref):
            field = self.field(arguments[0])
            if field.kind != "repeat":
                raise XPathError("count() counts the members of a repeat; use count-selected() for choices")
            return f"count({field.id})"
        inner = arguments[0] if len(arguments) == 1 else None
        if name == "int" and isinstance(inner, Func) and inner.name == "format-date" and len(inner.arguments) == 2:
            date, pattern = inner.arguments
            part = _DATE_PART.get(pattern.value) if isinstance(pattern, Str) else None
            if part:
                return f"{part}({self.value(date)})"
        if name == "date" and len(arguments) == 1 and isinstance(arguments[0], Str):
            return self.value(arguments[0])
        if name in ("number", "int") and len(arguments) == 1:
            return self.value(arguments[0])
        raise XPathError(f"the function {name}() has no equivalent")


def rewrite(source: str, lookup: Callable[[str], Field | None], self_name: str | None = None) -> str:
    """An XLSForm expression in the condition language; raises XPathError."""
    return Rewriter(lookup, self_name).text(parse(source))


def references(node: XNode) -> list[str]:
    """The `${name}`s an expression reads, in order."""
    if isinstance(node, Ref):
        return [node.name] if node.name else []
    if isinstance(node, Binary):
        return references(node.left) + references(node.right)
    if isinstance(node, Func):
        return [name for argument in node.arguments for name in references(argument)]
    return []
