"""Consent (must be given to go on) and notes (text only, no answer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext
from wtforms import Field, StringField
from wtforms.form import BaseForm

from ..expressions import BOOL
from ..model import Text
from .base import Question, TamperedInput


@dataclass(frozen=True)
class Consent(Question):
    agree_label: Text | None = None

    type_name: ClassVar[str] = "consent"
    template: ClassVar[str] = "consent"
    coded: ClassVar[bool] = True
    kind: ClassVar[str | None] = BOOL
    uses_fieldset: ClassVar[bool] = True

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {"agree_label": Text.of(spec.get("agree_label"), default_language)}

    def main_field(self, lang: str) -> Field:
        return StringField()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        values = posted.get(self.id, [])
        if len(values) > 1 or (values and values[0] not in ("", "yes")):
            raise TamperedInput(f"{self.id}: consent is 'yes' or nothing")

    def answer_from_fields(self, form: BaseForm) -> Any:
        return True if form[self.id].data == "yes" else None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        if self.answer_from_fields(form) is None:
            return [str(lazy_gettext("You can only take part if you agree. Tick the box to continue."))]
        return []

    def form_data(self, answer: Any) -> dict[str, Any]:
        return {self.id: "yes" if answer else ""}

    def display(self, answer: Any, lang: str) -> str:
        return str(lazy_gettext("Yes, I agree")) if answer else ""

    def texts(self) -> dict[str, Text]:
        found = super().texts()
        if self.agree_label:
            found[f"{self.pointer}/agree_label"] = self.agree_label
        return found


@dataclass(frozen=True)
class Note(Question):
    type_name: ClassVar[str] = "note"
    template: ClassVar[str] = "note"
    coded: ClassVar[bool] = True
    answerable: ClassVar[bool] = False

    def fields(self, lang: str) -> dict[str, Field]:
        return {}

    def field_names(self) -> tuple[str, ...]:
        return ()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        return None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        return []

    def answer_from_form(self, form: BaseForm) -> Any:
        return None
