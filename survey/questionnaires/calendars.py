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
from babel import Locale
from convertdate import coptic
from flask_babel import lazy_gettext

GREGORIAN, SOLAR_HIJRI, ETHIOPIAN = "gregorian", "solar_hijri", "ethiopian"
CALENDARS = (GREGORIAN, SOLAR_HIJRI, ETHIOPIAN)
LABELS = {
    GREGORIAN: lazy_gettext("Gregorian (international) calendar"),
    SOLAR_HIJRI: lazy_gettext("Solar Hijri (Iranian and Afghan) calendar"),
    ETHIOPIAN: lazy_gettext("Ethiopian calendar"),
}
# Month names in the page language. CLDR has them (persian and ethiopic calendars), but Babel ships
# only the Gregorian calendar's, so they come from the catalogs; the msgids are CLDR's English names.
MONTHS = {
    SOLAR_HIJRI: (
        # i18n: month 1 of the Solar Hijri calendar (Dari, Pashto and Kurdish have names of their own)
        lazy_gettext("Farvardin"),
        # i18n: month 2 of the Solar Hijri calendar
        lazy_gettext("Ordibehesht"),
        # i18n: month 3 of the Solar Hijri calendar
        lazy_gettext("Khordad"),
        # i18n: month 4 of the Solar Hijri calendar
        lazy_gettext("Tir"),
        # i18n: month 5 of the Solar Hijri calendar
        lazy_gettext("Mordad"),
        # i18n: month 6 of the Solar Hijri calendar
        lazy_gettext("Shahrivar"),
        # i18n: month 7 of the Solar Hijri calendar
        lazy_gettext("Mehr"),
        # i18n: month 8 of the Solar Hijri calendar
        lazy_gettext("Aban"),
        # i18n: month 9 of the Solar Hijri calendar
        lazy_gettext("Azar"),
        # i18n: month 10 of the Solar Hijri calendar
        lazy_gettext("Dey"),
        # i18n: month 11 of the Solar Hijri calendar
        lazy_gettext("Bahman"),
        # i18n: month 12 of the Solar Hijri calendar
        lazy_gettext("Esfand"),
    ),
    ETHIOPIAN: (
        # i18n: month 1 of the Ethiopian calendar
        lazy_gettext("Meskerem"),
        # i18n: month 2 of the Ethiopian calendar
        lazy_gettext("Tekemt"),
        # i18n: month 3 of the Ethiopian calendar
        lazy_gettext("Hedar"),
        # i18n: month 4 of the Ethiopian calendar
        lazy_gettext("Tahsas"),
        # i18n: month 5 of the Ethiopian calendar
        lazy_gettext("Ter"),
        # i18n: month 6 of the Ethiopian calendar
        lazy_gettext("Yekatit"),
        # i18n: month 7 of the Ethiopian calendar
        lazy_gettext("Megabit"),
        # i18n: month 8 of the Ethiopian calendar
        lazy_gettext("Miazia"),
        # i18n: month 9 of the Ethiopian calendar
        lazy_gettext("Genbot"),
        # i18n: month 10 of the Ethiopian calendar
        lazy_gettext("Sene"),
        # i18n: month 11 of the Ethiopian calendar
        lazy_gettext("Hamle"),
        # i18n: month 12 of the Ethiopian calendar
        lazy_gettext("Nehasse"),
        # i18n: month 13 of the Ethiopian calendar (5 or 6 days)
        lazy_gettext("Pagumen"),
    ),
}
MONTH_KEY_TITLES = {
    SOLAR_HIJRI: lazy_gettext("Months of the Solar Hijri calendar"),
    ETHIOPIAN: lazy_gettext("Months of the Ethiopian calendar"),
}
# The zero of each decimal numbering system CLDR names as a default for the study's languages.
_ZEROS = {"arab": 0x0660, "arabext": 0x06F0}
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


def local_number(number: int, locale: Locale | None) -> str:
    """A whole number in the page language's own digits (CLDR's default numbering system: Persian,
    Dari and Pashto ۱۲, Sorani ١٢, most others 12). Babel knows the system but not its digits."""
    zero = _ZEROS.get(locale.default_numbering_system) if locale is not None else None
    text = str(number)
    return text if zero is None else "".join(chr(zero + int(digit)) for digit in text)


def month_key(calendar: str, locale: Locale | None) -> tuple[str, list[tuple[str, str]]]:
    """The heading and the (number, name) list of a calendar's months in the page language."""
    return str(MONTH_KEY_TITLES[calendar]), [
        (local_number(index + 1, locale), str(name)) for index, name in enumerate(MONTHS[calendar])
    ]
