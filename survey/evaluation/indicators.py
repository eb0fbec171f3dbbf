"""A study's indicators as data: read an indicators file, validate it against its JSON Schema and check
every condition, variable and breakdown against the questionnaire, each problem with its JSON pointer."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from ..questionnaires import expressions as ex
from ..questionnaires.loader import ERROR, Problem, _pointer, _schema_message
from ..questionnaires.model import Questionnaire, Text
from ..questionnaires.questions.choice import MultipleChoice

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "indicators.schema.json"
DOMAINS = ("language", "education", "work_income", "housing", "health", "discrimination", "participation_belonging")
# Variables every export holds beside the answers (survey/export/pipeline.py PARADATA_VARIABLES).
PARADATA = ("mode", "language", "device", "start_month", "duration_min")
_NUMBERS = frozenset({"integer", "year", "decimal", "scale", "single_choice", "dropdown", "matrix"})


class IndicatorsError(Exception):
    """An indicators file that cannot be used; carries every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Group:
    id: str
    title: Text
    values: tuple[Any, ...] = ()
    low: float | None = None  # a numeric range [low, high) instead of values
    high: float | None = None


@dataclass(frozen=True)
class Breakdown:
    id: str
    title: Text
    variable: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Target:
    value: float
    direction: str  # "at_least" | "at_most"
    wave: str

    def reached(self, lower: float, upper: float) -> str:
        """'reached', 'missed' or 'open' (the interval holds the target)."""
        if self.direction == "at_least":
            return "reached" if lower >= self.value else "missed" if upper < self.value else "open"
        return "reached" if upper <= self.value else "missed" if lower > self.value else "open"


@dataclass(frozen=True)
class Indicator:
    id: str
    title: Text
    domain: str
    comment: str
    population: ex.Condition
    numerator: ex.Condition | None
    mean: str | None  # export variable whose mean is the indicator (instead of a numerator)
    unit: Text
    breakdowns: tuple[str, ...]
    target: Target | None
    pointer: str

    @property
    def is_share(self) -> bool:
        return self.numerator is not None


