"""Shared vectors for dates in other calendars (survey/static/offline/calendars.js): days in the Solar
Hijri, Ethiopian and Gregorian calendars with the Gregorian date survey/questionnaires/calendars.py
gives them (or none), Gregorian dates in both other calendars, and the ISO dates stored at each
precision. Written to tests/data/logic-vectors/calendars.json by tests/offline/vectors.py."""

from __future__ import annotations

import datetime
from typing import Any

from survey.questionnaires import calendars as cal
from survey.questionnaires.loader import load_data

# Nowruz 1403 and the Ethiopian new year 2017, Esfand 30 in leap and common years, Pagumen 6, the ends
# of each library's range, and days that do not exist.
EDGES: tuple[tuple[str, int, int, int], ...] = (
    (cal.SOLAR_HIJRI, 1403, 1, 1), (cal.SOLAR_HIJRI, 1403, 12, 30), (cal.SOLAR_HIJRI, 1402, 12, 30),
    (cal.SOLAR_HIJRI, 1399, 12, 30), (cal.SOLAR_HIJRI, 1, 1, 1), (cal.SOLAR_HIJRI, 0, 1, 1),
    (cal.SOLAR_HIJRI, 9377, 12, 29), (cal.SOLAR_HIJRI, 9378, 1, 1), (cal.SOLAR_HIJRI, 1400, 0, 1),
    (cal.SOLAR_HIJRI, 1400, 13, 1), (cal.SOLAR_HIJRI, 1400, 1, 0), (cal.SOLAR_HIJRI, 1400, 1, 32),
    (cal.ETHIOPIAN, 2017, 1, 1), (cal.ETHIOPIAN, 2015, 13, 6), (cal.ETHIOPIAN, 2016, 13, 6),
    (cal.ETHIOPIAN, 2016, 13, 5), (cal.ETHIOPIAN, 2017, 14, 1), (cal.ETHIOPIAN, 2017, 0, 1),
    (cal.ETHIOPIAN, 2017, 1, 31), (cal.ETHIOPIAN, 1000, 1, 1), (cal.ETHIOPIAN, 9999, 1, 1),
    (cal.ETHIOPIAN, 9992, 4, 22), (cal.ETHIOPIAN, 9992, 4, 23), (cal.ETHIOPIAN, 277, 1, 1), (cal.ETHIOPIAN, 1, 1, 1),
    (cal.GREGORIAN, 2024, 2, 29), (cal.GREGORIAN, 2023, 2, 29), (cal.GREGORIAN, 1900, 2, 29),
    (cal.GREGORIAN, 2000, 2, 29), (cal.GREGORIAN, 2024, 4, 31), (cal.GREGORIAN, 9999, 12, 31),
)  # fmt: skip
PRECISIONS = ("day", "month", "year")


def _gregorian(calendar: str, year: int, month: int, day: int) -> str | None:
    try:
        return cal.to_gregorian(calendar, year, month, day).isoformat()
    except (ValueError, OverflowError):
        return None


def _iso(calendar: str, precision: str, year: int, month: int, day: int) -> str | None:
    try:
        return cal.iso(calendar, precision, year, month, day)
    except (ValueError, OverflowError):
        return None


def days() -> list[tuple[str, int, int, int]]:
    """Days around every year boundary and leap day of two centuries in each calendar."""
    found = list(EDGES)
    for year in range(1279, 1480):
        found += [(cal.SOLAR_HIJRI, year, 1, 1), (cal.SOLAR_HIJRI, year, 6, 31), (cal.SOLAR_HIJRI, year, 7, 1)]
        found += [(cal.SOLAR_HIJRI, year, 7, 31), (cal.SOLAR_HIJRI, year, 12, 29), (cal.SOLAR_HIJRI, year, 12, 30)]
    for year in range(1892, 2094):
        found += [(cal.ETHIOPIAN, year, 1, 1), (cal.ETHIOPIAN, year, 12, 30), (cal.ETHIOPIAN, year, 13, 5)]
        found += [(cal.ETHIOPIAN, year, 13, 6), (cal.ETHIOPIAN, year, 13, 7), (cal.ETHIOPIAN, year, 7, 15)]
    return found


