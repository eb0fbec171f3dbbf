"""Imported questions put on pages (a group is a page; a question outside groups is a page of its own;
a page is split where a question reads an answer on the same page, since conditions, rules and piping
may only read earlier pages), and the result run through the questionnaire checker: a condition the
checker refuses is left out and reported at the cell it came from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..expressions import references
from ..grammar import ExpressionError, parse
from . import repeats

if TYPE_CHECKING:
    from .importer import Importer

_PIPED = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


@dataclass
class Item:
    """One imported question (or computed value) before pagination."""

    spec: dict[str, Any]
    row: int
    group: str | None  # the outermost group: its questions share pages
    group_title: dict[str, str] | None = None
    group_condition: str | None = None
    origins: dict[str, tuple[int, str]] = field(default_factory=dict)  # spec key -> (row, column)
    roster: str | None = None  # the roster (repeat) it is asked in, once per member


def ident(name: str, taken: set[str], limit: int = 24) -> str:
    """A question id (`^[a-z][a-z0-9_]{0,23}$`) for an XLSForm name, unique among `taken`."""
    base = re.sub(r"[^a-z0-9_]", "_", name.lower()).strip("_") or "q"
    if not base[0].isalpha():
        base = "q_" + base
    base = base[:limit]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _reads(source: str | None) -> set[str]:
    if not source:
        return set()
    try:
        return {ref.question for ref in references(parse(source))}
    except ExpressionError:
        return set()


def dependencies(spec: dict[str, Any], computed: dict[str, set[str]]) -> set[str]:
    """The question ids a question reads (through computed values too), itself left out."""
    names = _reads(spec.get("show_if")) | _reads(spec.get("valid_if"))
    if "options_from" in spec:
        names.add(spec["options_from"])
    for key in ("text", "help"):
        for text in (spec.get(key) or {}).values():
            names.update(_PIPED.findall(text))
    expanded: set[str] = set()
    for name in names:
        expanded |= computed.get(name, {name})
    expanded.discard(spec["id"])
    return expanded


def paginate(importer: Importer, items: list[Item], computed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages (and rosters, whose items are consecutive) for the imported items, in order."""
    reads: dict[str, set[str]] = {}
    inside = [value for roster in importer.rosters.values() for value in roster.get("computed", [])]
    for value in computed + inside:
        found: set[str] = set()
        for name in _reads(value["value"]):
            found |= reads.get(name, {name})
        reads[value["id"]] = found
    pages: list[dict[str, Any]] = []
    page_ids: set[str] = set()
    run: list[Item] = []
    for index, item in enumerate(items):
        run.append(item)
        if index + 1 < len(items) and items[index + 1].roster == item.roster:
            continue
        if item.roster is None:
            pages.extend(_pages(importer, run, reads, page_ids))
        else:
            roster = importer.rosters[item.roster]
            roster["pages"].extend(_pages(importer, run, reads, page_ids))
            texts = [q["id"] for page in roster["pages"] for q in page["questions"] if q["type"] == "short_text"]
            if texts:
                roster.setdefault("name", texts[0])  # the first text answer names the member on the review
            if not any(page.get("roster") is roster for page in pages):
                pages.append({"roster": roster})
        run = []
    for roster_id, roster in importer.rosters.items():
        if not roster["pages"]:
            row = importer.roster_rows.get(roster_id)
            importer.report.add("survey", row, "type", f"repeat {roster_id}: no question imported: left out")
    return pages


def _pages(
    importer: Importer, items: list[Item], reads: dict[str, set[str]], page_ids: set[str]
) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    current_group: str | None = None
    on_page: set[str] = set()
    for item in items:
        needs = dependencies(item.spec, reads)
        if current is None or item.group is None or item.group != current_group or needs & on_page:
            base = item.group or item.spec["id"]
            page_id = re.sub(r"[^a-z0-9_-]", "_", base.lower())[:28] or "page"
            if not page_id[0].isalpha():
                page_id = "p" + page_id
            candidate, n = page_id, 2
            while candidate in page_ids or candidate in importer.rosters:
                candidate, n = f"{page_id}_{n}", n + 1
            page_ids.add(candidate)
            current = {"id": candidate, "questions": []}
            if item.group and item.group_title:
                current["title"] = item.group_title
            if item.group_condition:
                current["show_if"] = item.group_condition
            pages.append(current)
            current_group, on_page = item.group, set()
        current["questions"].append(item.spec)
        on_page.add(item.spec["id"])
        importer.origins[item.spec["id"]] = item
    return pages