@dataclass(frozen=True)
class Indicators:
    questionnaire: str
    title: Text
    min_n: int
    baseline_wave: str | None
    breakdowns: tuple[Breakdown, ...]
    indicators: tuple[Indicator, ...]
    source: str

    def breakdown(self, breakdown_id: str) -> Breakdown:
        return next(item for item in self.breakdowns if item.id == breakdown_id)


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_file(path: str | Path, questionnaire: Questionnaire) -> Indicators:
    """Read and check an indicators file; raises IndicatorsError naming every problem."""
    path = Path(path)
    file = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndicatorsError([Problem(file, "", "file not found")]) from None
    except UnicodeDecodeError as error:
        raise IndicatorsError([Problem(file, "", f"not UTF-8 text (byte {error.start})")]) from None
    except json.JSONDecodeError as error:
        raise IndicatorsError(
            [Problem(file, "", f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")]
        ) from None
    return load_data(data, questionnaire, file)


def load_data(data: Any, questionnaire: Questionnaire, file: str = "<indicators>") -> Indicators:
    validator = jsonschema.Draft202012Validator(schema())
    problems = [
        Problem(file, _pointer(error.absolute_path), _schema_message(error))
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems:
        raise IndicatorsError(problems)
    checker = _Checker(questionnaire, file)
    result = checker.build(data)
    if checker.problems:
        raise IndicatorsError(checker.problems)
    return result


def export_variables(questionnaire: Questionnaire) -> dict[str, Any]:
    """Every variable an export of the questionnaire holds, with the question it comes from."""
    found: dict[str, Any] = {name: None for name in PARADATA}
    for question in questionnaire.questions():
        if question.answerable:
            for column in question.export_columns():
                found[column.name] = question
    return found


class _Checker:
    def __init__(self, questionnaire: Questionnaire, file: str) -> None:
        self.questionnaire = questionnaire
        self.file = file
        self.problems: list[Problem] = []
        self.variables = export_variables(questionnaire)

    def error(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.file, pointer, message, ERROR))

    def build(self, data: Mapping[str, Any]) -> Indicators:
        if data["questionnaire"] != self.questionnaire.id:
            self.error("/questionnaire", f"names '{data['questionnaire']}', but the data are '{self.questionnaire.id}'")
        breakdowns = [self.breakdown(spec, f"/breakdowns/{index}") for index, spec in enumerate(data["breakdowns"])]
        self.duplicates([b.id for b in breakdowns], "/breakdowns", "breakdown")
        known = {b.id for b in breakdowns}
        indicators = []
        for index, spec in enumerate(data["indicators"]):
            found = self.indicator(spec, f"/indicators/{index}", known)
            if found is not None:
                indicators.append(found)
        self.duplicates([spec["id"] for spec in data["indicators"]], "/indicators", "indicator")
        return Indicators(
            questionnaire=data["questionnaire"],
            title=Text.of(data["title"], "de"),
            min_n=int(data.get("min_n", 5)),
            baseline_wave=data.get("baseline_wave"),
            breakdowns=tuple(breakdowns),
            indicators=tuple(indicators),
            source=self.file,
        )

    def duplicates(self, ids: Sequence[str], pointer: str, what: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.error(f"{pointer}/{index}/id", f"duplicate {what} id '{item}'")
            seen.add(item)

    def breakdown(self, spec: Mapping[str, Any], pointer: str) -> Breakdown:
        if spec["variable"] not in self.variables:
            self.error(f"{pointer}/variable", f"the export has no variable '{spec['variable']}'")
        groups = tuple(
            Group(
                group["id"],
                Text.of(group["title"], "de"),
                tuple(group.get("values", ())),
                group.get("from"),
                group.get("to"),
            )
            for group in spec["groups"]
        )
        self.duplicates([g.id for g in groups], f"{pointer}/groups", "group")
        return Breakdown(spec["id"], Text.of(spec["title"], "de"), spec["variable"], groups)

    def condition(self, source: str, pointer: str) -> ex.Condition | None:
        def resolve(ref: ex.Ref) -> ex.Symbol:
            try:
                question = self.questionnaire.question(ref.question)
            except KeyError:
                raise ex.ExpressionError(f"unknown question '{ref.question}'", ref.position) from None
            symbol = question.symbol(ref.row)
            if symbol is None:
                raise ex.ExpressionError(f"'{ref.name}' cannot be used in a condition", ref.position)
            return symbol

        try:
            condition = ex.compile_condition(source, resolve)
        except ex.ExpressionError as error:
            self.error(pointer, f"condition {source!r}: {error}")
            return None
        if not ex.plain(condition.tree):
            self.error(pointer, f"condition {source!r}: arithmetic and functions are not evaluated on exports")
            return None
        return condition

    def indicator(self, spec: Mapping[str, Any], pointer: str, breakdowns: set[str]) -> Indicator | None:
        population = self.condition(spec["population"], f"{pointer}/population")
        numerator = self.condition(spec["numerator"], f"{pointer}/numerator") if "numerator" in spec else None
        mean = spec.get("mean")
        if mean is not None:
            name = mean.replace(".", "_")
            question = self.variables.get(name)
            if name not in self.variables:
                self.error(f"{pointer}/mean", f"unknown question or variable '{mean}'")
            elif question is None or isinstance(question, MultipleChoice) or question.type_name not in _NUMBERS:
                self.error(f"{pointer}/mean", f"'{mean}' does not hold numbers: its mean means nothing")
            mean = name
        for index, name in enumerate(spec.get("breakdowns", [])):
            if name not in breakdowns:
                self.error(f"{pointer}/breakdowns/{index}", f"no breakdown '{name}' in /breakdowns")
        target = spec.get("target")
        if target is not None and numerator is not None and not 0 <= target["value"] <= 1:
            self.error(f"{pointer}/target/value", "a share's target is a fraction from 0 to 1")
        if population is None or ("numerator" in spec and numerator is None):
            return None
        return Indicator(
            id=spec["id"],
            title=Text.of(spec["title"], "de"),
            domain=spec["domain"],
            comment=spec["comment"],
            population=population,
            numerator=numerator,
            mean=mean,
            unit=Text.of(spec.get("unit"), "de"),
            breakdowns=tuple(spec.get("breakdowns", ())),
            target=Target(float(target["value"]), target["direction"], str(target["wave"])) if target else None,
            pointer=pointer,
        )
