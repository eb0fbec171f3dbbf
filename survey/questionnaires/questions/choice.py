"""Questions answered by choosing coded options: single, dropdown, scale, multiple and matrix."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext, lazy_ngettext
from wtforms import Field, SelectMultipleField, StringField
from wtforms.form import BaseForm

from ..expressions import NUMBER, SET, Ref, Symbol
from ..model import Option, Row, Text
from .base import MISSING_CODES, MISSING_LABELS, ExportColumn, Question, TamperedInput


def parse_options(specs: list[Mapping[str, Any]], default_language: str) -> tuple[Option, ...]:
    return tuple(
        Option(spec["code"], Text.of(spec["label"], default_language), spec.get("exclusive", False)) for spec in specs
    )


def _posted_one(posted: Mapping[str, list[str]], name: str, allowed: set[str], qid: str) -> None:
    values = posted.get(name, [])
    if len(values) > 1:
        raise TamperedInput(f"{qid}: more than one answer posted")
    if values and values[0] != "" and values[0] not in allowed:
        raise TamperedInput(f"{qid}: unknown option code")


# Narrowed copies of filtered questions, one per question and set of codes: a page's form class and
# kept markup are cached by the question's identity, which must stay the same from request to request.
_NARROWED: dict[tuple[int, frozenset[Any]], tuple[Question, Question]] = {}
_NARROWED_MAX = 8192


def _narrowed_copy(question: SingleChoice, codes: frozenset[Any]) -> Question:
    key = (id(question), codes)
    found = _NARROWED.get(key)
    if found is None or found[0] is not question:
        if len(_NARROWED) >= _NARROWED_MAX:
            _NARROWED.clear()
        options = tuple(option for option in question.options if option.code in codes)
        found = _NARROWED[key] = (question, dataclasses.replace(question, options=options))
    return found[1]


@dataclass(frozen=True)
class SingleChoice(Question):
    options: tuple[Option, ...] = ()
    # A filtered list: offer only the options of this earlier question that the respondent chose.
    options_from: str | None = None

    type_name: ClassVar[str] = "single_choice"
    template: ClassVar[str] = "radios"
    coded: ClassVar[bool] = True
    kind: ClassVar[str | None] = NUMBER
    missing_in_main_field: ClassVar[bool] = True
    uses_fieldset: ClassVar[bool] = True

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {"options": parse_options(spec["options"], default_language), "options_from": spec.get("options_from")}

    def narrowed(self, values: Callable[[Ref], Any]) -> Question | None:
        if self.options_from is None:
            return self
        chosen = values(Ref(self.options_from, None, 0))
        codes = chosen if isinstance(chosen, frozenset) else frozenset() if chosen is None else frozenset({chosen})
        codes = frozenset(option.code for option in self.options if option.code in codes and not option.exclusive)
        return _narrowed_copy(self, codes) if codes else None

    def keeps(self, answer: Any) -> bool:
        if self.options_from is None or answer is None or answer in MISSING_CODES:
            return True
        codes = {option.code for option in self.options}
        return set(answer) <= codes if isinstance(answer, list) else answer in codes

    @property
    def allowed_values(self) -> set[str]:
        return {str(option.code) for option in self.options} | set(self.missing_choices)

    def main_field(self, lang: str) -> Field:
        return StringField()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        _posted_one(posted, self.id, self.allowed_values, self.id)

    def answer_from_fields(self, form: BaseForm) -> Any:
        value = (form[self.id].data or "").strip()
        if value in MISSING_CODES:
            return value
        return int(value) if value else None

    def form_data(self, answer: Any) -> dict[str, Any]:
        return {self.id: "" if answer is None else str(answer)}

    @property
    def required_message(self) -> Any:
        return lazy_gettext("Select an answer")

    def anchor(self) -> str:
        return f"{self.id}-0"

    def symbol(self, row: str | None) -> Symbol | None:
        if row is not None:
            return None
        return Symbol(NUMBER, frozenset(option.code for option in self.options))

    def label_of(self, code: Any, lang: str) -> str:
        for option in self.options:
            if option.code == code:
                return option.label.get(lang)
        return str(code)

    def display(self, answer: Any, lang: str) -> str:
        if answer in MISSING_CODES:
            return str(MISSING_LABELS[answer])
        return self.label_of(answer, lang)

    def export_columns(self) -> tuple[ExportColumn, ...]:
        labels = tuple((option.code, option.label) for option in self.options)
        return (ExportColumn(self.id, self.text, labels),)

    def texts(self) -> dict[str, Text]:
        found = super().texts()
        for index, option in enumerate(self.options):
            found[f"{self.pointer}/options/{index}/label"] = option.label
        return found


@dataclass(frozen=True)
class Dropdown(SingleChoice):
    type_name: ClassVar[str] = "dropdown"
    template: ClassVar[str] = "select"
    uses_fieldset: ClassVar[bool] = False

    def anchor(self) -> str:
        return self.id


@dataclass(frozen=True)
class Scale(SingleChoice):
    """A numeric scale such as 0-10 with labelled ends; rendered as a row of radios."""

    minimum: int = 0
    maximum: int = 10
    min_label: Text | None = None
    max_label: Text | None = None

    type_name: ClassVar[str] = "scale"
    template: ClassVar[str] = "scale"

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        minimum, maximum = spec["min"], spec["max"]
        points = tuple(
            Option(value, Text.of({default_language: str(value)}, default_language))
            for value in range(minimum, maximum + 1)
        )
        return {
            "options": points,
            "minimum": minimum,
            "maximum": maximum,
            "min_label": Text.of(spec.get("min_label"), default_language),
            "max_label": Text.of(spec.get("max_label"), default_language),
        }

    def label_of(self, code: Any, lang: str) -> str:
        return str(code)

    def texts(self) -> dict[str, Text]:
        found = Question.texts(self)
        if self.min_label:
            found[f"{self.pointer}/min_label"] = self.min_label
        if self.max_label:
            found[f"{self.pointer}/max_label"] = self.max_label
        return found


@dataclass(frozen=True)
class MultipleChoice(SingleChoice):
    min_choices: int = 0
    max_choices: int | None = None

    type_name: ClassVar[str] = "multiple_choice"
    template: ClassVar[str] = "checkboxes"
    kind: ClassVar[str | None] = SET

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {
            "options": parse_options(spec["options"], default_language),
            "options_from": spec.get("options_from"),
            "min_choices": spec.get("min_choices", 0),
            "max_choices": spec.get("max_choices"),
        }

    def main_field(self, lang: str) -> Field:
        return SelectMultipleField(choices=[], validate_choice=False)

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        values = posted.get(self.id, [])
        if len(values) != len(set(values)) or not set(values) <= self.allowed_values:
            raise TamperedInput(f"{self.id}: unknown or repeated option code")

    def answer_from_fields(self, form: BaseForm) -> Any:
        values = [value for value in (form[self.id].data or []) if value]
        missing = [value for value in values if value in MISSING_CODES]
        if missing:
            return missing[0] if len(values) == 1 else values  # a list here fails validation
        return sorted(int(value) for value in values) or None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        answer = self.answer_from_fields(form)
        if answer is None:
            return [str(lazy_gettext("Select at least one answer"))] if self.required else []
        if isinstance(answer, str):
            return []
        if any(isinstance(value, str) for value in answer):
            return [str(lazy_gettext('"Don\'t know" and "Prefer not to say" cannot be combined with other answers'))]
        exclusive = [option for option in self.options if option.exclusive and option.code in answer]
        if exclusive and len(answer) > 1:
            return [
                str(
                    lazy_gettext(
                        '"%(option)s" cannot be combined with other answers',
                        option=exclusive[0].label.get(lang),
                    )
                )
            ]
        if len(answer) < self.min_choices:
            return [
                str(
                    lazy_ngettext("Select at least %(num)d answer", "Select at least %(num)d answers", self.min_choices)
                )
            ]
        if self.max_choices is not None and len(answer) > self.max_choices:
            return [
                str(lazy_ngettext("Select at most %(num)d answer", "Select at most %(num)d answers", self.max_choices))
            ]
        return []

    def form_data(self, answer: Any) -> dict[str, Any]:
        if answer is None:
            return {self.id: []}
        if isinstance(answer, str):
            return {self.id: [answer]}
        return {self.id: [str(code) for code in answer]}

    def symbol(self, row: str | None) -> Symbol | None:
        if row is not None:
            return None
        return Symbol(SET, frozenset(option.code for option in self.options))

    def comparable(self, answer: Any, row: str | None = None) -> Any:
        if answer is None or isinstance(answer, str):
            return None
        return frozenset(answer)

    def display(self, answer: Any, lang: str) -> str:
        if isinstance(answer, str):
            return str(MISSING_LABELS[answer])
        return ", ".join(self.label_of(code, lang) for code in answer)

    def export_columns(self) -> tuple[ExportColumn, ...]:
        yes_no = (
            (0, Text.of({"de": "nicht gewählt", "en": "not chosen"}, "en")),
            (1, Text.of({"de": "gewählt", "en": "chosen"}, "en")),
        )
        return tuple(ExportColumn(f"{self.id}_{option.code}", option.label, yes_no) for option in self.options)


@dataclass(frozen=True)
class Matrix(SingleChoice):
    """Rows that share one set of options; each row is its own export column."""

    rows: tuple[Row, ...] = ()

    type_name: ClassVar[str] = "matrix"
    template: ClassVar[str] = "matrix"

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {
            "options": parse_options(spec["options"], default_language),
            "rows": tuple(Row(row["id"], Text.of(row["text"], default_language)) for row in spec["rows"]),
        }

    def row_field(self, row: Row) -> str:
        return f"{self.id}-{row.id}"

    def fields(self, lang: str) -> dict[str, Field]:
        return {self.row_field(row): StringField() for row in self.rows}

    def field_names(self) -> tuple[str, ...]:
        return tuple(self.row_field(row) for row in self.rows)

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        for row in self.rows:
            _posted_one(posted, self.row_field(row), self.allowed_values, self.id)

    def answer_from_fields(self, form: BaseForm) -> Any:
        answer: dict[str, Any] = {}
        for row in self.rows:
            value = (form[self.row_field(row)].data or "").strip()
            if value:
                answer[row.id] = value if value in MISSING_CODES else int(value)
        return answer or None

    def answer_from_form(self, form: BaseForm) -> Any:
        return self.answer_from_fields(form)

    def row_errors(self, form: BaseForm, lang: str) -> dict[str, str]:
        answer = self.answer_from_fields(form) or {}
        if not self.required:
            return {}
        return {
            row.id: str(lazy_gettext('Select an answer for "%(row)s"', row=row.text.get(lang)))
            for row in self.rows
            if row.id not in answer
        }

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        return list(self.row_errors(form, lang).values())

    def located_errors(self, form: BaseForm, lang: str) -> list[tuple[str, str]]:
        by_row = self.row_errors(form, lang)
        return [(f"{self.row_field(row)}-0", by_row[row.id]) for row in self.rows if row.id in by_row]

    def form_data(self, answer: Any) -> dict[str, Any]:
        answer = answer or {}
        return {self.row_field(row): str(answer.get(row.id, "")) for row in self.rows}

    def anchor(self) -> str:
        return f"{self.row_field(self.rows[0])}-0"

    def symbol(self, row: str | None) -> Symbol | None:
        if row is None or row not in {r.id for r in self.rows}:
            return None
        return Symbol(NUMBER, frozenset(option.code for option in self.options))

    def comparable(self, answer: Any, row: str | None = None) -> Any:
        if not isinstance(answer, dict) or row is None:
            return None
        value = answer.get(row)
        return None if value is None or value in MISSING_CODES else value

    def display(self, answer: Any, lang: str) -> str:
        return "; ".join(
            f"{row.text.get(lang)}: {super(Matrix, self).display(answer[row.id], lang)}"
            for row in self.rows
            if row.id in (answer or {})
        )

    def export_columns(self) -> tuple[ExportColumn, ...]:
        labels = tuple((option.code, option.label) for option in self.options)
        return tuple(ExportColumn(f"{self.id}_{row.id}", row.text, labels) for row in self.rows)

    def texts(self) -> dict[str, Text]:
        found = super().texts()
        for index, row in enumerate(self.rows):
            found[f"{self.pointer}/rows/{index}/text"] = row.text
        return found