def repair(importer: Importer, data: dict[str, Any], file: str) -> list[str]:
    """Check the questionnaire; leave out each condition, rule or computed value the checker refuses
    (reported at its cell) until it passes. Returns the errors that remain (none, normally)."""
    from ..loader import ERROR, load_text

    for _ in range(50):
        _, problems = load_text(json.dumps(data, ensure_ascii=False), file)
        errors = [problem for problem in problems if problem.severity == ERROR]
        if not errors:
            return []
        if not any(_drop(importer, data, problem.pointer, problem.message) for problem in errors):
            return [str(problem) for problem in errors]
    return ["the questionnaire could not be repaired"]


def _drop(importer: Importer, data: dict[str, Any], pointer: str, message: str) -> bool:
    parts = pointer.strip("/").split("/")
    container = data
    if len(parts) >= 4 and parts[0] == "pages" and parts[2] == "roster":
        container = data["pages"][int(parts[1])]["roster"]
        if parts[3] in ("show_if", "count"):
            if parts[3] == "count":
                container["add_another"] = repeats.add_another(importer, None)
            container.pop(parts[3])
            column = "relevant" if parts[3] == "show_if" else "repeat_count"
            row = importer.roster_rows.get(container["id"])
            importer.report.add("survey", row, column, f"repeat {container['id']}: left out: {message}")
            return True
        parts = parts[3:]
    values = container.get("computed", [])
    if len(parts) >= 2 and parts[0] == "computed" and parts[1].isdigit() and int(parts[1]) < len(values):
        value = values.pop(int(parts[1]))
        if not values and container is not data:
            container.pop("computed")
        importer.report.add("survey", None, "calculation", f"{value['id']}: left out: {message}")
        return True
    if len(parts) >= 5 and parts[0] == "pages" and parts[2] == "questions":
        page = container["pages"][int(parts[1])]
        spec = page["questions"][int(parts[3])]
        item = importer.origins.get(spec["id"])
        row = item.row if item else None
        key = parts[4]
        if key in ("show_if", "valid_if", "options_from", "pattern"):
            spec.pop(key, None)
            if key == "valid_if":
                spec.pop("invalid_message", None)
            column = {
                "show_if": "relevant",
                "valid_if": "constraint",
                "options_from": "choice_filter",
                "pattern": "constraint",
            }[key]
            importer.report.add("survey", row, column, f"{spec['id']}: left out: {message}")
            return True
        if key == "help":
            spec.pop("help")
            importer.report.add("survey", row, "hint", f"{spec['id']}: left out: {message}")
            return True
        if key == "text" and any(_PIPED.search(text) for text in spec["text"].values()):
            for language, text in list(spec.get(key, {}).items()):
                spec[key][language] = _PIPED.sub(lambda m: m.group(1), text)
            importer.report.add("survey", row, "label", f"{spec['id']}: piping left out: {message}")
            return True
    if len(parts) >= 3 and parts[0] == "pages" and parts[2] == "show_if":
        page = container["pages"][int(parts[1])]
        page.pop("show_if", None)
        importer.report.add("survey", None, "relevant", f"group {page['id']}: left out: {message}")
        return True
    if len(parts) >= 4 and parts[0] == "pages" and parts[2] == "questions":
        page = container["pages"][int(parts[1])]
        spec = page["questions"].pop(int(parts[3]))
        item = importer.origins.get(spec["id"])
        importer.report.add("survey", item.row if item else None, "type", f"{spec['id']}: left out: {message}")
        if not page["questions"]:
            container["pages"].remove(page)
        if not container["pages"] and container is not data:
            data["pages"] = [p for p in data["pages"] if p.get("roster") is not container]
        return True
    return False
