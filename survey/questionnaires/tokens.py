"""Reading an expression into tokens with one regular expression of named groups: the loop that the
condition language (grammar.py) and the XLSForm XPath subset (xlsform/xpath.py) share; each keeps
its own pattern, keywords, token class and error."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator


def scan(
    pattern: re.Pattern[str],
    source: str,
    keywords: Collection[str],
    keyword_kind: str,
    unreadable: Callable[[int], Exception],
) -> Iterator[tuple[str, str, int]]:
    """Each token of `source` as (kind, value, start): the kind is the name of the group that
    matched, `keyword_kind` for a `name` in `keywords`. `pattern` skips leading white space itself;
    where it matches nothing, `unreadable(offset)` is raised (the offset is where the match was
    tried, white space included)."""
    pos = 0
    while pos < len(source) and source[pos:].strip():
        match = pattern.match(source, pos)
        if not match or match.end() == pos:
            raise unreadable(pos)
        kind = match.lastgroup or ""
        value, start = match.group(kind), match.start(kind)
        if kind == "name" and value in keywords:
            kind = keyword_kind
        yield kind, value, start
        pos = match.end()
