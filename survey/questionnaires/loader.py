"""Read a questionnaire file, validate it against the JSON Schema, build it and check its logic.

Every problem carries the file, a JSON pointer and a plain message; errors stop a questionnaire
from loading, warnings (such as missing translations) do not.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import click
import jsonschema

from ..i18n.languages import country_codes, is_known_language, language_codes
from . import expressions as ex
from .derived_checks import DerivedChecks
from .model import PIPE, Computed, Hierarchy, LanguageInfo, Page, Questionnaire, Roster, Text
from .questions import TYPES, Question
from .questions.choice import MultipleChoice
from .questions.lists import Country
from .questions.typed import Integer, ShortText, Year
from .questions.typed_dates import Date
from .roster_checks import RosterChecks
from .translation import without_outdated

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "schema.json"
# What a cached validation result depends on besides the file and the schema (see ValidationCache).
VALIDATOR_VERSION = f"jsonschema {metadata.version('jsonschema')}; survey loader 1"
ERROR, WARNING = "error", "warning"
# Stata and SPSS variable names hold at most 32 characters.
MAX_VARIABLE_NAME = 32


@dataclass(frozen=True)
class Problem:
    file: str
    pointer: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.severity}: {self.message}"


class QuestionnaireError(click.ClickException):
    """A questionnaire that cannot be used; carries every problem found. A click exception, so that
    every way of starting the app (`flask run`, `demo`, gunicorn via `survey.startup`) prints the
    checker's list and exits non-zero instead of showing a traceback."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def format_message(self) -> str:
        return (
            f"the app cannot start: {len(self.problems)} error(s) in the questionnaires\n{self.message}\n"
            "Fix them, then check again with: flask --app survey questionnaire check FILE"
        )


@cache
def schema() -> dict[str, Any]:
    return json.loads(_schema_bytes())


@cache
def _schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


class ValidationCache:
    """Which questionnaire files already passed JSON Schema validation, one empty-named marker per
    content: validation costs about 0.4 s per study-sized file, and every gunicorn worker and export
    process loads every questionnaire. A marker's name hashes the file's bytes, the schema's bytes
    and the validator's version, so any change validates again. Markers are written to a temporary
    name and renamed (two processes writing the same marker cannot leave half a file), and one that
    cannot be read or does not hold its own name is ignored. Only a file that loaded without errors
    is remembered: one with errors is validated (and its errors reported) on every load."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @staticmethod
    def key(raw: bytes) -> str:
        digest = hashlib.sha256()
        for part in (hashlib.sha256(_schema_bytes()).digest(), VALIDATOR_VERSION.encode(), raw):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _marker(self, key: str) -> Path:
        return self.folder / f"{key}.valid"

    def known_valid(self, key: str) -> bool:
        try:
            return self._marker(key).read_text(encoding="ascii") == key
        except (OSError, UnicodeDecodeError):
            return False

    def remember(self, key: str) -> None:
        """Write the marker; a folder that cannot be written (read-only instance) only costs time."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".marker-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="ascii") as out:
                    out.write(key)
                os.replace(temporary, self._marker(key))
            except OSError:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _schema_message(error: jsonschema.ValidationError) -> str:
    kind = error.validator
    if kind == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        return f"missing required property '{missing.group(1) if missing else error.message}'"
    if kind in ("unevaluatedProperties", "additionalProperties"):
        unexpected = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        return "unknown property " + ", ".join(f"'{name}'" for name in unexpected)
    if kind == "enum":
        allowed = ", ".join(repr(value) for value in error.validator_value)
        return f"{error.instance!r} is not allowed here; use one of {allowed}"
    if kind == "pattern":
        return f"{error.instance!r} does not have the required form ({error.validator_value})"
    if kind == "type":
        return f"{error.instance!r} should be of type {error.validator_value}"
    if kind == "minItems":
        return f"needs at least {error.validator_value} item(s)"
    if kind == "minProperties":
        return "must not be empty"
    return error.message


def _schema_problems(data: Any, file: str) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        pointer = _pointer(error.absolute_path)
        if "propertyNames" in error.absolute_schema_path:
            message = f"{error.instance!r} is not a valid language tag (BCP 47, like 'de' or 'fa-AF')"
        else:
            message = _schema_message(error)
        problems.append(Problem(file, pointer, message))
    return problems


