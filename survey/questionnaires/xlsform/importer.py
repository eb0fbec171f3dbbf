"""An XLSForm (survey, choices and settings sheets) turned into a questionnaire: rows into questions,
groups into pages, relevant/constraint/required/choice_filter/calculation into the condition language.
Whatever has no equivalent is reported with sheet, row and column and left out, never dropped silently."""

from __future__ import annotations

import re
from typing import Any

from . import repeats
from .choices import ChoiceLists
from .pages import Item, ident
from .sheets import Report, Row, Workbook, language_tag, split_column
from .xpath import Field, XPathError, rewrite

TYPES = {
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "text": "short_text",
    "string": "short_text",
    "date": "date",
    "note": "note",
    "acknowledge": "consent",
}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "imei",
    "uri:deviceid",
}
# Columns carried over; every other non-empty cell is reported.
USED = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "choice_filter",
    "appearance",
    "privacy",
}
APPEARANCES = {"multiline", "minimal", "autocomplete", "month-year", "year", "field-list"}
PRIVACY = {"direct", "quasi", "sensitive", "free_text", "none"}
TRUE = {"yes", "true", "true()", "=true()", "1"}
FALSE = {"no", "false", "false()", "=false()", "0"}


class Importer(ChoiceLists):
    def __init__(self, book: Workbook, fallback_language: str = "en") -> None:
        self.book = book
        self.report = Report()
        self.fallback = fallback_language
        self.ids: set[str] = set()
        self.fields: dict[str, Field] = {}  # XLSForm name -> what expressions may know of it
        self.lists: dict[str, list[Row]] = {}
        self.codes: dict[str, dict[str, int]] = {}
        self.dropped: set[str] = set()  # names of rows left out (repeats, unknown types)
        self.duplicates: set[int] = set()  # rows whose name an earlier row has
        self.splits: dict[str, list[tuple[str, set[int]]]] = {}  # cascades: name -> (question id, its codes)
        self.languages: list[str] = []
        self.origins: dict[str, Item] = {}  # question id -> the item it came from
        self.default_language = fallback_language
        self.repeat_of: dict[str, str] = {}  # XLSForm name of a question inside a repeat -> the repeat's name
        self.rosters: dict[str, dict[str, Any]] = {}  # roster id -> the roster (its pages filled by paginate)
        self.roster_rows: dict[str, int] = {}  # roster id -> the row of its begin repeat

    # --- languages and texts ------------------------------------------------------------

    def setup_languages(self) -> None:
        wanted = self.book.settings.get("default_language", "")
        default = language_tag(wanted) if wanted and wanted != "default" else None
        found: list[str] = []
        for rows in (self.book.survey, self.book.choices):
            for row in rows:
                for header in row.cells:
                    base, language = split_column(header)
                    if base in ("label", "hint", "constraint_message") and language:
                        tag = language_tag(language)
                        if tag and tag not in found:
                            found.append(tag)
        self.default_language = default or (found[0] if found else self.fallback)
        self.languages = [self.default_language] + [tag for tag in found if tag != self.default_language]

    def text(self, row: Row, sheet: str, base: str) -> dict[str, str]:
        texts: dict[str, str] = {}
        for header, value in row.cells.items():
            column, language = split_column(header)
            if column != base or not value.strip():
                continue
            tag = language_tag(language) if language else self.default_language
            if tag is None:
                self.report.add(sheet, row.number, header, f"'{language}' is not a language name or code: not imported")
                continue
            if tag not in self.languages:
                self.languages.append(tag)
            texts[tag] = re.sub(r"\$\{([^}\s]+)\}", lambda m: "{{" + self.piped(m.group(1)) + "}}", value.strip())
        if texts and self.default_language not in texts:
            language, text = next(iter(texts.items()))
            texts = {self.default_language: text} | texts
            self.report.add(sheet, row.number, base, f"no {self.default_language} text: the {language} text is used")
        return texts

    def piped(self, name: str) -> str:
        found = self.fields.get(name)
        return found.id if found else name

    # --- choices ------------------------------------------------------------------------

    def declare(self) -> None:
        """First pass: every importable question's id and kind, so expressions can refer to it."""
        depth = 0
        repeat = ""
        for row in self.book.survey:
            kind, _, rest = row.get("type").partition(" ")
            kind = kind.lower()
            if kind in ("begin_repeat", "begin", "end", "end_repeat") or row.get("type").lower().startswith(
                ("begin", "end")
            ):
                words = row.get("type").lower().replace("_", " ").split()
                if words[:2] == ["begin", "repeat"] or words[:2] == ["begin", "loop"]:
                    depth += 1
                    name = row.get("name")
                    if depth == 1 and words[1] == "repeat" and name and name not in self.fields:
                        repeat = name
                        self.fields[name] = Field(ident(name, self.ids), "repeat")
                    else:
                        repeat = ""
                elif words[:2] in (["end", "repeat"], ["end", "loop"]):
                    depth = max(depth - 1, 0)
                continue
            name = row.get("name")
            if not name:
                continue
            if depth > 1 or (depth and not repeat):
                self.dropped.add(name)
                continue
            if name in self.fields:
                self.report.add("survey", row.number, "name", f"'{name}' is the name of an earlier row: row left out")
                self.duplicates.add(row.number)
                continue
            if depth:
                self.repeat_of[name] = repeat
            list_name = self.list_of(row)
            if kind in ("select_one", "select_multiple", "select") and list_name in self.codes:
                kind = "select_multiple" if kind == "select_multiple" or "all that apply" in rest else "select_one"
                self.fields[name] = Field(ident(name, self.ids), kind, self.codes[list_name])
            elif kind in TYPES or kind == "calculate":
                self.fields[name] = Field(ident(name, self.ids), kind)
            else:
                self.dropped.add(name)

    @staticmethod
    def list_of(row: Row) -> str:
        words = row.get("type").split()
        if len(words) >= 2 and words[0] in ("select_one", "select_multiple"):
            return words[1]
        if len(words) >= 4 and words[:2] in (["select", "one"], ["select", "all"]):
            return words[words.index("from") + 1] if "from" in words else ""
        return ""

    def lookup(self, name: str) -> Field | None:
        found = self.fields.get(name)
        if found is None and name in self.dropped:
            raise XPathError(f"${{{name}}} was not imported (see its own row)")
        if name in self.splits:
            raise XPathError(f"${{{name}}} was split into one question per choice of its filter")
        return found

    def expression(self, row: Row, column: str, self_name: str | None = None) -> str | None:
        source = row.get(column)
        if not source:
            return None
        try:
            return rewrite(source, self.lookup, self_name)
        except XPathError as error:
            self.report.add("survey", row.number, column, f"{source!r} not imported: {error}")
            return None

    def items(self) -> tuple[list[Item], list[dict[str, Any]]]:
        items: list[Item] = []
        computed: list[dict[str, Any]] = []
        groups: list[tuple[Row, str | None]] = []  # open groups with their translated relevant
        outside: list[tuple[Row, str | None]] = []  # the groups around the open repeat
        roster: dict[str, Any] | None = None
        depth = 0
        for row in self.book.survey:
            words = row.get("type").lower().replace("_", " ").split()
            if words[:1] == ["begin"] or words[:1] == ["end"]:
                what = words[1] if len(words) > 1 else ""
                if words[0] == "begin" and what in ("repeat", "loop"):
                    depth += 1
                    if depth == 1 and what == "repeat" and self.repeat_of_row(row) not in (None, *self.rosters):
                        conditions = [condition for _, condition in groups if condition]
                        roster = repeats.roster(self, row, conditions)
                        self.rosters[roster["id"]] = roster
                        self.roster_rows[roster["id"]] = row.number
                        outside, groups = groups, []
                    elif depth == 1:
                        why = "loops have no equivalent" if what == "loop" else "a repeat needs a name of its own"
                        self.report.add(
                            "survey",
                            row.number,
                            "type",
                            f"'{row.get('type')}' ({row.get('name')}): {why}; its questions are left out",
                        )
                    elif depth == 2 and roster is not None:
                        repeats.nested(self, row)
                elif words[0] == "end" and what in ("repeat", "loop"):
                    depth = max(depth - 1, 0)
                    if not depth and roster is not None:
                        roster, groups = None, outside
                elif depth > 1 or (depth and roster is None):
                    continue
                elif words[0] == "begin" and what == "group":
                    groups.append((row, self.expression(row, "relevant")))
                    self.unused(row, {"type", "name", "label", "relevant", "appearance"})
                elif words[0] == "end" and groups:
                    groups.pop()
                continue
            if depth > 1 or (depth and roster is None) or not row.get("type"):
                continue
            item = self.question(row)
            if item is None:
                continue
            if item.spec.get("type") == "computed":
                del item.spec["type"]
                (roster.setdefault("computed", []) if roster is not None else computed).append(item.spec)
                continue
            item.roster = roster["id"] if roster is not None else None
            if groups:
                outer = groups[0][0]
                item.group = outer.get("name") or f"group{outer.number}"
                item.group_title = self.text(outer, "survey", "label") or None
                item.group_condition = groups[0][1]
                inner = [condition for _, condition in groups[1:] if condition]
                if inner:
                    own = [item.spec["show_if"]] if "show_if" in item.spec else []
                    item.spec["show_if"] = " and ".join(f"({c})" for c in inner + own)
            if "cascade" in item.spec:
                for part in self.cascade(item, row.get("name")):
                    part.roster = item.roster
                    items.append(part)
            else:
                items.append(item)
        return items, computed

    def repeat_of_row(self, row: Row) -> str | None:
        """The roster id of a `begin repeat` row (None when its name is taken by an earlier row)."""
        found = self.fields.get(row.get("name"))
        return found.id if found is not None and found.kind == "repeat" else None

    def unused(self, row: Row, used: set[str]) -> None:
        for header, value in row.cells.items():
            base = split_column(header)[0]
            if base in used and (base != "appearance" or set(value.split()) <= APPEARANCES):
                continue
            self.report.add("survey", row.number, header, f"'{value}' not imported (no equivalent)")

    def question(self, row: Row) -> Item | None:
        kind = row.get("type").split()[0].lower()
        name = row.get("name")
        if kind in METADATA:
            self.report.add("survey", row.number, "type", f"metadata '{kind}' is not collected")
            return None
        found = self.fields.get(name)
        if row.number in self.duplicates:
            return None
        if not name:
            self.report.add("survey", row.number, "name", "a question needs a name: row left out")
            return None
        list_name = self.list_of(row)
        if found is None and kind.startswith("select") and list_name not in self.codes:
            self.report.add(
                "survey", row.number, "type", f"choice list '{list_name}' is not on the choices sheet: {name} left out"
            )
            return None
        if found is not None and found.codes is not None and len(set(found.codes.values())) < 2:
            self.report.add(
                "survey", row.number, "type", f"choice list '{list_name}' has fewer than 2 choices: {name} left out"
            )
            self.dropped.add(name)
            del self.fields[name]
            return None
        if found is None:
            self.report.add(
                "survey",
                row.number,
                "type",
                f"question type '{row.get('type')}' has no equivalent: {name or 'row'} left out",
            )
            return None
        if kind == "calculate":
            value = self.expression(row, "calculation")
            if value is None:
                self.dropped.add(name)
                del self.fields[name]
                if not row.get("calculation"):
                    self.report.add("survey", row.number, "calculation", "empty calculation: left out")
                return None
            self.unused(row, {"type", "name", "calculation", "label", "privacy"})
            label = self.text(row, "survey", "label") or {self.default_language: name}
            return Item(
                {
                    "type": "computed",
                    "id": found.id,
                    "value": value,
                    "privacy": self.privacy(row, "none"),
                    "label": label,
                },
                row.number,
                None,
            )
        spec: dict[str, Any] = {"id": found.id}
        appearance = set(row.get("appearance").split())
        if found.codes is not None:
            spec["type"] = "multiple_choice" if found.kind == "select_multiple" else "single_choice"
            if spec["type"] == "single_choice" and appearance & {"minimal", "autocomplete"}:
                spec["type"] = "dropdown"
            if "or specify other" in row.get("type") or "or_other" in row.get("type"):
                self.report.add(
                    "survey",
                    row.number,
                    "type",
                    "'or specify other' has no equivalent: the list is imported without 'other'",
                )
        else:
            spec["type"] = TYPES[kind]
            if spec["type"] == "short_text" and "multiline" in appearance:
                spec["type"] = "long_text"
            if spec["type"] == "date":
                spec["precision"] = "month" if "month-year" in appearance else "year" if "year" in appearance else "day"
        text = self.text(row, "survey", "label")
        spec["text"] = text or {self.default_language: name}
        if not text:
            self.report.add("survey", row.number, "label", "no label: the name is shown instead")
        item = Item(spec, row.number, None)
        hint = self.text(row, "survey", "hint")
        if hint:
            spec["help"] = hint
        if spec["type"] not in ("note", "consent"):
            spec["privacy"] = self.privacy(row, "free_text" if spec["type"] in ("short_text", "long_text") else "none")
            spec["required"] = self.required(row)
        for key, column in (("show_if", "relevant"),):
            value = self.expression(row, column)
            if value:
                spec[key], item.origins[key] = value, (row.number, column)
        self.constraint(row, spec, item, found)
        if found.codes is not None:
            self.choices(row, spec, item, found)
        self.unused(row, USED)
        return item

    def privacy(self, row: Row, default: str) -> str:
        value = row.get("privacy").lower()
        if value and value not in PRIVACY:
            self.report.add("survey", row.number, "privacy", f"'{value}' is not a privacy class: '{default}' used")
        return value if value in PRIVACY else default

    def required(self, row: Row) -> bool:
        value = row.get("required").lower()
        if value and value not in TRUE | FALSE:
            self.report.add(
                "survey",
                row.number,
                "required",
                f"a conditional requirement ({value!r}) has no equivalent: the question is optional",
            )
        return value in TRUE

    def constraint(self, row: Row, spec: dict[str, Any], item: Item, found: Field) -> None:
        source = row.get("constraint")
        if not source:
            return
        match = re.fullmatch(r"\s*regex\(\s*\.\s*,\s*'([^']*)'\s*\)\s*", source)
        if match and spec["type"] == "short_text":
            spec["pattern"] = match.group(1)
            message = self.text(row, "survey", "constraint_message")
            if message:
                spec["pattern_message"] = message
            return
        bounds = re.fullmatch(r"\s*(?:\.\s*>=\s*(-?[\d.]+))?\s*(?:and)?\s*(?:\.\s*<=\s*(-?[\d.]+))?\s*", source)
        if bounds and any(bounds.groups()) and spec["type"] in ("integer", "decimal"):
            number = int if spec["type"] == "integer" else float
            for key, bound in zip(("min", "max"), bounds.groups(), strict=True):
                if bound is not None:
                    spec[key] = number(bound)
            if self.text(row, "survey", "constraint_message"):
                self.report.add(
                    "survey", row.number, "constraint_message", "a range check has the platform's own message"
                )
            return
        value = self.expression(row, "constraint", row.get("name"))
        if value is None:
            return
        spec["valid_if"], item.origins["valid_if"] = value, (row.number, "constraint")
        message = self.text(row, "survey", "constraint_message")
        if not message:
            self.report.add("survey", row.number, "constraint_message", "no constraint message: a generic one is used")
            message = {self.default_language: "Please check this answer."}
        spec["invalid_message"] = message
