"""Questions answered from a standard list: countries (ISO 3166) and languages (ISO 639)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext
from wtforms import Field, StringField
from wtforms.form import BaseForm

from ...i18n import languages as cldr
from ..expressions import TEXT, Symbol
from .base import MISSING_CODES, MISSING_LABELS, Question, TamperedInput


@dataclass(frozen=True)
class Country(Question):
    """A country by ISO 3166 alpha-2 code; names come from CLDR in the page language."""

    codes: tuple[str, ...] = ()  # restricts the list; empty means every ISO 3166 country

    type_name: ClassVar[str] = "country"
    template: ClassVar[str] = "select"
    coded: ClassVar[bool] = True
    kind: ClassVar[str | None] = TEXT
    missing_in_main_field: ClassVar[bool] = True

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {"codes": tuple(spec.get("codes", ()))}

    def catalogue(self, lang: str) -> tuple[tuple[str, str], ...]:
        return cldr.countries(lang)

    def all_codes(self) -> frozenset[str]:
        return cldr.country_codes()

    def choices(self, lang: str) -> list[tuple[str, str]]:
        """(code, name) pairs for the page language, sorted for it."""
        wanted = set(self.codes)
        return [(code, name) for code, name in self.catalogue(lang) if not wanted or code in wanted]

    def main_field(self, lang: str) -> Field:
        return StringField()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        values = posted.get(self.id, [])
        allowed = (set(self.codes) or self.all_codes()) | set(self.missing_choices)
        if len(values) > 1 or (values and values[0] and values[0] not in allowed):
            raise TamperedInput(f"{self.id}: unknown code")

    def answer_from_fields(self, form: BaseForm) -> Any:
        return (form[self.id].data or "").strip() or None

    def form_data(self, answer: Any) -> dict[str, Any]:
        return {self.id: answer or ""}

    @property
    def required_message(self) -> Any:
        return lazy_gettext("Select a country")

    def symbol(self, row: str | None) -> Symbol | None:
        if row is not None:
            return None
        return Symbol(TEXT, frozenset(self.codes or self.all_codes()))

    def display(self, answer: Any, lang: str) -> str:
        if answer in MISSING_CODES:
            return str(MISSING_LABELS[answer])
        return dict(self.catalogue(lang)).get(answer, answer)


@dataclass(frozen=True)
class Language(Country):
    """A language by ISO 639 code (two letters where one exists); names from CLDR."""

    type_name: ClassVar[str] = "language"

    def catalogue(self, lang: str) -> tuple[tuple[str, str], ...]:
        return cldr.languages(lang)

    def all_codes(self) -> frozenset[str]:
        return cldr.language_codes()

    @property
    def required_message(self) -> Any:
        return lazy_gettext("Select a language")
