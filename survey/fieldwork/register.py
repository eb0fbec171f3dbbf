"""Register extracts (a group extract under section 46 BMG): the agreed CSV columns, read and checked.

Every problem names the file and the line, and reading goes on to report all of them at once. The
extract is read into memory only: its addresses go into the encrypted mailing file of a draw, never
into the survey database.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pycountry

# The agreed column set, in no particular order; address_extra (c/o, floor) may be empty.
COLUMNS = (
    "record_id",
    "nationality",
    "sex",
    "birth_year",
    "municipality",
    "given_name",
    "family_name",
    "street",
    "house_number",
    "postcode",
    "city",
    "address_extra",
)
ADDRESS = ("given_name", "family_name", "street", "house_number", "address_extra", "postcode", "city")
SEXES = frozenset({"m", "f", "d", "x"})  # register values: male, female, diverse, not stated
# ISO 3166-1 alpha-2 plus the register's user-assigned codes: XK Kosovo, XX stateless or unclear.
EXTRA_NATIONALITIES = frozenset({"XK", "XX"})
MAX_PROBLEMS = 50


class RegisterError(ValueError):
    """The extract cannot be used; `problems` holds one line per problem, each naming file and line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Person:
    record_id: str
    nationality: str
    sex: str
    birth_year: int
    municipality: str
    address: dict[str, str]


@dataclass(frozen=True)
class Register:
    people: tuple[Person, ...]
    sha256: str
    source: str


def nationality_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries) | EXTRA_NATIONALITIES


def read(path: Path, first_birth_year: int = 1900, last_birth_year: int = 2100) -> Register:
    """The people in an extract, or RegisterError listing every problem (up to 50)."""
    raw = path.read_bytes()
    name = path.name
    # A UTF-8 byte order mark (spreadsheets write one) is accepted; UTF-16 or other encodings are not.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RegisterError([f"{name}: the file is UTF-16; save it as UTF-8 (CSV UTF-8)"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RegisterError(
            [f"{name}, line {line}: not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8 (CSV UTF-8)"]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if _semicolons(text) else ",")
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise RegisterError([f"{name}: the file is empty"]) from None
    problems = []
    missing = [column for column in COLUMNS if column not in header and column != "address_extra"]
    unknown = [column for column in header if column not in COLUMNS]
    if missing:
        problems.append(f"{name}, line 1: missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"{name}, line 1: unknown column(s) {', '.join(unknown)}; expected {', '.join(COLUMNS)}")
    if len(set(header)) != len(header):
        problems.append(f"{name}, line 1: a column appears twice")
    if problems:
        raise RegisterError(problems)
    known = nationality_codes()
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{name}, line {line}: {len(row)} fields, the header has {len(header)}")
            continue
        values = {column: cell.strip() for column, cell in zip(header, row, strict=True)}
        values.setdefault("address_extra", "")
        row_problems = _check(values, known, first_birth_year, last_birth_year)
        record = values["record_id"]
        if record in seen:
            row_problems.append(f"record_id {record!r} already on line {seen[record]}")
        elif record:
            seen[record] = line
        if row_problems:
            problems.extend(f"{name}, line {line}: {problem}" for problem in row_problems)
            if len(problems) >= MAX_PROBLEMS:
                problems.append(f"{name}: stopped after {MAX_PROBLEMS} problems")
                break
            continue
        people.append(
            Person(
                record_id=record,
                nationality=values["nationality"].upper(),
                sex=values["sex"].lower(),
                birth_year=int(values["birth_year"]),
                municipality=values["municipality"],
                address={column: values[column] for column in ADDRESS},
            )
        )
    if problems:
        raise RegisterError(problems)
    if not people:
        raise RegisterError([f"{name}: no people in the file"])
    return Register(tuple(people), hashlib.sha256(raw).hexdigest(), name)


def _semicolons(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.count(";") > first.count(",")


def _check(values: dict[str, str], known: frozenset[str], first: int, last: int) -> list[str]:
    problems = []
    for column in ("record_id", "nationality", "sex", "birth_year", "family_name", "street", "postcode", "city"):
        if not values[column]:
            problems.append(f"{column} is empty")
    nationality = values["nationality"].upper()
    if nationality and nationality not in known:
        problems.append(f"nationality {values['nationality']!r} is not an ISO 3166 alpha-2 code (or XK, XX)")
    if values["sex"] and values["sex"].lower() not in SEXES:
        problems.append(f"sex {values['sex']!r} is not one of m, f, d, x")
    year = values["birth_year"]
    if year and not (year.isdigit() and first <= int(year) <= last):
        problems.append(f"birth_year {year!r} is not a year from {first} to {last}")
    return problems
