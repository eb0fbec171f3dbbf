"""Checked expressions turned into Python closures once, when a questionnaire is loaded: evaluating
one is then a few calls, not a walk over the tree with a type test per node on every page request.

The semantics are the language's (docs/questionnaire-format.md): a comparison with an unanswered value
is false, arithmetic and function calls with an unanswered value are unanswered, `any`/`all` look at
each roster member through the lookup the caller gives for the roster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .grammar import Answered, Arith, BoolOp, Call, Compare, InList, Literal, Members, Node, Not, Ref
from .values import FUNCTIONS, TODAY

Lookup = Callable[[Ref], Any]
Value = Callable[[Lookup], Any]
Test = Callable[[Lookup], bool]

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
}
TODAY_REF = Ref(TODAY, None, 0)


def value(node: Node) -> Value:
    """A checked value expression as a closure: its value, or None when something it needs is
    unanswered. The lookup returns a reference's comparable value (and the interview date for
    `TODAY_REF`); for a roster, one lookup per member."""
    if isinstance(node, Literal):
        constant = node.value
        return lambda lookup: constant
    if isinstance(node, Ref):
        ref = node
        return lambda lookup: lookup(ref)
    if isinstance(node, Arith):
        return _arith(node)
    if isinstance(node, Members):
        return _members(node)
    if isinstance(node, Call):
        return _call(node)
    return condition(node)


def condition(node: Node) -> Test:
    """A checked condition as a closure."""
    if isinstance(node, BoolOp):
        return _bool_op(node)
    if isinstance(node, Not):
        operand = condition(node.operand)
        return lambda lookup: not operand(lookup)
    if isinstance(node, Answered):
        ref = node.ref
        return lambda lookup: lookup(ref) is not None
    if isinstance(node, Ref | Call | Members):
        found = value(node)
        return lambda lookup: found(lookup) is True
    if isinstance(node, Literal):
        truth = bool(node.value)
        return lambda lookup: truth
    if isinstance(node, InList):
        return _in_list(node)
    if isinstance(node, Compare):
        return _compare(node)
    raise TypeError(f"not a condition node: {node!r}")


def _bool_op(node: BoolOp) -> Test:
    """`a and b and c` as nested pairs, `a and (b and c)`: no all()/any() over a generator, which
    cost more than the operands themselves."""
    operands = [condition(operand) for operand in node.operands]
    pair = _both if node.op == "and" else _either
    combined = operands[-1]
    for operand in reversed(operands[:-1]):
        combined = pair(operand, combined)
    return combined


def _both(first: Test, second: Test) -> Test:
    return lambda lookup: first(lookup) and second(lookup)


def _either(first: Test, second: Test) -> Test:
    return lambda lookup: first(lookup) or second(lookup)


def _arith(node: Arith) -> Value:
    left, right, op = value(node.left), value(node.right), ARITH[node.op]

    def run(lookup: Lookup) -> Any:
        a = left(lookup)
        if a is None:
            return None
        b = right(lookup)
        return None if b is None else op(a, b)

    return run


def _members(node: Members) -> Value:
    roster, test = node.roster, condition(node.condition)
    if node.quantifier == "any":
        return lambda lookup: any(test(member) for member in lookup(roster) or ())
    return lambda lookup: all(test(member) for member in lookup(roster) or ())


def _call(node: Call) -> Value:
    function = FUNCTIONS[node.name]
    if function.needs_today:
        return lambda lookup: function.run(lookup(TODAY_REF))
    arguments = tuple(value(argument) for argument in node.arguments)

    def run(lookup: Lookup) -> Any:
        given = [argument(lookup) for argument in arguments]
        return None if any(item is None for item in given) else function.run(*given)

    return run


def _in_list(node: InList) -> Test:
    ref, wanted, negated = node.ref, frozenset(literal.value for literal in node.values), node.negated

    def run(lookup: Lookup) -> bool:
        found = lookup(ref)
        if found is None:
            return False
        hit = not wanted.isdisjoint(found) if isinstance(found, frozenset) else found in wanted
        return not hit if negated else hit

    return run


def _compare(node: Compare) -> Test:
    left, right, op = value(node.left), value(node.right), OPS[node.op]

    def run(lookup: Lookup) -> bool:
        a = left(lookup)
        if a is None:
            return False
        b = right(lookup)
        return False if b is None else op(a, b)

    return run
