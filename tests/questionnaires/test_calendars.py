"""Dates in the Solar Hijri and Ethiopian calendars: known conversions, impossible days, precision."""

from __future__ import annotations

import datetime

import pytest

from survey.questionnaires.calendars import ETHIOPIAN, GREGORIAN, SOLAR_HIJRI, from_gregorian, iso, to_gregorian


@pytest.mark.parametrize(
    ("calendar", "day", "gregorian"),
    [
        (SOLAR_HIJRI, (1403, 1, 1), "2024-03-20"),  # Nowruz 1403
        (SOLAR_HIJRI, (1402, 1, 1), "2023-03-21"),  # Nowruz 1402
        (SOLAR_HIJRI, (1402, 12, 29), "2024-03-19"),  # the last day of a common year
        (SOLAR_HIJRI, (1403, 12, 30), "2025-03-20"),  # 1403 is a leap year
        (SOLAR_HIJRI, (1368, 10, 25), "1990-01-15"),
        (ETHIOPIAN, (2017, 1, 1), "2024-09-11"),  # Enkutatash 2017
        (ETHIOPIAN, (2016, 1, 1), "2023-09-12"),  # after the leap year 2015
        (ETHIOPIAN, (2015, 13, 6), "2023-09-11"),  # Pagume 6 of a leap year
        (ETHIOPIAN, (2016, 4, 28), "2024-01-07"),  # Genna (Ethiopian Christmas)
        (GREGORIAN, (2024, 2, 29), "2024-02-29"),
    ],
)
def test_known_conversions(calendar, day, gregorian):
    assert to_gregorian(calendar, *day).isoformat() == gregorian
    assert from_gregorian(calendar, datetime.date.fromisoformat(gregorian)) == day


@pytest.mark.parametrize(
    ("calendar", "day"),
    [
        (SOLAR_HIJRI, (1402, 12, 30)),  # 1402 is a common year
        (SOLAR_HIJRI, (1403, 7, 31)),  # months 7 to 12 have at most 30 days
        (SOLAR_HIJRI, (1403, 13, 1)),
        (ETHIOPIAN, (2016, 13, 6)),  # Pagume has 5 days in a common year
        (ETHIOPIAN, (2016, 2, 31)),  # every other month has 30
        (ETHIOPIAN, (2016, 14, 1)),
        (GREGORIAN, (2023, 2, 29)),
    ],
)
def test_days_that_do_not_exist_are_refused(calendar, day):
    with pytest.raises(ValueError):
        to_gregorian(calendar, *day)


def test_months_and_years_are_stored_as_the_gregorian_month_or_year_holding_their_middle():
    assert iso(SOLAR_HIJRI, "month", 1403, 1, None) == "2024-04"  # Farvardin: 20 March to 19 April
    assert iso(SOLAR_HIJRI, "year", 1403, None, None) == "2024"
    assert iso(ETHIOPIAN, "month", 2017, 1, None) == "2024-09"  # Meskerem: 11 September to 10 October
    assert iso(ETHIOPIAN, "year", 2016, None, None) == "2024"  # September 2023 to September 2024
    assert iso(GREGORIAN, "month", 2016, 6, None) == "2016-06"


def test_solar_hijri_agrees_with_the_astronomical_calendar_around_nowruz():
    # convertdate computes the vernal equinox (slow): a sample of years suffices here.
    from convertdate import persian

    for year in (1300, 1350, 1375, 1395, 1399, 1403, 1404, 1410):
        assert to_gregorian(SOLAR_HIJRI, year, 1, 1).timetuple()[:3] == persian.to_gregorian(year, 1, 1)


@pytest.mark.parametrize(
    ("lang", "first", "twelfth", "number"),
    [
        ("fa", "فروردین", "اسفند", "۱۲"),
        ("fa-AF", "حمل", "حوت", "۱۲"),  # Dari names the months after the zodiac
        ("ps", "وری", "کب", "۱۲"),
        ("ckb", "خاکەلێوە", "ڕەشەمە", "١٢"),
        ("de", "Farwardin", "Esfand", "12"),
        ("en", "Farvardin", "Esfand", "12"),
    ],
)
def test_solar_hijri_month_names_and_digits_follow_the_page_language(app, lang, first, twelfth, number):
    from flask_babel import force_locale

    from survey.i18n.languages import babel_locale_name, locale_for
    from survey.questionnaires.calendars import month_key

    with app.test_request_context(), force_locale(babel_locale_name(lang)):
        title, months = month_key(SOLAR_HIJRI, locale_for(lang))
    assert len(months) == 12 and months[0][1] == first and months[11] == (number, twelfth)
    assert title and (lang == "en" or title != "Months of the Solar Hijri calendar")


@pytest.mark.parametrize(
    ("lang", "first", "thirteenth"),
    [("ti", "መስከረም", "ጳጉሜን"), ("ar", "مسكريم", "باجمن"), ("ru", "Мескерем", "Пагумэ"), ("en", "Meskerem", "Pagumen")],
)
def test_ethiopian_month_names_follow_the_page_language(app, lang, first, thirteenth):
    from flask_babel import force_locale

    from survey.i18n.languages import babel_locale_name, locale_for
    from survey.questionnaires.calendars import month_key

    with app.test_request_context(), force_locale(babel_locale_name(lang)):
        _, months = month_key(ETHIOPIAN, locale_for(lang))
    assert len(months) == 13 and months[0] == ("1", first) and months[12] == ("13", thirteenth)


def test_month_names_are_numbered_as_typed_nowruz_and_enkutatash():
    # Month 1 of the key is the month typed as 1: Farvardin 1, 1403 is Nowruz, Meskerem 1, 2017 Enkutatash.
    assert iso(SOLAR_HIJRI, "day", 1403, 1, 1) == "2024-03-20"
    assert iso(ETHIOPIAN, "day", 2017, 1, 1) == "2024-09-11"
    assert iso(SOLAR_HIJRI, "day", 1403, 12, 30) == "2025-03-20"  # Esfand 30 of a leap year