def gregorian_days() -> list[datetime.date]:
    """Every 23rd day from 1900 to 2100, and each 28 February and 1 March of those years."""
    start, end = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
    found = [start + datetime.timedelta(days=n) for n in range(0, (end - start).days, 23)]
    for year in range(1900, 2101):
        found += [datetime.date(year, 2, 28), datetime.date(year, 3, 1)]
    return [*found, datetime.date(1000, 1, 1), datetime.date(9998, 12, 31), datetime.date(622, 3, 22)]


def calendar_vectors() -> dict[str, Any]:
    """One line per vector: "calendar year month day" -> Gregorian day; Gregorian day -> "Solar
    Hijri y-m-d / Ethiopian y-m-d"; "calendar precision year month day" -> ISO date stored."""
    converted = {" ".join(map(str, day)): _gregorian(*day) for day in days()}
    back = {
        day.isoformat(): " / ".join(
            "-".join(map(str, cal.from_gregorian(calendar, day))) for calendar in (cal.SOLAR_HIJRI, cal.ETHIOPIAN)
        )
        for day in gregorian_days()
    }
    stored = {}
    for calendar, year, month, day in EDGES:
        for precision in PRECISIONS:
            stored[f"{calendar} {precision} {year} {month} {day}"] = _iso(calendar, precision, year, month, day)
    for year in (1000, 1300, 1394, 1399, 1403, 2008, 2016, 2017, 2024, 9376, 9377, 9991, 9992, 9999):
        for calendar in cal.CALENDARS:
            stored[f"{calendar} year {year} 0 0"] = _iso(calendar, "year", year, 0, 0)
            for month in (1, 6, 7, 12, 13):
                stored[f"{calendar} month {year} {month} 0"] = _iso(calendar, "month", year, month, 0)
    return {"to_gregorian": converted, "from_gregorian": back, "iso": stored}


def expected_checks() -> int:
    """One comparison per day converted, per Gregorian day (both calendars at once), per ISO date;
    three per posted page."""
    vectors = calendar_vectors()
    return len(vectors["to_gregorian"]) + len(vectors["from_gregorian"]) + len(vectors["iso"]) + 3 * len(CALENDAR_PAGES)


# --- pages with dates and years in other calendars, posted -----------------------------------------

CALENDAR_LANGS = ("de", "ar", "fa")
ALL = [cal.GREGORIAN, cal.SOLAR_HIJRI, cal.ETHIOPIAN]


def _text(name: str) -> dict[str, str]:
    return {"de": name, "ar": name, "fa": name}


CALENDAR_QUESTIONNAIRE: dict[str, Any] = {
    "format": 1,
    "id": "calendar-vectors",
    "version": "1",
    "default_language": "de",
    "languages": {lang: {"reviewed": True} for lang in CALENDAR_LANGS},
    "title": _text("Kalender"),
    "pages": [
        {
            "id": "born",
            "questions": [
                {"id": "born", "type": "year", "privacy": "none", "text": _text("born"), "min": 1940, "max": 2026,
                 "example": 1990, "calendars": ALL, "dont_know": True},
            ],
        },
        {
            "id": "arrived",
            "questions": [
                {"id": "arrived", "type": "date", "privacy": "none", "text": _text("arrived"), "precision": "month",
                 "min": "1990-01", "max": "2026-12", "calendars": ALL},
            ],
        },
        {
            "id": "birthday",
            "questions": [
                {"id": "birthday", "type": "date", "privacy": "none", "text": _text("birthday"), "precision": "day",
                 "max": "2026-12-07", "calendars": [cal.SOLAR_HIJRI, cal.ETHIOPIAN], "required": False},
                {"id": "hijri_year", "type": "year", "privacy": "none", "text": _text("hijri_year"), "min": 1900,
                 "max": 2026, "calendars": [cal.SOLAR_HIJRI], "required": False},
                {"id": "year_only", "type": "date", "privacy": "none", "text": _text("year_only"), "precision": "year",
                 "calendars": [cal.GREGORIAN, cal.ETHIOPIAN], "required": False},
            ],
        },
    ],
}  # fmt: skip

