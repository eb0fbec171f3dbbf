"""What every question type shares: its texts, condition, privacy class and form plumbing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext
from wtforms import Field, StringField
from wtforms.form import BaseForm

from ..expressions import Condition, Ref, Symbol
from ..model import Hierarchy, Text

DONT_KNOW = "dont_know"
REFUSED = "refused"
MISSING_CODES = (DONT_KNOW, REFUSED)
MISSING_LABELS = {
    DONT_KNOW: lazy_gettext("Don't know"),
    REFUSED: lazy_gettext("Prefer not to say"),
}
PRIVACY_CLASSES = ("direct", "quasi", "sensitive", "free_text", "none")


class TamperedInput(ValueError):
    """A post no honest form can produce (unknown option, oversized value, hidden question)."""


@dataclass(frozen=True)
class ExportColumn:
    name: str
    label: Text
    value_labels: tuple[tuple[Any, Text], ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    help: Text
    interviewer_note: Text
    required: bool
    privacy: str
    show_if: Condition | None
    dont_know: bool
    refuse: bool
    hierarchy: Hierarchy | None
    pointer: str
    audio: Text  # language -> audio file path (relative to the questionnaire file), existing files only
    # A rule the answer must keep (it may read the answer itself, earlier answers and computed values),
    # and what to tell the respondent when it does not.
    valid_if: Condition | None = None
    invalid_message: Text | None = None

    type_name: ClassVar[str] = ""
    template: ClassVar[str] = ""  # the macro in templates/questions.html that renders it
    kind: ClassVar[str | None] = None  # the value kind conditions see; None: not referable
    answerable: ClassVar[bool] = True
    uses_fieldset: ClassVar[bool] = False
    # Every answer is a code from the question's own list, never text a person typed: pages may keep
    # such a question's markup for each choice (see survey/fragments.py).
    coded: ClassVar[bool] = False

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        """Type-specific constructor arguments from the JSON object (already schema-valid)."""
        return {}

    # --- forms ------------------------------------------------------------------------

    def fields(self, lang: str) -> dict[str, Field]:
        """Unbound WTForms fields, keyed by their stable names."""
        fields = {self.id: self.main_field(lang)}
        if self.missing_choices and not self.missing_in_main_field:
            fields[self.missing_field_name] = StringField()
        return fields

    def main_field(self, lang: str) -> Field:
        raise NotImplementedError

    missing_in_main_field: ClassVar[bool] = False

    @property
    def missing_choices(self) -> tuple[str, ...]:
        return tuple(code for code, wanted in ((DONT_KNOW, self.dont_know), (REFUSED, self.refuse)) if wanted)

    @property
    def missing_field_name(self) -> str:
        return f"{self.id}-missing"

    def field_names(self) -> tuple[str, ...]:
        """Every name under which this question's form may post a value."""
        names = [self.id]
        if self.missing_choices and not self.missing_in_main_field:
            names.append(self.missing_field_name)
        return tuple(names)

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        """Raise TamperedInput for a post no rendered form can produce."""
        if self.missing_choices and not self.missing_in_main_field:
            for value in posted.get(self.missing_field_name, []):
                if value not in self.missing_choices:
                    raise TamperedInput(f"{self.id}: unknown choice")
            if len(posted.get(self.missing_field_name, [])) > 1:
                raise TamperedInput(f"{self.id}: more than one choice")

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        """Errors beyond the fields' own validators; returns messages for this question."""
        missing = self._posted_missing(form)
        value = self.answer_from_fields(form)
        if missing and value is not None:
            return [str(lazy_gettext("Give an answer or choose one of the options below it, not both"))]
        if self.required and missing is None and value is None:
            return [str(self.required_message)]
        return []

    def located_errors(self, form: BaseForm, lang: str) -> list[tuple[str, str]]:
        """(anchor, message) pairs: where the error summary links to, and what it says."""
        return [(self.anchor(), message) for message in self.validate(form, lang)]

    @property
    def required_message(self) -> Any:
        return lazy_gettext("Enter an answer")

    def _posted_missing(self, form: BaseForm) -> str | None:
        if self.missing_choices and not self.missing_in_main_field:
            data = form[self.missing_field_name].data
            return data if data in self.missing_choices else None
        return None

    def answer_from_form(self, form: BaseForm) -> Any:
        """The answer to store (None when left empty) from a validated form."""
        return self._posted_missing(form) or self.answer_from_fields(form)

    def answer_from_fields(self, form: BaseForm) -> Any:
        raise NotImplementedError

    def form_data(self, answer: Any) -> dict[str, Any]:
        """Initial field data that shows a stored answer again."""
        if answer in MISSING_CODES and not self.missing_in_main_field:
            return {self.missing_field_name: answer}
        return {self.id: answer}

    def anchor(self) -> str:
        """The id of the input an error summary links to."""
        return self.id

    # --- conditions, display, export ----------------------------------------------------

    def narrowed(self, values: Callable[[Ref], Any]) -> Question | None:
        """The question as this respondent sees it, given earlier answers (`values`, as conditions see
        them): itself, a copy with fewer options (filtered lists), or None when nothing is left to ask."""
        return self

    def keeps(self, answer: Any) -> bool:
        """Whether a stored answer is still one this (narrowed) question offers."""
        return True

    def symbol(self, row: str | None) -> Symbol | None:
        if row is not None or self.kind is None:
            return None
        return Symbol(self.kind)

    def comparable(self, answer: Any, row: str | None = None) -> Any:
        """The value conditions compare (None for missing answers)."""
        if answer is None or answer in MISSING_CODES:
            return None
        return answer

    def display(self, answer: Any, lang: str) -> str:
        if answer in MISSING_CODES:
            return str(MISSING_LABELS[answer])
        return str(answer)

    def export_columns(self) -> tuple[ExportColumn, ...]:
        return (ExportColumn(self.id, self.text),) if self.answerable else ()

    def texts(self) -> dict[str, Text]:
        """Every translatable text of the question, keyed by JSON pointer."""
        found = {f"{self.pointer}/text": self.text}
        if self.help:
            found[f"{self.pointer}/help"] = self.help
        if self.interviewer_note:
            found[f"{self.pointer}/interviewer_note"] = self.interviewer_note
        if self.invalid_message:
            found[f"{self.pointer}/invalid_message"] = self.invalid_message
        return found
