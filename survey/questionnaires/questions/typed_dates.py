"""Dates at day, month or year precision, typed into separate boxes (no date picker), in the Gregorian
calendar or, where the questionnaire offers them, the Solar Hijri or the Ethiopian one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext
from wtforms import Field, StringField
from wtforms.form import BaseForm

from ...i18n import languages as cldr
from .. import calendars as cal
from ..expressions import DATE
from .base import Question, TamperedInput
from .typed import CalendarChoice, _raw, normalise_digits

# Also the message of year questions in other calendars (typed.py).
CALENDAR_MISSING = lazy_gettext("Choose the calendar the date is in")


@dataclass(frozen=True)
class Date(CalendarChoice, Question):
    """A date at day, month or year precision, typed into separate boxes (no date picker)."""

    precision: str = "day"
    minimum: str | None = None
    maximum: str | None = None
    # The calendars a respondent may type the date in; with more than one, they choose.
    calendars: tuple[str, ...] = (cal.GREGORIAN,)

    type_name: ClassVar[str] = "date"
    template: ClassVar[str] = "date"
    kind: ClassVar[str | None] = DATE
    uses_fieldset: ClassVar[bool] = True

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {
            "precision": spec.get("precision", "day"),
            "minimum": spec.get("min"),
            "maximum": spec.get("max"),
            "calendars": tuple(spec.get("calendars", (cal.GREGORIAN,))),
        }

    def month_keys(self, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """For each other calendar offered, its month names numbered in the page language's digits:
        respondents type the month as a number and may not know which number a month has."""
        if "month" not in self.parts:
            return []
        locale = cldr.locale_for(lang)
        return [cal.month_key(calendar, locale) for calendar in self.calendars if calendar in cal.MONTHS]

    @property
    def parts(self) -> tuple[str, ...]:
        return {"day": ("day", "month", "year"), "month": ("month", "year"), "year": ("year",)}[self.precision]

    def part_field(self, part: str) -> str:
        return f"{self.id}-{part}"

    def main_field(self, lang: str) -> Field:
        return StringField()

    def fields(self, lang: str) -> dict[str, Field]:
        fields = super().fields(lang)
        del fields[self.id]
        chooser = {self.calendar_field: StringField()} if self.chooses_calendar else {}
        return chooser | {self.part_field(part): StringField() for part in self.parts} | fields

    def field_names(self) -> tuple[str, ...]:
        rest = tuple(name for name in super().field_names() if name != self.id)
        chooser = (self.calendar_field,) if self.chooses_calendar else ()
        return chooser + tuple(self.part_field(part) for part in self.parts) + rest

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        super().check_posted(posted)
        for part in self.parts:
            values = posted.get(self.part_field(part), [])
            if len(values) > 1 or (values and len(values[0]) > 10):
                raise TamperedInput(f"{self.id}: not a date a person could type")
        self.check_calendar(posted)

    def _numbers(self, form: BaseForm) -> dict[str, int | None] | None:
        numbers: dict[str, int | None] = {}
        for part in self.parts:
            raw = normalise_digits(_raw(form, self.part_field(part)))
            if raw and not raw.isdigit():
                return None
            numbers[part] = int(raw) if raw else None
        return numbers

    def answer_from_fields(self, form: BaseForm) -> Any:
        numbers = self._numbers(form)
        if numbers is None or all(value is None for value in numbers.values()):
            return None
        if any(value is None for value in numbers.values()):
            return None
        calendar = self._calendar(form)
        return None if calendar is None else self._iso(numbers, calendar)

    def _iso(self, numbers: Mapping[str, int | None], calendar: str) -> str | None:
        year, month, day = numbers.get("year") or 0, numbers.get("month") or 1, numbers.get("day") or 1
        try:
            return cal.iso(calendar, self.precision, year, month, day)
        except (ValueError, OverflowError):
            return None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        numbers = self._numbers(form)
        if numbers is not None and all(value is None for value in numbers.values()):
            return super().validate(form, lang)
        if self._posted_missing(form):
            return [str(lazy_gettext("Give an answer or choose one of the options below it, not both"))]
        if numbers is None or any(value is None for value in numbers.values()):
            return [str(self.incomplete_message)]
        calendar = self._calendar(form)
        if calendar is None:
            return [str(CALENDAR_MISSING)]
        year = numbers["year"] or 0
        if year < 1000:
            return [str(lazy_gettext("Enter the year with four digits"))]
        iso = self._iso(numbers, calendar)
        if iso is None:
            return [str(lazy_gettext("Enter a real date"))]
        if (self.minimum and iso < self.minimum[: len(iso)]) or (self.maximum and iso > self.maximum[: len(iso)]):
            return [
                str(
                    lazy_gettext(
                        "Enter a date from %(min)s to %(max)s",
                        min=self.minimum or "…",
                        max=self.maximum or "…",
                    )
                )
            ]
        return []

    @property
    def incomplete_message(self) -> Any:
        if self.precision == "day":
            return lazy_gettext("Enter the day, month and year as numbers")
        if self.precision == "month":
            return lazy_gettext("Enter the month and year as numbers")
        return lazy_gettext("Enter the year with four digits")

    @property
    def required_message(self) -> Any:
        return self.incomplete_message

    def form_data(self, answer: Any) -> dict[str, Any]:
        if not isinstance(answer, str) or not answer[:1].isdigit():
            return super().form_data(answer)
        pieces = answer.split("-")
        named = dict(zip(("year", "month", "day"), pieces, strict=False))
        shown = {self.part_field(part): named.get(part, "").lstrip("0") or "" for part in self.parts} | {
            self.part_field("year"): pieces[0]
        }
        # Stored dates are Gregorian: shown again in that calendar.
        return shown | ({self.calendar_field: cal.GREGORIAN} if self.chooses_calendar else {})

    def anchor(self) -> str:
        return f"{self.calendar_field}-0" if self.chooses_calendar else self.part_field(self.parts[0])