_BORN = [
    {},
    {"born": ["1394"]},
    {"born-calendar": ["solar_hijri"]},
    {"born-calendar": ["solar_hijri"], "born": ["1394"]},
    {"born-calendar": ["ethiopian"], "born": ["2008"]},
    {"born-calendar": ["gregorian"], "born": ["1394"]},
    {"born-calendar": ["solar_hijri"], "born": ["۱۳۹۴"]},
    {"born-calendar": ["solar_hijri"], "born": ["394"]},
    {"born-calendar": ["solar_hijri"], "born": ["9999"]},
    {"born-calendar": ["ethiopian"], "born": ["9999"]},
    {"born-calendar": ["solar_hijri"], "born": ["1300"]},
    {"born-calendar": ["solar_hijri"], "born": ["13x"]},
    {"born-missing": ["dont_know"]},
    {"born-missing": ["dont_know"], "born-calendar": ["ethiopian"]},
    {"born-missing": ["dont_know"], "born-calendar": ["ethiopian"], "born": ["1990"]},
    {"born-calendar": ["gregorian"], "born": ["2026"]},
    {"born-calendar": ["ethiopian"], "born": [" 2018 "]},
]
_ARRIVED = [
    {},
    {"arrived-month": ["3"], "arrived-year": ["2016"]},
    {"arrived-calendar": ["solar_hijri"], "arrived-month": ["1"], "arrived-year": ["1403"]},
    {"arrived-calendar": ["ethiopian"], "arrived-month": ["13"], "arrived-year": ["2016"]},
    {"arrived-calendar": ["ethiopian"], "arrived-month": ["1"], "arrived-year": ["2017"]},
    {"arrived-calendar": ["solar_hijri"], "arrived-month": ["13"], "arrived-year": ["1400"]},
    {"arrived-calendar": ["gregorian"], "arrived-month": ["2"], "arrived-year": ["1989"]},
    {"arrived-calendar": ["solar_hijri"], "arrived-month": [""], "arrived-year": ["1400"]},
    {"arrived-calendar": ["solar_hijri"], "arrived-month": ["12"], "arrived-year": ["999"]},
    {"arrived-calendar": ["solar_hijri"], "arrived-month": ["٣"], "arrived-year": ["١٤٠٠"]},
    {"arrived-calendar": ["solar_hijri"], "arrived-month": ["0"], "arrived-year": ["1368"]},
    {"arrived-calendar": ["ethiopian"], "arrived-month": ["4"], "arrived-year": ["2019"]},
    {"arrived-calendar": ["solar_hijri"]},
]
_BIRTHDAY = [
    {},
    {"birthday-calendar": ["solar_hijri"], "birthday-day": ["30"], "birthday-month": ["12"], "birthday-year": ["1403"]},
    {"birthday-calendar": ["solar_hijri"], "birthday-day": ["30"], "birthday-month": ["12"], "birthday-year": ["1402"]},
    {"birthday-calendar": ["ethiopian"], "birthday-day": ["6"], "birthday-month": ["13"], "birthday-year": ["2015"]},
    {"birthday-calendar": ["ethiopian"], "birthday-day": ["6"], "birthday-month": ["13"], "birthday-year": ["2016"]},
    {"birthday-calendar": ["solar_hijri"], "birthday-day": ["1"], "birthday-month": ["1"], "birthday-year": ["1406"]},
    {"birthday-day": ["1"], "birthday-month": ["1"], "birthday-year": ["1400"]},
    {"birthday-calendar": ["ethiopian"], "birthday-day": ["31"], "birthday-month": ["1"], "birthday-year": ["2017"]},
    {"hijri_year": ["1403"]}, {"hijri_year": ["1279"]}, {"hijri_year": ["999"]}, {"hijri_year": ["1406"]},
    {"year_only-calendar": ["ethiopian"], "year_only-year": ["2017"]}, {"year_only-year": ["2017"]},
    {"year_only-calendar": ["gregorian"], "year_only-year": ["2017"], "hijri_year": ["۱۴۰۰"]},
    {"year_only-calendar": ["ethiopian"], "year_only-year": ["9999"]},
]  # fmt: skip
CALENDAR_PAGES = (
    [("born", [], post) for post in _BORN]
    + [("arrived", ["born"], post) for post in _ARRIVED]
    + [("birthday", ["born", "arrived"], post) for post in _BIRTHDAY]
)