def load_file(path: str | Path, cache: ValidationCache | None = None) -> tuple[Questionnaire | None, list[Problem]]:
    """Load one file; returns the questionnaire (None when it has errors) and every problem.
    With a `cache`, a file whose exact bytes passed schema validation before is not validated again."""
    path = Path(path)
    file = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None, [Problem(file, "", "file not found")]
    except UnicodeDecodeError as error:
        return None, [Problem(file, "", f"not UTF-8 text (byte {error.start})")]
    except OSError as error:
        return None, [Problem(file, "", f"cannot be read: {error.strerror}")]
    if cache is None:
        return load_text(text, file)
    key = cache.key(raw)
    if cache.known_valid(key):
        return load_text(text, file, schema_valid=True)
    questionnaire, problems = load_text(text, file)
    if questionnaire is not None:  # only files without errors are remembered
        cache.remember(key)
    return questionnaire, problems


def load_text(
    raw: str, file: str = "<questionnaire>", schema_valid: bool = False
) -> tuple[Questionnaire | None, list[Problem]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        return None, [Problem(file, "", f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")]
    return load_data(data, file, schema_valid)


def load_data(
    data: Any, file: str = "<questionnaire>", schema_valid: bool = False
) -> tuple[Questionnaire | None, list[Problem]]:
    """Validate and build; `schema_valid`: these exact contents passed schema validation before."""
    problems = [] if schema_valid else _schema_problems(data, file)
    if problems:
        return None, problems
    # Outdated translations are left out: respondents see the (marked) default-language text.
    data, outdated = without_outdated(data)
    builder = _Builder(data, file, outdated)
    questionnaire = builder.build()
    problems = builder.problems
    for lang, pointers in outdated.items():
        problems.extend(
            Problem(file, pointer, f"translation into '{lang}' is outdated: the source text changed", WARNING)
            for pointer in pointers
        )
    if any(problem.severity == ERROR for problem in problems):
        return None, problems
    return questionnaire, problems


class _Builder(DerivedChecks, RosterChecks):
    """Turns schema-valid JSON into immutable objects, collecting logic problems on the way."""

    def __init__(self, data: Mapping[str, Any], file: str, outdated: Mapping[str, list[str]] | None = None) -> None:
        self.data = data
        self.file = file
        self.outdated = {lang: set(pointers) for lang, pointers in (outdated or {}).items()}
        self.problems: list[Problem] = []
        self.default = data["default_language"]
        self.languages = list(data["languages"])
        self.seen: dict[str, Question] = {}  # questions on earlier pages, in order
        self.raw: dict[str, Mapping[str, Any]] = {}  # their JSON objects
        # Computed values are checked where first used (so against the questions asked before it).
        self.computed_specs = {spec["id"]: index for index, spec in enumerate(data.get("computed", []))}
        self.computed: dict[str, Computed | None] = {}
        self.computed_where: dict[str, tuple[Mapping[str, Any], str, str]] = {}  # roster computed values
        self.roster_scopes: dict[str, dict[str, Question]] = {}
        self.roster_members: dict[str, str] = {}
        self.roster_maxima: dict[str, int] = {}
        self.current_roster = ""

    def error(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.file, pointer, message, ERROR))

    def warning(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.file, pointer, message, WARNING))

    def text(self, value: Mapping[str, str] | None, pointer: str) -> Text:
        text = Text.of(value, self.default)
        if value is None:
            return text
        for lang in value:
            if lang not in self.languages:
                self.error(pointer, f"text in '{lang}', which is not among the questionnaire's languages")
        if self.default not in value:
            self.error(pointer, f"no text in the default language '{self.default}'")
        for lang in self.languages:
            if lang not in value and lang != self.default and pointer not in self.outdated.get(lang, ()):
                self.warning(pointer, f"missing translation into '{lang}'")
        return text

    def build(self) -> Questionnaire:
        data = self.data
        if self.default not in self.languages:
            self.error("/default_language", f"'{self.default}' is not among the questionnaire's languages")
        for tag in self.languages:
            if not is_known_language(tag):
                self.warning(
                    f"/languages/{tag}",
                    f"'{tag}' is not a language CLDR knows; names and plural rules fall back to English",
                )
        pages: list[Page] = []
        rosters: list[Roster] = []
        page_ids: set[str] = set()
        for index, page_spec in enumerate(data["pages"]):
            pointer = f"/pages/{index}"
            if "roster" in page_spec:
                rosters.append(self.roster(page_spec["roster"], f"{pointer}/roster", len(pages), page_ids))
                continue
            if page_spec["id"] in page_ids:
                self.error(f"{pointer}/id", f"duplicate page id '{page_spec['id']}'")
            page_ids.add(page_spec["id"])
            pages.append(self.page(page_spec, pointer))
        for name in self.computed_specs:
            self.computed_value(name, "")
        self.computed_checks()
        return Questionnaire(
            id=data["id"],
            version=data["version"],
            title=self.text(data["title"], "/title"),
            introduction=self.text(data.get("introduction"), "/introduction"),
            default_language=self.default,
            languages=tuple(
                LanguageInfo(tag, bool(info.get("reviewed", False)), info.get("note", ""))
                for tag, info in data["languages"].items()
            ),
            pages=tuple(pages),
            access=data.get("access", "open"),
            wave=data.get("wave", "1"),
            resume=bool(data.get("resume", False)),
            source=self.file,
            computed=tuple(value for value in self.computed.values() if value is not None and not value.roster),
            rosters=tuple(rosters),
        )

    def page(self, spec: Mapping[str, Any], pointer: str) -> Page:
        condition = self.condition(spec.get("show_if"), f"{pointer}/show_if")
        questions = []
        on_page: dict[str, Question] = {}
        for index, question_spec in enumerate(spec["questions"]):
            question = self.question(question_spec, f"{pointer}/questions/{index}", on_page)
            if question is not None:
                questions.append(question)
                on_page[question.id] = question
        # Questions become referable only from later pages: without JavaScript a page cannot
        # react to what is typed on it.
        self.seen.update(on_page)
        self.raw.update((question_spec["id"], question_spec) for question_spec in spec["questions"])
        return Page(spec["id"], self.text(spec.get("title"), f"{pointer}/title"), tuple(questions), condition, pointer)

    def question(self, spec: Mapping[str, Any], pointer: str, on_page: Mapping[str, Question]) -> Question | None:
        cls = TYPES[spec["type"]]
        qid = spec["id"]
        if qid in self.seen or qid in on_page:
            self.error(f"{pointer}/id", f"duplicate question id '{qid}'")
        text = self.text(spec["text"], f"{pointer}/text")
        for key in (
            "help",
            "interviewer_note",
            "min_label",
            "max_label",
            "agree_label",
            "unit",
            "pattern_message",
            "invalid_message",
        ):
            if key in spec:
                self.text(spec[key], f"{pointer}/{key}")
        if "options_from" in spec:
            spec = self.options_from(spec, pointer, on_page)
        else:
            self.options(spec, pointer)
        if cls.answerable and cls.type_name != "consent" and "privacy" not in spec:
            self.error(pointer, "missing required property 'privacy'")
        try:
            extra = cls.extra_arguments(spec, self.default)
        except (KeyError, ValueError) as error:  # pragma: no cover - the schema catches these first
            self.error(pointer, f"cannot be read: {error}")
            return None
        question = cls(
            id=qid,
            text=text,
            help=Text.of(spec.get("help"), self.default),
            interviewer_note=Text.of(spec.get("interviewer_note"), self.default),
            required=spec.get("required", True) if cls.answerable else False,
            privacy=spec.get("privacy", "none"),
            show_if=self.condition(spec.get("show_if"), f"{pointer}/show_if", on_page),
            dont_know=spec.get("dont_know", False),
            refuse=spec.get("refuse", False),
            hierarchy=self.hierarchy(spec, cls, pointer),
            pointer=pointer,
            audio=self.audio(spec.get("audio", {}), f"{pointer}/audio"),
            valid_if=self.rule(spec, cls, pointer),
            invalid_message=Text.of(spec.get("invalid_message"), self.default) if "invalid_message" in spec else None,
            **extra,
        )
        self.type_checks(question, spec, pointer)
        for text_pointer, value in question.texts().items():
            for lang, content in value.by_language:
                for name, member in PIPE.findall(content):
                    if member:
                        self.pipe_member(name, member, text_pointer + f"/{lang}")
                    elif (outside := self.outside_roster(name)) is not None:
                        self.error(text_pointer + f"/{lang}", outside)
                    elif name in self.computed_specs:
                        self.pipe_computed(name, text_pointer + f"/{lang}")
                    elif name not in self.seen:
                        where = (
                            "a question on this or a later page"
                            if name in on_page or name == qid
                            else "an unknown question"
                        )
                        self.error(
                            text_pointer + f"/{lang}",
                            f"'{{{{{name}}}}}' pipes in {where}; only answers from earlier pages can be shown",
                        )
        return question

    def audio(self, files: Mapping[str, str], pointer: str) -> Text:
        """Audio files that exist beside the questionnaire; a missing one is a warning, not an error."""
        base = Path(self.file).parent
        found = {}
        for lang, relative in files.items():
            if lang not in self.languages:
                self.error(f"{pointer}/{lang}", f"audio in '{lang}', which is not among the questionnaire's languages")
            elif (base / relative).is_file():
                found[lang] = relative
            else:
                self.warning(f"{pointer}/{lang}", f"audio file {relative} not found: no player is shown")
        return Text.of(found, self.default)

    def options(self, spec: Mapping[str, Any], pointer: str) -> None:
        seen_codes: set[int] = set()
        for index, option in enumerate(spec.get("options", [])):
            if option["code"] in seen_codes:
                self.error(f"{pointer}/options/{index}/code", f"duplicate option code {option['code']}")
            seen_codes.add(option["code"])
            self.text(option["label"], f"{pointer}/options/{index}/label")
            if option.get("exclusive") and spec["type"] != "multiple_choice":
                self.error(f"{pointer}/options/{index}/exclusive", "only multiple-choice options can be exclusive")
        rows: set[str] = set()
        for index, row in enumerate(spec.get("rows", [])):
            if row["id"] in rows:
                self.error(f"{pointer}/rows/{index}/id", f"duplicate row id '{row['id']}'")
            rows.add(row["id"])
            self.text(row["text"], f"{pointer}/rows/{index}/text")
            name = f"{spec['id']}_{row['id']}"
            if len(name) > MAX_VARIABLE_NAME:
                self.error(
                    f"{pointer}/rows/{index}/id",
                    f"export variable '{name}' is longer than {MAX_VARIABLE_NAME} characters",
                )

    def hierarchy(self, spec: Mapping[str, Any], cls: type[Question], pointer: str) -> Hierarchy | None:
        raw = spec.get("hierarchy")
        if raw is None:
            if spec.get("privacy") == "quasi":
                self.warning(
                    pointer,
                    "quasi-identifier without a generalisation hierarchy: exports can only keep or suppress it",
                )
            return None
        if spec.get("privacy") != "quasi":
            self.error(f"{pointer}/hierarchy", "only quasi-identifiers have a generalisation hierarchy")
        if "bands" in raw:
            if not issubclass(cls, Integer | Date):
                self.error(f"{pointer}/hierarchy/bands", "bands apply to number, year and date questions only")
            if list(raw["bands"]) != sorted(set(raw["bands"])):
                self.error(f"{pointer}/hierarchy/bands", "band widths must grow from level to level")
            return Hierarchy(bands=tuple(raw["bands"]))
        if "builtin" in raw:
            if raw["builtin"] == "suppress":  # keep or suppress: one step for the anonymiser, not several
                return Hierarchy(builtin="suppress")
            if not issubclass(cls, Country) or spec["type"] != "country":
                self.error(f"{pointer}/hierarchy/builtin", "the 'm49' hierarchy applies to country questions only")
            return Hierarchy(builtin=raw["builtin"])
        codes = {str(option["code"]) for option in spec.get("options", [])}
        levels = []
        previous: set[str] = codes
        for index, level in enumerate(raw["levels"]):
            if previous and set(level) != previous:
                missing = sorted(previous - set(level))
                if missing:
                    self.error(f"{pointer}/hierarchy/levels/{index}", "no coarser value for " + ", ".join(missing))
            previous = set(level.values())
            levels.append(tuple(sorted(level.items())))
        return Hierarchy(levels=tuple(levels))

    def type_checks(self, question: Question, spec: Mapping[str, Any], pointer: str) -> None:
        low, high = spec.get("min"), spec.get("max")
        if low is not None and high is not None and low > high:
            self.error(f"{pointer}/min", f"min ({low}) is greater than max ({high})")
        example = question.example if isinstance(question, Year) else None
        if example is not None and not question.minimum <= example <= question.maximum:  # type: ignore[attr-defined]
            self.error(
                f"{pointer}/example",
                f"the example {example} is not a year from {question.minimum} to {question.maximum}",  # type: ignore[attr-defined]
            )
        if isinstance(question, ShortText) and question.pattern is not None:
            try:
                re.compile(question.pattern)
            except re.error as error:
                self.error(f"{pointer}/pattern", f"not a valid regular expression: {error}")
        if (
            isinstance(question, MultipleChoice)
            and question.max_choices is not None
            and question.max_choices < question.min_choices
        ):
            self.error(f"{pointer}/max_choices", "max_choices is smaller than min_choices")
        if isinstance(question, Date) and low and high and len(low) != len(high):
            self.warning(f"{pointer}/min", "min and max have different precision")
        if isinstance(question, Country):
            known = country_codes() if spec["type"] == "country" else language_codes()
            for index, code in enumerate(spec.get("codes", [])):
                if code not in known:
                    self.error(f"{pointer}/codes/{index}", f"'{code}' is not an ISO code this platform knows")
        if isinstance(question, MultipleChoice):
            longest = max(len(f"{question.id}_{option.code}") for option in question.options)
            if longest > MAX_VARIABLE_NAME:
                self.error(
                    f"{pointer}/id",
                    f"export variables of this question exceed {MAX_VARIABLE_NAME} characters",
                )

    def condition(
        self,
        source: str | None,
        pointer: str,
        on_page: Mapping[str, Question] | None = None,
        own: Mapping[str, ex.Symbol] | None = None,
    ) -> ex.Condition | None:
        if source is None:
            return None
        on_page = on_page or {}
        own = own or {}

        def resolve(ref: ex.Ref) -> ex.Symbol:
            if ref.question in own and ref.row is None:
                return own[ref.question]
            roster = self.roster_symbol(ref)
            if roster is not None:
                return roster
            outside = self.outside_roster(ref.question)
            if outside is not None:
                raise ex.ExpressionError(outside, ref.position)
            if ref.question in self.computed_specs and ref.row is None:
                return self.computed_symbol(ref, pointer)
            question = self.seen.get(ref.question)
            if question is None:
                if ref.question in on_page:
                    raise ex.ExpressionError(
                        f"'{ref.question}' is on the same page; conditions may only use answers from earlier pages",
                        ref.position,
                    )
                if any(page_question_id == ref.question for page_question_id in self._later_ids()):
                    raise ex.ExpressionError(f"'{ref.question}' comes later in the questionnaire", ref.position)
                raise ex.ExpressionError(f"unknown question '{ref.question}'", ref.position)
            symbol = question.symbol(ref.row)
            if symbol is None:
                if ref.row is not None:
                    raise ex.ExpressionError(f"'{ref.question}' has no row '{ref.row}'", ref.position)
                hint = " (name a row: question.row)" if question.type_name == "matrix" else ""
                raise ex.ExpressionError(f"'{ref.question}' cannot be used in a condition{hint}", ref.position)
            return symbol

        try:
            return ex.compile_condition(source, resolve)
        except ex.ExpressionError as error:
            self.error(pointer, f"condition {source!r}: {error}")
            return None

    def _later_ids(self) -> Iterable[str]:
        for page in self.data["pages"]:
            for inner in page["roster"]["pages"] if "roster" in page else [page]:
                for question in inner.get("questions", []):
                    yield question["id"]


def load_directory(
    directory: str | Path, cache: ValidationCache | None = None
) -> tuple[dict[str, Questionnaire], list[Problem]]:
    """Every questionnaire in a folder (schemas and indicator files aside), and all problems found."""
    found: dict[str, Questionnaire] = {}
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*.json")):
        if path.name == "schema.json" or path.name.endswith((".schema.json", ".indicators.json")):
            continue
        questionnaire, file_problems = load_file(path, cache)
        problems.extend(file_problems)
        if questionnaire is None:
            continue
        if questionnaire.id in found:
            problems.append(
                Problem(
                    str(path),
                    "/id",
                    f"questionnaire id '{questionnaire.id}' is used by {found[questionnaire.id].source} too",
                )
            )
            continue
        found[questionnaire.id] = questionnaire
    return found, problems
