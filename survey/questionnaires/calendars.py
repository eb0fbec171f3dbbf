"""Dates typed in the Solar Hijri or the Ethiopian calendar, turned into the ISO (Gregorian) dates that
are stored and exported.

Solar Hijri (Iran, Afghanistan) comes from jdatetime: its arithmetic rule matches the official
calendar (which follows the vernal equinox) for every date a survey asks about, and it converts in
microseconds; convertdate's astronomical `persian` module gives the same dates but computes the
equinox for every conversion. The Ethiopian calendar is the Coptic calendar with an era 276 years
later (same months, same leap years): convertdate's `coptic` module, with that offset.
"""

from __future__ import annotations

import datetime

import jdatetime
from convertdate import coptic
from flask_babel import lazy_gettext

GREGORIAN, SOLAR_HIJRI, ETHIOPIAN = "gregorian", "solar_hijri", "ethiopian"
CALENDARS = (GREGORIAN, SOLAR_HIJRI, ETHIOPIAN)
LABELS = {
    GREGORIAN: lazy_gettext("Gregorian (international) calendar"),
    SOLAR_HIJRI: lazy_gettext("Solar Hijri (Iranian and Afghan) calendar"),
    ETHIOPIAN: lazy_gettext("Ethiopian calendar"),
}
# Ethiopian (Amete Mihret) year = Coptic (Anno Martyrum) year + 276.
_ETHIOPIAN_OFFSET = 276


def to_gregorian(calendar: str, year: int, month: int, day: int) -> datetime.date:
    """The Gregorian date of a day in `calendar`; ValueError when there is no such day."""
    if calendar == GREGORIAN:
        return datetime.date(year, month, day)
    if calendar == SOLAR_HIJRI:
        return jdatetime.date(year, month, day).togregorian()
    if calendar == ETHIOPIAN:
        coptic_year = year - _ETHIOPIAN_OFFSET
        if not 1 <= month <= 13 or not 1 <= day <= coptic.month_length(coptic_year, month):
            raise ValueError("no such day in the Ethiopian calendar")
        return datetime.date(*coptic.to_gregorian(coptic_year, month, day))
    raise ValueError(f"unknown calendar {calendar!r}")


def from_gregorian(calendar: str, date: datetime.date) -> tuple[int, int, int]:
    """(year, month, day) of a Gregorian date in `calendar`."""
    if calendar == SOLAR_HIJRI:
        found = jdatetime.date.fromgregorian(date=date)
        return found.year, found.month, found.day
    if calendar == ETHIOPIAN:
        year, month, day = coptic.from_gregorian(date.year, date.month, date.day)
        return year + _ETHIOPIAN_OFFSET, month, day
    return date.year, date.month, date.day


def iso(calendar: str, precision: str, year: int, month: int | None, day: int | None) -> str:
    """The ISO date stored for a date typed in `calendar` at `precision` ('day', 'month' or 'year');
    ValueError when there is no such date. A month or year of another calendar straddles two Gregorian
    ones: it is stored as the Gregorian month (or year) that holds its middle."""
    if precision == "day":
        return to_gregorian(calendar, year, month or 1, day or 1).isoformat()
    if calendar == GREGORIAN:
        datetime.date(year, month or 1, 1)
        return f"{year:04d}-{month:02d}" if precision == "month" else f"{year:04d}"
    if precision == "month":
        middle = to_gregorian(calendar, year, month or 1, 15)
        return middle.isoformat()[:7]
    middle = to_gregorian(calendar, year, 1, 1) + datetime.timedelta(days=182)
    return f"{middle.year:04d}"
