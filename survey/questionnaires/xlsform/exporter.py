"""A questionnaire written out as an XLSForm for ODK Collect or KoboToolbox: pages become field-list
groups, conditions become XPath, texts become `label::Language (tag)` columns. What ODK cannot
express the same way is listed (with the JSON pointer of what it concerns)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pycountry
from babel import Locale, UnknownLocaleError

from .. import grammar as g

_PIPED = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


class NotExpressible(ValueError):
    """A condition ODK has no way to say."""


@dataclass
class Export:
    survey: list[dict[str, Any]] = field(default_factory=list)
    choices: list[dict[str, Any]] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # "JSON pointer: what ODK cannot express"


def language_column(tag: str) -> str:
    """`ar` -> 'Arabic (ar)', the form XLSForm tools recognise."""
    try:
        name = Locale.parse(tag.replace("-", "_")).english_name or tag
    except (ValueError, UnknownLocaleError):
        name = tag
    return f"{name} ({tag})"


class _Kinds:
    """Per question id: its type and, for matrices, its row ids (rows are exported as questions)."""

    def __init__(self, data: dict[str, Any]) -> None:
        rosters = [item["roster"] for item in data["pages"] if "roster" in item]
        pages = [page for item in data["pages"] for page in (item["roster"]["pages"] if "roster" in item else [item])]
        self.types = {q["id"]: q["type"] for page in pages for q in page["questions"]}
        values = data.get("computed", []) + [value for roster in rosters for value in roster.get("computed", [])]
        self.types |= {value["id"]: "computed" for value in values}
        self.types |= {roster["id"]: "roster" for roster in rosters}


def xpath(node: g.Node, kinds: _Kinds, own: str | None = None) -> str:
    """A checked condition-language tree as an XLSForm expression; raises NotExpressible."""

    def ref(r: g.Ref) -> str:
        name = f"{r.question}_{r.row}" if r.row else r.question
        return "." if name == own else f"${{{name}}}"

    def literal(value: g.Literal, quoted: bool = False) -> str:
        if value.kind == "bool":
            return "true()" if value.value else "false()"
        if isinstance(value.value, str) or quoted:
            return "'" + str(value.value).replace("'", "’") + "'"
        return str(value.value)

    def is_choice(r: g.Ref) -> bool:
        return kinds.types.get(r.question) in ("single_choice", "dropdown", "multiple_choice", "matrix", "scale")

    def walk(n: g.Node, wrap: bool = False) -> str:
        if isinstance(n, g.Literal):
            return literal(n)
        if isinstance(n, g.Ref):
            return ref(n)
        if isinstance(n, g.Answered):
            return f"{ref(n.ref)} != ''"
        if isinstance(n, g.Not):
            return f"not({walk(n.operand)})"
        if isinstance(n, g.BoolOp):
            text = f" {n.op} ".join(walk(operand, True) for operand in n.operands)
            return f"({text})" if wrap else text
        if isinstance(n, g.InList):
            multiple = kinds.types.get(n.ref.question) == "multiple_choice"
            parts = [
                f"selected({ref(n.ref)}, {literal(v, True)})"
                if multiple
                else f"{ref(n.ref)} = {literal(v, is_choice(n.ref))}"
                for v in n.values
            ]
            text = " or ".join(parts)
            if n.negated:
                return f"not({text})"
            return f"({text})" if wrap and len(parts) > 1 else text
        if isinstance(n, g.Compare):
            left, right = n.left, n.right
            if isinstance(left, g.Ref) and isinstance(right, g.Literal) and is_choice(left):
                return f"{ref(left)} {n.op} {literal(right, True)}"
            return f"{walk(left)} {n.op} {walk(right)}"
        if isinstance(n, g.Arith):
            text = f"{walk(n.left, True)} {n.op} {walk(n.right, True)}"
            return f"({text})" if wrap else text
        if isinstance(n, g.Call):
            if n.name == "today":
                return "today()"
            if n.name in ("year", "month"):
                return f"int(format-date({walk(n.arguments[0])}, '{'%Y' if n.name == 'year' else '%n'}'))"
            if n.name == "count" and kinds.types.get(getattr(n.arguments[0], "question", "")) == "roster":
                return f"count({walk(n.arguments[0])})"
            if n.name == "count":
                return f"count-selected({walk(n.arguments[0])})"
            raise NotExpressible(f"{n.name}() has no XLSForm equivalent")
        raise NotExpressible(f"{type(n).__name__} has no XLSForm equivalent")

    return walk(node)


def export(data: dict[str, Any]) -> Export:
    """The rows of the survey and choices sheets, and what could not be expressed."""
    out = Export()
    kinds = _Kinds(data)
    languages = list(data["languages"])
    lists: dict[str, str] = {}  # question id -> its choice list name

    def texts(column: str, values: dict[str, str] | None) -> dict[str, str]:
        return {
            f"{column}::{language_column(tag)}": _PIPED.sub(r"${\1}", values[tag])
            for tag in languages
            if values and tag in values
        }

    def condition(source: str | None, pointer: str, own: str | None = None) -> str | None:
        if not source:
            return None
        try:
            return xpath(g.parse(source), kinds, own)
        except (NotExpressible, g.ExpressionError) as error:
            out.lost.append(f"{pointer}: {source!r} left out: {error}")
            return None

    def calculate(value: dict[str, Any], pointer: str) -> None:
        calculation = condition(value["value"], f"{pointer}/value")
        if calculation:
            out.survey.append(
                {"type": "calculate", "name": value["id"], "calculation": calculation, "privacy": value["privacy"]}
                | texts("label", value["label"])
            )

    def choice_list(name: str, options: list[dict[str, Any]]) -> str:
        for option in options:
            out.choices.append({"list_name": name, "name": str(option["code"])} | texts("label", option["label"]))
        return name

    # XLSForm names are unique across groups and questions: a page named like a question is that
    # question alone (exported without a group), or a group named `<page>_page`.
    names = set(kinds.types)

    def emit(page: dict[str, Any], page_pointer: str) -> None:
        relevant = condition(page.get("show_if"), f"{page_pointer}/show_if")
        questions = page["questions"]
        alone = len(questions) == 1 and questions[0]["id"] == page["id"] and questions[0]["type"] != "matrix"
        if page["id"] in names and alone and "title" not in page:
            rows = _question(questions[0], f"{page_pointer}/questions/0", out, texts, condition, choice_list, lists)
            if relevant:
                own = rows[-1].get("relevant")
                rows[-1]["relevant"] = f"({relevant}) and ({own})" if own else relevant
            out.survey.extend(rows)
            return
        name = page["id"] if page["id"] not in names else f"{page['id']}_page"
        names.add(name)
        group = {"type": "begin_group", "name": name, "appearance": "field-list"} | texts("label", page.get("title"))
        if relevant:
            group["relevant"] = relevant
        out.survey.append(group)
        for index, question in enumerate(questions):
            pointer = f"{page_pointer}/questions/{index}"
            out.survey.extend(_question(question, pointer, out, texts, condition, choice_list, lists))
        out.survey.append({"type": "end_group"})

    for page_index, page in enumerate(data["pages"]):
        if "roster" not in page:
            emit(page, f"/pages/{page_index}")
            continue
        roster, pointer = page["roster"], f"/pages/{page_index}/roster"
        # A roster is a repeat: asked `${count}` times, or (add_another) as often as ODK's own
        # "add another?" prompt is answered yes.
        begin = {"type": "begin_repeat", "name": roster["id"]} | texts("label", roster["title"])
        if roster.get("count"):
            begin["repeat_count"] = f"${{{roster['count']}}}"
        relevant = condition(roster.get("show_if"), f"{pointer}/show_if")
        if relevant:
            begin["relevant"] = relevant
        out.survey.append(begin)
        for index, member_page in enumerate(roster["pages"]):
            emit(member_page, f"{pointer}/pages/{index}")
        for index, value in enumerate(roster.get("computed", [])):
            calculate(value, f"{pointer}/computed/{index}")
        out.survey.append({"type": "end_repeat"})
        if "add_another" in roster:
            out.lost.append(f"{pointer}/add_another: ODK asks its own 'add another?' question")
        if "max" in roster:
            out.lost.append(f"{pointer}/max: ODK does not limit the number of members")

    for index, value in enumerate(data.get("computed", [])):
        calculate(value, f"/computed/{index}")
    return out


def _question(
    q: dict[str, Any], pointer: str, out: Export, texts: Any, condition: Any, choice_list: Any, lists: dict[str, str]
) -> list[dict[str, Any]]:
    kind = q["type"]
    row: dict[str, Any] = {"name": q["id"]} | texts("label", q["text"]) | texts("hint", q.get("help"))
    constraint: list[str] = []
    if kind in ("single_choice", "dropdown", "multiple_choice"):
        source = q.get("options_from")
        list_name = lists[source] if source else choice_list(q["id"], q["options"])
        lists[q["id"]] = list_name
        row["type"] = f"{'select_multiple' if kind == 'multiple_choice' else 'select_one'} {list_name}"
        if source:
            row["choice_filter"] = f"selected(${{{source}}}, name)"
        if kind == "dropdown":
            row["appearance"] = "minimal"
        if "min_choices" in q or "max_choices" in q:
            out.lost.append(f"{pointer}/min_choices: the number of choices allowed is not exported")
    elif kind in ("short_text", "long_text"):
        row["type"] = "text"
        if kind == "long_text":
            row["appearance"] = "multiline"
        if "pattern" in q:
            constraint.append("regex(., '" + q["pattern"].replace("'", "’") + "')")
            row |= texts("constraint_message", q.get("pattern_message"))
    elif kind in ("integer", "decimal", "year"):
        row["type"] = "decimal" if kind == "decimal" else "integer"
        low, high = q.get("min", 1900 if kind == "year" else None), q.get("max")
        constraint += [f". >= {low}"] if low is not None else []
        constraint += [f". <= {high}"] if high is not None else []
        if kind == "year":
            out.lost.append(f"{pointer}/type: a year question is exported as an integer")
            if q.get("calendars", ["gregorian"]) != ["gregorian"]:
                out.lost.append(f"{pointer}/calendars: ODK asks dates in the Gregorian calendar only")
    elif kind == "date":
        row["type"] = "date"
        precision = q.get("precision", "day")
        if precision != "day":
            row["appearance"] = "month-year" if precision == "month" else "year"
        if len(q.get("calendars", ["gregorian"])) > 1 or q.get("calendars", ["gregorian"]) != ["gregorian"]:
            out.lost.append(f"{pointer}/calendars: ODK asks dates in the Gregorian calendar only")
    elif kind == "consent":
        row["type"] = "acknowledge"
        q = q | {"required": True}
    elif kind == "note":
        row["type"] = "note"
    elif kind == "scale":
        options = [{"code": n, "label": {tag: str(n) for tag in q["text"]}} for n in range(q["min"], q["max"] + 1)]
        row["type"] = f"select_one {choice_list(q['id'], options)}"
        out.lost.append(f"{pointer}/type: a scale is exported as a list of its numbers (end labels left out)")
    elif kind in ("country", "language"):
        codes = q.get("codes") or _all_codes(kind)
        options = [{"code": code, "label": _names(kind, code, list(q["text"]))} for code in codes]
        row["type"] = f"select_one {choice_list(q['id'], options)}"
        row["appearance"] = "minimal"
        out.lost.append(f"{pointer}/type: a {kind} list is exported as a list of ISO codes with CLDR names")
    elif kind == "matrix":
        rows = []
        list_name = choice_list(q["id"], q["options"])
        for matrix_row in q["rows"]:
            rows.append(
                {
                    "type": f"select_one {list_name}",
                    "name": f"{q['id']}_{matrix_row['id']}",
                    "required": "yes" if q.get("required", True) else "no",
                }
                | texts("label", matrix_row["text"])
            )
        out.lost.append(f"{pointer}/type: a matrix is exported as one question per row ({q['id']}_<row>)")
        return [{"type": "note", "name": f"{q['id']}_intro"} | texts("label", q["text"]), *rows]
    if kind not in ("note",):
        row["required"] = "yes" if q.get("required", True) else "no"
        if "privacy" in q:
            row["privacy"] = q["privacy"]
    relevant = condition(q.get("show_if"), f"{pointer}/show_if")
    if relevant:
        row["relevant"] = relevant
    rule = condition(q.get("valid_if"), f"{pointer}/valid_if", q["id"])
    if rule:
        constraint.append(f"({rule})" if constraint else rule)
        row |= texts("constraint_message", q.get("invalid_message"))
    if constraint:
        row["constraint"] = " and ".join(constraint)
    for key in ("dont_know", "refuse", "interviewer_note", "hierarchy", "audio"):
        if q.get(key):
            out.lost.append(f"{pointer}/{key}: not expressible in XLSForm, left out")
    return [row]


def _all_codes(kind: str) -> list[str]:
    if kind == "country":
        return sorted(country.alpha_2 for country in pycountry.countries)
    return sorted(language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2"))


def _names(kind: str, code: str, languages: list[str]) -> dict[str, str]:
    names = {}
    for tag in languages:
        try:
            locale = Locale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
        name = (locale.territories if kind == "country" else locale.languages).get(code)
        if name:
            names[tag] = name
    return names or {languages[0]: code}


def write(data: dict[str, Any], path: Path) -> list[str]:
    """Write FORM.xlsx; returns what ODK cannot express."""
    out = export(data)
    book = openpyxl.Workbook()
    sheets = (("survey", out.survey), ("choices", out.choices))
    first = True
    for title, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = title
        headers = list(dict.fromkeys(key for row in rows for key in row)) or ["list_name", "name", "label"]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(header) for header in headers])
    settings = book.create_sheet("settings")
    default = data["default_language"]
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([data["title"][default], data["id"], data["version"], language_column(default)])
    book.save(path)
    return out.lost
