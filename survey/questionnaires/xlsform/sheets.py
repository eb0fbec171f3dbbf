"""Reading an XLSForm workbook with pyxform: rows with their sheet row numbers, column headers split
into a base name and a language tag, and the findings (what could not be carried over) with sheet,
row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-[0-9]{3})?$")


@dataclass(frozen=True)
class Finding:
    """One thing the import could not carry over (or carried over differently), and where it is."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        finding = Finding(sheet, row, column, message)
        if finding not in self.findings:  # a choice list used twice is reported once
            self.findings.append(finding)


@dataclass(frozen=True)
class Row:
    """One non-empty row of a sheet: its number in the spreadsheet (the header is row 1)."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass
class Workbook:
    survey: list[Row]
    choices: list[Row]
    settings: dict[str, str]
    pyxform_messages: list[str]


class ReadError(ValueError):
    """The file is not an XLSForm pyxform can read."""


def read(path: Path) -> Workbook:
    """Read FORM with pyxform (xlsx, xls, csv or markdown); pyxform's own structural check runs too,
    and its warnings or error are kept as messages."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    try:
        data = get_xlsform(str(path))
    except (PyXFormError, OSError, ValueError, KeyError, TypeError) as error:
        raise ReadError(f"{path}: not a readable XLSForm ({error})") from None
    if not data.survey:
        raise ReadError(f"{path}: the workbook has no 'survey' sheet (or it is empty)")
    messages: list[str] = []
    try:
        workbook_to_json(
            data, form_name="form", fallback_form_name="form", default_language="default", warnings=messages
        )
    except PyXFormError as error:
        messages.append(f"pyxform refuses the form: {error}")
    except Exception as error:
        messages.append(f"pyxform could not check the form: {error}")

    def rows(sheet: Any) -> list[Row]:
        found = []
        for index, cells in enumerate(sheet or []):
            cleaned = {str(key).strip(): str(value) for key, value in cells.items() if value not in (None, "")}
            if cleaned:
                found.append(Row(index + 2, cleaned))
        return found

    settings = rows(data.settings)
    return Workbook(rows(data.survey), rows(data.choices), settings[0].cells if settings else {}, messages)


def split_column(header: str) -> tuple[str, str | None]:
    """`label::Arabic (ar)` -> ('label', 'Arabic (ar)'); `label:english` -> ('label', 'english');
    `constraint message` -> ('constraint_message', None)."""
    if "::" in header:
        base, _, language = header.partition("::")
    elif ":" in header and not header.startswith(("jr:", "bind:", "body:", "instance:")):
        base, _, language = header.partition(":")
    else:
        base, language = header, ""
    base = re.sub(r"\s+", "_", base.strip().lower())
    aliases = {
        "list_name": "list_name",
        "constraint_msg": "constraint_message",
        "jr:constraintmsg": "constraint_message",
    }
    base = aliases.get(base, base)
    language = language.strip()
    if base == "media" and "::" in language:
        return f"media::{language.split('::')[0]}", language.split("::", 1)[1] or None
    return base, (language or None)


# Names field teams write that ISO 639 spells otherwise ("Pushto; Pashto", "Modern Greek (1453-)",
# "Northern Kurdish"), or that name a variety the platform has its own tag for (Dari as fa-AF, not prs).
COMMON_NAMES = {
    "pashto": "ps",
    "greek": "el",
    "kurmanji": "ku",
    "kurdish (kurmanji)": "ku",
    "sorani": "ckb",
    "kurdish (sorani)": "ckb",
    "farsi": "fa",
    "dari": "fa-AF",
    "tigrigna": "ti",
}


def language_tag(name: str) -> str | None:
    """The BCP 47 tag of an XLSForm language name: `Arabic (ar)` -> 'ar', `fa-AF` -> 'fa-AF',
    `english` -> 'en' (by ISO 639 name); None when it is neither."""
    code_match = re.search(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,4})*)\)\s*$", name)
    candidate = code_match.group(1) if code_match else name.strip()
    pieces = re.split(r"[-_]", candidate)
    if re.fullmatch(r"[A-Za-z]{2,3}", pieces[0]):
        tag = "-".join(
            [pieces[0].lower()] + [piece.title() if len(piece) == 4 else piece.upper() for piece in pieces[1:]]
        )
        if TAG.match(tag) and (code_match or _is_language_code(pieces[0].lower())):
            return tag
    common = COMMON_NAMES.get(name.strip().lower())
    if common is not None:
        return common
    try:
        found = pycountry.languages.lookup(re.sub(r"\s*\(.*\)\s*$", "", name).strip())
    except LookupError:
        return None
    return getattr(found, "alpha_2", None) or found.alpha_3


def _is_language_code(code: str) -> bool:
    return bool(pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code))
