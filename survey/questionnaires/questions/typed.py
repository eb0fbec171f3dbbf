"""Questions answered by typing: short and long text, integer, decimal and year (dates: typed_dates.py)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from flask_babel import lazy_gettext
from wtforms import Field, StringField, TextAreaField
from wtforms.form import BaseForm

from .. import calendars as cal
from ..expressions import NUMBER, TEXT
from ..model import Text
from .base import Question, TamperedInput

# Digits from other scripts (Arabic-Indic, Persian, Devanagari...) and separators typed on
# Arabic and Persian keyboards become ASCII before a number is read.
_SEPARATORS = {"\u066b": ".", "\u066c": "", "\u060c": ","}


def normalise_digits(text: str) -> str:
    out = []
    for ch in text:
        if ch.isdigit() and not ch.isascii():
            out.append(str(unicodedata.digit(ch, 0)))
        else:
            out.append(_SEPARATORS.get(ch, ch))
    return "".join(out).strip()


def _raw(form: BaseForm, name: str) -> str:
    return (form[name].data or "").strip()


class CalendarChoice:
    """The calendar choice of a date or year question offered in several calendars (`calendars`):
    its form field, its check and the calendar a respondent chose."""

    id: str
    calendars: tuple[str, ...]

    @property
    def calendar_field(self) -> str:
        return f"{self.id}-calendar"

    @property
    def chooses_calendar(self) -> bool:
        return len(self.calendars) > 1

    def calendar_label(self, calendar: str) -> str:
        return str(cal.LABELS[calendar])

    def check_calendar(self, posted: Mapping[str, list[str]]) -> None:
        if self.chooses_calendar:
            chosen = posted.get(self.calendar_field, [])
            if len(chosen) > 1 or (chosen and chosen[0] not in self.calendars):
                raise TamperedInput(f"{self.id}: unknown calendar")

    def _calendar(self, form: BaseForm) -> str | None:
        """The calendar the answer was typed in (None when the respondent has not chosen one)."""
        if not self.chooses_calendar:
            return self.calendars[0]
        chosen = form[self.calendar_field].data or ""
        return chosen if chosen in self.calendars else None


@dataclass(frozen=True)
class ShortText(Question):
    max_length: int = 200
    pattern: str | None = None
    pattern_message: Text | None = None

    type_name: ClassVar[str] = "short_text"
    template: ClassVar[str] = "input"
    kind: ClassVar[str | None] = TEXT

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {
            "max_length": spec.get("max_length", cls.max_length),
            "pattern": spec.get("pattern"),
            "pattern_message": Text.of(spec.get("pattern_message"), default_language),
        }

    def main_field(self, lang: str) -> Field:
        return StringField()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        super().check_posted(posted)
        values = posted.get(self.id, [])
        if len(values) > 1:
            raise TamperedInput(f"{self.id}: more than one value")
        # The rendered field carries maxlength; a longer value cannot come from the form.
        if values and len(values[0].strip()) > self.max_length:
            raise TamperedInput(f"{self.id}: longer than {self.max_length} characters")

    def answer_from_fields(self, form: BaseForm) -> Any:
        return _raw(form, self.id) or None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        errors = super().validate(form, lang)
        value = self.answer_from_fields(form)
        if not errors and value and self.pattern and not re.fullmatch(self.pattern, value):
            if self.pattern_message:
                return [self.pattern_message.get(lang)]
            return [str(lazy_gettext("Enter the answer in the format shown"))]
        return errors

    def texts(self) -> dict[str, Text]:
        found = super().texts()
        if self.pattern_message:
            found[f"{self.pointer}/pattern_message"] = self.pattern_message
        return found


@dataclass(frozen=True)
class LongText(ShortText):
    max_length: int = 2000

    type_name: ClassVar[str] = "long_text"
    template: ClassVar[str] = "textarea"

    def main_field(self, lang: str) -> Field:
        return TextAreaField()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        # Browsers count a line break as one character but send two (CR LF).
        normalised = {name: [value.replace("\r\n", "\n") for value in values] for name, values in posted.items()}
        super().check_posted(normalised)


@dataclass(frozen=True)
class Integer(Question):
    minimum: int | None = None
    maximum: int | None = None
    unit: Text | None = None

    type_name: ClassVar[str] = "integer"
    template: ClassVar[str] = "number"
    kind: ClassVar[str | None] = NUMBER
    max_input_length: ClassVar[int] = 20

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {
            "minimum": spec.get("min"),
            "maximum": spec.get("max"),
            "unit": Text.of(spec.get("unit"), default_language),
        }

    def main_field(self, lang: str) -> Field:
        return StringField()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        super().check_posted(posted)
        values = posted.get(self.id, [])
        if len(values) > 1 or (values and len(values[0]) > self.max_input_length):
            raise TamperedInput(f"{self.id}: not a number a person could type")

    def parse(self, raw: str) -> Any:
        """The typed number, or None when it is not one."""
        text = normalise_digits(raw).replace(" ", "")
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else None

    def answer_from_fields(self, form: BaseForm) -> Any:
        raw = _raw(form, self.id)
        return self.parse(raw) if raw else None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        raw = _raw(form, self.id)
        if raw and self.parse(raw) is None:
            return [str(self.format_message)]
        errors = super().validate(form, lang)
        value = self.answer_from_fields(form)
        if errors or value is None:
            return errors
        low = self.minimum if self.minimum is not None else float("-inf")
        high = self.maximum if self.maximum is not None else float("inf")
        if not low <= value <= high:
            return [str(self.range_message)]
        return []

    @property
    def format_message(self) -> Any:
        return lazy_gettext("Enter a whole number, like 3")

    @property
    def range_message(self) -> Any:
        if self.minimum is not None and self.maximum is not None:
            return lazy_gettext("Enter a number from %(min)s to %(max)s", min=self.minimum, max=self.maximum)
        if self.minimum is not None:
            return lazy_gettext("Enter a number of at least %(min)s", min=self.minimum)
        return lazy_gettext("Enter a number of at most %(max)s", max=self.maximum)

    def form_data(self, answer: Any) -> dict[str, Any]:
        if isinstance(answer, int | float):
            return {self.id: str(answer)}
        return super().form_data(answer)

    def texts(self) -> dict[str, Text]:
        found = super().texts()
        if self.unit:
            found[f"{self.pointer}/unit"] = self.unit
        return found


@dataclass(frozen=True)
class DecimalNumber(Integer):
    decimals: int = 2

    type_name: ClassVar[str] = "decimal"

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {**super().extra_arguments(spec, default_language), "decimals": spec.get("decimals", 2)}

    def parse(self, raw: str) -> Any:
        text = normalise_digits(raw).replace(" ", "").replace(",", ".")
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        if -number.as_tuple().exponent > self.decimals:  # type: ignore[operator]
            return None
        return float(number)

    @property
    def format_message(self) -> Any:
        return lazy_gettext("Enter a number with at most %(n)d decimal places, like 2.5", n=self.decimals)


@dataclass(frozen=True)
class Year(CalendarChoice, Integer):
    example: int | None = None  # the year the question's hint gives as an example; errors repeat it
    # The calendars the year may be typed in (as for dates); stored as the Gregorian year holding the
    # middle of the year typed (Solar Hijri 1394 is 2015), so the answer stays a number.
    calendars: tuple[str, ...] = (cal.GREGORIAN,)

    type_name: ClassVar[str] = "year"

    @classmethod
    def extra_arguments(cls, spec: Mapping[str, Any], default_language: str) -> dict[str, Any]:
        return {
            "minimum": spec.get("min", 1900),
            "maximum": spec.get("max", datetime.date.today().year),
            "unit": Text.of(None, default_language),
            "example": spec.get("example"),
            "calendars": tuple(spec.get("calendars", (cal.GREGORIAN,))),
        }

    def fields(self, lang: str) -> dict[str, Field]:
        chooser = {self.calendar_field: StringField()} if self.chooses_calendar else {}
        return chooser | super().fields(lang)

    def field_names(self) -> tuple[str, ...]:
        return ((self.calendar_field,) if self.chooses_calendar else ()) + super().field_names()

    def check_posted(self, posted: Mapping[str, list[str]]) -> None:
        super().check_posted(posted)
        self.check_calendar(posted)

    def answer_from_fields(self, form: BaseForm) -> Any:
        typed = super().answer_from_fields(form)
        calendar = self._calendar(form)
        if typed is None or calendar == cal.GREGORIAN:
            return typed
        if calendar is None or not 1000 <= typed <= 9999:
            return None
        try:
            return int(cal.iso(calendar, "year", typed, None, None))
        except (ValueError, OverflowError):
            return None

    def validate(self, form: BaseForm, lang: str) -> list[str]:
        raw = _raw(form, self.id)
        if raw and self.parse(raw) is not None and self._calendar(form) is None:
            from .typed_dates import CALENDAR_MISSING  # typed_dates imports this module

            return [str(CALENDAR_MISSING)]
        if raw and self.parse(raw) is not None and self.answer_from_fields(form) is None:
            return [str(self.format_message)]
        return super().validate(form, lang)

    def form_data(self, answer: Any) -> dict[str, Any]:
        shown = super().form_data(answer)
        # A stored year is Gregorian: shown again in that calendar.
        return shown | (
            {self.calendar_field: cal.GREGORIAN} if self.chooses_calendar and isinstance(answer, int) else {}
        )

    def anchor(self) -> str:
        return f"{self.calendar_field}-0" if self.chooses_calendar else self.id

    @property
    def format_message(self) -> Any:
        if self.example is not None:
            return lazy_gettext("Enter a year with four digits, like %(year)s", year=self.example)
        return lazy_gettext("Enter a year with four digits, like 2015")

    @property
    def range_message(self) -> Any:
        return lazy_gettext("Enter a year from %(min)s to %(max)s", min=self.minimum, max=self.maximum)
