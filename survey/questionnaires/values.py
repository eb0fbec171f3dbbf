"""The kinds of value conditions and computed values work with, and the functions they may call: each
function has a signature, checked when a questionnaire loads, and returns None for a missing argument."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Value kinds a question (or a computed value) exposes to expressions.
NUMBER = "number"
TEXT = "text"
SET = "set"
DATE = "date"  # an ISO date string: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
BOOL = "bool"

# The interview date is not an answer: evaluation asks the caller for it under this name.
TODAY = "@today"


def describe(kind: str) -> str:
    return {NUMBER: "number", TEXT: "text", SET: "set of options", DATE: "date", BOOL: "yes/no"}[kind]


@dataclass(frozen=True)
class Function:
    arguments: tuple[str, ...]
    result: str
    run: Callable[..., Any]
    needs_today: bool = False  # reads the interview date (the one input that is not an argument)


@functools.lru_cache(maxsize=4096)
def _parts(iso: str) -> tuple[int, int | None, int | None]:
    # Kept for the dates seen most (the interview date above all: an export asks for its year once
    # per household member).
    pieces = [int(piece) for piece in iso.split("-")]
    return pieces[0], (pieces[1] if len(pieces) > 1 else None), (pieces[2] if len(pieces) > 2 else None)


def year(iso: str) -> int:
    return _parts(iso)[0]


def month(iso: str) -> int | None:
    return _parts(iso)[1]


def years_between(start: str, end: str) -> int:
    """Full years from `start` to `end` to the precision both dates have: a birthday not yet reached
    in the end year does not count; with only years known, the difference of the years."""
    (y1, m1, d1), (y2, m2, d2) = _parts(start), _parts(end)
    years = y2 - y1
    if m1 is None or m2 is None:
        return years
    not_yet = m2 < m1 or (m2 == m1 and d1 is not None and d2 is not None and d2 < d1)
    return years - 1 if not_yet else years


FUNCTIONS: dict[str, Function] = {
    "today": Function((), DATE, lambda today: today, needs_today=True),
    "year": Function((DATE,), NUMBER, year),
    "month": Function((DATE,), NUMBER, month),
    "years_between": Function((DATE, DATE), NUMBER, years_between),
    "count": Function((SET,), NUMBER, len),  # how many options a multiple-choice answer holds
}