def calendar_pages(app: Any) -> dict[str, Any]:
    """The calendar questionnaire's description and each posted page in each language, with the
    errors and answers the server gives (the same shape as questionnaire.json)."""
    from survey.offline.logic import describe
    from survey.offline.messages import catalog

    from .vectors import _page

    questionnaire, problems = load_data(CALENDAR_QUESTIONNAIRE, "tests/offline/calendar_vectors.py")
    assert questionnaire is not None, problems
    with app.app_context():
        messages = {lang: catalog(lang, {0, 1, 2}) for lang in CALENDAR_LANGS}
    pages = []
    for index, (page, completed, posted) in enumerate(CALENDAR_PAGES):
        lang = CALENDAR_LANGS[index % len(CALENDAR_LANGS)]
        pages.append(
            _page(
                app,
                questionnaire,
                {"page": page, "answers": {}, "completed": completed, "posted": posted, "lang": lang},
            )
        )
    return {"questionnaire": describe(questionnaire), "messages": messages, "routes": [], "pages": pages}


# Values a person may type into a calendar page's boxes, and the calendars a form can post.
TYPED = (
    "", " ", "0", "1", "6", "12", "13", "15", "29", "30", "31", "32", "999", "1000", "1279", "1300", "1368", "1394",
    "1399", "1402", "1403", "1406", "2008", "2015", "2016", "2017", "2024", "2026", "9377", "9378", "9999", "10000",
    "۱۳۹۴", "١٤٠٣", "٣٠", "x", "-1", "dont_know",
)  # fmt: skip


def random_calendar_posts(app: Any, seed: int, count: int) -> dict[str, Any]:
    """`count` random posts onto the calendar pages (calendar choices any the form offers), with the
    server's errors and answers, in the shape of questionnaire.json."""
    import random

    from .vectors import _page

    rng = random.Random(seed)
    questionnaire, problems = load_data(CALENDAR_QUESTIONNAIRE, "tests/offline/calendar_vectors.py")
    assert questionnaire is not None, problems
    vectors = calendar_pages(app)
    made: list[dict[str, Any]] = []
    while len(made) < count:
        page_id, completed, _ = rng.choice(CALENDAR_PAGES)
        posted: dict[str, list[str]] = {}
        for question in questionnaire.page(page_id).questions:
            calendars = getattr(question, "calendars", ())
            for name in question.field_names():
                if rng.random() < 0.8:
                    if name.endswith("-calendar"):
                        posted[name] = [rng.choice(calendars)]
                    elif name.endswith("-missing"):
                        posted[name] = ["dont_know"]
                    else:
                        posted[name] = [rng.choice(TYPED)]
        case = {"page": page_id, "answers": {}, "completed": completed, "posted": posted}
        made.append(_page(app, questionnaire, case | {"lang": rng.choice(CALENDAR_LANGS)}))
    return {**vectors, "pages": made}
