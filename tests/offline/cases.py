"""The inputs of the shared logic vectors: conditions, one questionnaire with every question type,
routes through it and posted pages. tests/offline/vectors.py turns them into expectations with the
Python code; both runtimes must then agree with those expectations."""

from __future__ import annotations

from typing import Any

LANGS = ("de", "en", "ar", "uk")


def t(de: str, en: str, ar: str | None = None, uk: str | None = None) -> dict[str, str]:
    text = {"de": de, "en": en}
    if ar:
        text["ar"] = ar
    if uk:
        text["uk"] = uk
    return text


# --- conditions against a symbol table -------------------------------------------------------

SYMBOLS: dict[str, dict[str, Any]] = {
    "age": {"kind": "number", "codes": None},
    "wage": {"kind": "number", "codes": None},
    "rating": {"kind": "number", "codes": [1, 2, 3]},
    "country": {"kind": "text", "codes": ["DE", "SY", "UA", "AF"]},
    "name": {"kind": "text", "codes": None},
    "arrived": {"kind": "date", "codes": None},
    "langs": {"kind": "set", "codes": [1, 2, 3, 4]},
    "consent": {"kind": "bool", "codes": None},
    "trust.police": {"kind": "number", "codes": [1, 2, 3]},
    "trust.courts": {"kind": "number", "codes": [1, 2, 3]},
}

VALUES: list[dict[str, Any]] = [
    {
        "age": 30,
        "wage": 12.5,
        "rating": 2,
        "country": "SY",
        "name": "Ala'a",
        "arrived": "2016-03",
        "langs": [1, 3],
        "consent": True,
        "trust.police": 1,
        "trust.courts": 3,
    },
    {},  # nothing answered (or every answer "don't know"): comparisons are false
    {"age": 17, "wage": 0.0, "rating": 3, "country": "DE", "name": "", "arrived": "2024-12-31", "langs": [4]},
    {"age": -1, "rating": 1, "country": "UA", "arrived": "1999", "langs": [], "trust.police": 3, "trust.courts": 3},
]

CONDITIONS = [
    "age = 30",
    "age != 30",
    "age < 18",
    "age <= 17",
    "age > 17",
    "age >= 30",
    "30 = age",
    "18 > age",
    "wage >= 12.5",
    "wage = 12.50",
    "wage < 1",
    "age = -1",
    "age = ٣٠",
    "rating = 2",
    "rating = 2.0",
    "rating in (1, 3)",
    "rating not in (1, 3)",
    "country = 'SY'",
    'country != "DE"',
    "country in ('SY', 'AF')",
    "country not in ('SY', 'AF')",
    "name = 'Ala\\'a'",
    'name = "Ala\'a"',
    "name != ''",
    "name in ('x', 'Ala\\'a')",
    "arrived < '2020'",
    "arrived >= '2016-03'",
    "arrived > '2016-03-01'",
    "arrived = '2016-03'",
    "langs in (3)",
    "langs in (2, 4)",
    "langs not in (1)",
    "consent",
    "not consent",
    "consent = true",
    "consent != false",
    "true",
    "false or consent",
    "answered(age)",
    "not answered(age)",
    "answered(trust.police)",
    "answered(langs)",
    "trust.police = 1",
    "trust.police in (1, 2)",
    "trust.police = trust.courts",
    "trust.police < trust.courts",
    "age = wage",
    "age = rating",
    "age > 17 and country = 'SY' or rating = 3",
    "age > 17 and (country = 'SY' or rating = 3)",
    "not age > 17 and rating = 3",
    "not (age > 17 and rating = 3)",
    "not not consent",
    "age>17and rating=2",
    "  age  >=  30  ",
    "(((age = 30)))",
    "rating in (1,2,3) and langs in (1) and arrived < '2017' and answered(name)",
]

BAD_CONDITIONS = [
    "",
    "   ",
    "age",
    "age =",
    "age = = 3",
    "age @ 3",
    "age = 3 3",
    "(age = 3",
    "age = 3)",
    "age in 3",
    "age in (3",
    "age in (name)",
    "3 in (3)",
    "answered age",
    "answered(age",
    "answered(3)",
    "trust.",
    "trust.1 = 2",
    "age = 'x'",
    "country = 3",
    "country < 'DE'",
    "country = 'XX'",
    "country in ('DE', 'XX')",
    "rating = 4",
    "rating in (2, 5.0)",
    "langs = 1",
    "langs in ('a')",
    "langs in (5)",
    "consent < true",
    "consent in (1)",
    "arrived in ('2016')",
    "arrived < 2016",
    "arrived < '16-03'",
    "age = name",
    "3 = 3",
    "age > answered(age)",
    "answered(age) > 3",
    "(age = 3) = 3",
    "3",
    "'x'",
    "age = 3 and 4",
    "unknown = 3",
    "trust = 1",
    "name = 'unterminated",
    "name = 'ünïcödé' and age @ 1",
    "not",
    "age not 3",
]

# --- a questionnaire with every question type ----------------------------------------------

YES_NO = [{"code": 1, "label": t("Ja", "Yes", "نعم", "Так")}, {"code": 2, "label": t("Nein", "No", "لا", "Ні")}]


def question(qid: str, qtype: str, **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"id": qid, "type": qtype, "text": t(qid, qid)}
    if qtype not in ("consent", "note"):
        spec["privacy"] = "none"
    spec.update(extra)
    return spec


def page(pid: str, *questions: dict[str, Any], show_if: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"id": pid, "questions": list(questions)}
    if show_if:
        spec["show_if"] = show_if
    return spec


QUESTIONNAIRE: dict[str, Any] = {
    "format": 1,
    "id": "logic-vectors",
    "version": "1",
    "default_language": "de",
    "languages": {lang: {"reviewed": True} for lang in LANGS},
    "title": t("Logik", "Logic"),
    "pages": [
        page("consent", question("consent", "consent")),
        page(
            "person",
            question("age", "integer", min=0, max=120, refuse=True),
            question("born", "year", min=1920, max=2010, required=False),
            question("arrived", "date", precision="month", min="1950-01", max="2026-12", dont_know=True),
        ),
        page(
            "origin",
            question("country", "country", dont_know=True),
            question("mother_tongue", "language", codes=["ar", "uk", "de", "fa"], required=False),
            question("seen", "date", precision="day", required=False, max="2026-12-07"),
            question("year_only", "date", precision="year", required=False, min="1990"),
        ),
        page(
            "work",
            question("working", "single_choice", options=YES_NO, dont_know=True, refuse=True),
            question(
                "hours",
                "decimal",
                decimals=1,
                min=0,
                max=80,
                show_if="age >= 18 and age < 70",
            ),
            question("wage", "decimal", required=False, min=0.5, max=100.0),
            show_if="answered(age) and country != 'DE'",
        ),
        page(
            "job",
            question("job", "short_text", max_length=40, pattern="[A-Za-zÄÖÜäöüß -]+"),
            question(
                "postcode",
                "short_text",
                required=False,
                pattern="6\\d{4}",
                pattern_message=t(
                    "Eine Postleitzahl aus der Wetterau, wie 61169",
                    "A Wetterau postcode, like 61169",
                    "رمز بريدي من فيتراو، مثل 61169",
                    "Поштовий індекс Веттерау, як 61169",
                ),
            ),
            show_if="working = 1",
        ),
        page(
            "languages",
            question(
                "langs",
                "multiple_choice",
                options=[
                    {"code": 1, "label": t("Deutsch", "German", "الألمانية", "Німецька")},
                    {"code": 2, "label": t("Arabisch", "Arabic", "العربية", "Арабська")},
                    {"code": 3, "label": t("Ukrainisch", "Ukrainian", "الأوكرانية", "Українська")},
                    {"code": 9, "label": t("Keine", "None", "لا شيء", "Жодної"), "exclusive": True},
                ],
                min_choices=1,
                max_choices=2,
                dont_know=True,
                refuse=True,
            ),
            question("home", "dropdown", options=YES_NO, required=False),
        ),
        page(
            "langs_extra",
            question("langs_few", "multiple_choice", options=YES_NO, min_choices=2, required=False),
            show_if="langs in (2, 3)",
        ),
        page(
            "trust",
            question(
                "trust",
                "matrix",
                options=[
                    {"code": 1, "label": t("viel", "a lot")},
                    {"code": 2, "label": t("wenig", "little")},
                ],
                rows=[
                    {"id": "police", "text": t("Polizei", "Police", "الشرطة", "Поліція")},
                    {"id": "courts", "text": t("Gerichte", "Courts", "المحاكم", "Суди")},
                ],
                dont_know=True,
            ),
            question(
                "optional_grid", "matrix", options=YES_NO, rows=[{"id": "a", "text": t("A", "A")}], required=False
            ),
        ),
        page(
            "police",
            question("why_police", "long_text", max_length=100, show_if="trust.police = 2"),
            question("life", "scale", min=0, max=10, show_if="not answered(trust.courts) or trust.courts = 1"),
            question("about", "note", show_if="trust.police = trust.courts"),
        ),
        page(
            "end",
            question("note_end", "note"),
            question("comment", "long_text", required=False, dont_know=True),
        ),
    ],
}

# Stored answers (as the server keeps them) and completed pages -> route, effective answers, next page.
ROUTES: list[dict[str, Any]] = [
    {"answers": {}, "completed": []},
    {"answers": {"consent": True}, "completed": ["consent"]},
    {
        "answers": {"consent": True, "age": 30, "arrived": "2016-03", "country": "SY"},
        "completed": ["consent", "person", "origin"],
    },
    {
        "answers": {"consent": True, "age": 30, "arrived": "2016-03", "country": "DE", "working": 1},
        "completed": ["consent", "person", "origin", "work"],
    },
    {
        "answers": {"consent": True, "age": "refused", "arrived": "dont_know", "country": "dont_know"},
        "completed": ["consent", "person", "origin"],
    },
    {
        "answers": {"consent": True, "age": 75, "country": "UA", "working": 1, "hours": 20.5, "job": "Koch"},
        "completed": ["consent", "person", "origin", "work", "job"],
    },
    {
        "answers": {"consent": True, "age": 40, "country": "AF", "working": 2, "langs": [2, 3]},
        "completed": ["consent", "person", "origin", "work", "languages"],
    },
    {
        "answers": {"consent": True, "age": 40, "country": "AF", "working": "dont_know", "langs": "refused"},
        "completed": ["consent", "person", "origin", "work", "languages"],
    },
    {
        "answers": {"consent": True, "age": 40, "country": "SY", "langs": [1], "trust": {"police": 2, "courts": 2}},
        "completed": ["consent", "person", "origin", "work", "languages", "trust"],
    },
    {
        "answers": {"age": 40, "country": "SY", "langs": [9], "trust": {"police": 1, "courts": 1}},
        "completed": ["person", "origin", "work", "languages", "trust", "police", "end"],
    },
    {
        "answers": {"trust": {"police": "dont_know", "courts": "dont_know"}, "life": 7, "why_police": "x"},
        "completed": ["consent", "person", "origin", "trust"],
    },
    {
        "answers": {
            "consent": True,
            "age": 30,
            "country": "SY",
            "working": 1,
            "hours": 38,
            "job": "Pflege",
            "langs": [2],
            "langs_few": [1, 2],
            "trust": {"police": 2, "courts": 1},
            "why_police": "Erfahrung",
            "life": 8,
            "comment": "dont_know",
        },
        "completed": [
            "consent",
            "person",
            "origin",
            "work",
            "job",
            "languages",
            "langs_extra",
            "trust",
            "police",
            "end",
        ],
    },
]

# A page posted with stored answers before it -> errors, answers read, where the journey goes next.
ADULT = {"consent": True, "age": 30, "arrived": "2016-03", "country": "SY"}
DONE_TO_WORK = ["consent", "person", "origin"]


def post(
    page_id: str,
    posted: dict[str, list[str]],
    lang: str = "en",
    answers: dict[str, Any] | None = None,
    completed: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "page": page_id,
        "lang": lang,
        "answers": ADULT if answers is None else answers,
        "completed": DONE_TO_WORK if completed is None else completed,
        "posted": posted,
    }


PAGES: list[dict[str, Any]] = [
    post("consent", {}, answers={}, completed=[]),
    post("consent", {"consent": ["yes"]}, answers={}, completed=[]),
    post("consent", {}, lang="ar", answers={}, completed=[]),
    post("person", {}, answers={"consent": True}, completed=["consent"]),
    post("person", {}, lang="uk", answers={"consent": True}, completed=["consent"]),
    post(
        "person",
        {"age": ["30"], "arrived-month": ["3"], "arrived-year": ["2016"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": [" ٤٢ "], "born": ["۱۹۸۰"], "arrived-month": ["٣"], "arrived-year": ["٢٠١٦"]},
        lang="ar",
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["thirty"], "born": ["80"], "arrived-month": ["13"], "arrived-year": ["2016"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["121"], "born": ["2011"], "arrived-month": ["1"], "arrived-year": ["1949"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["-1"], "born": ["1919"], "arrived-month": ["1"], "arrived-year": ["2027"]},
        lang="de",
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["3.5"], "arrived-month": ["1"], "arrived-year": ["16"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["1 000"], "arrived-month": ["x"], "arrived-year": ["2016"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["+7"], "age-missing": ["refused"], "arrived-missing": ["dont_know"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {
            "age-missing": ["refused"],
            "arrived-month": ["2"],
            "arrived-year": ["2016"],
            "arrived-missing": ["dont_know"],
        },
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["0"], "arrived-month": ["0"], "arrived-year": ["2000"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "person",
        {"age": ["30"], "arrived-month": [""], "arrived-year": ["2016"]},
        answers={"consent": True},
        completed=["consent"],
    ),
    post("origin", {}, answers={"consent": True, "age": 30}, completed=["consent", "person"]),
    post(
        "origin",
        {
            "country": ["SY"],
            "mother_tongue": ["ar"],
            "seen-day": ["29"],
            "seen-month": ["2"],
            "seen-year": ["2024"],
            "year_only-year": ["1990"],
        },
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {
            "country": ["dont_know"],
            "seen-day": ["29"],
            "seen-month": ["2"],
            "seen-year": ["2023"],
            "year_only-year": ["1989"],
        },
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {"country": ["DE"], "seen-day": ["8"], "seen-month": ["12"], "seen-year": ["2026"], "year_only-year": ["۱۹۹۵"]},
        lang="uk",
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {"country": ["DE"], "seen-day": ["31"], "seen-month": ["4"], "seen-year": ["2020"]},
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {"country": ["UA"], "seen-day": ["7"], "seen-month": ["12"], "seen-year": ["2026"], "year_only-year": ["0999"]},
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post("work", {}),
    post("work", {}, lang="ar"),
    post("work", {"working": ["1"], "hours": ["38,5"], "wage": ["13.25"]}),
    post("work", {"working": ["2"], "hours": ["38.55"], "wage": ["١٣٫٥"]}, lang="ar"),
    post("work", {"working": ["dont_know"], "hours": ["81"], "wage": ["abc"]}),
    post("work", {"working": ["refused"], "hours": [".5"], "wage": ["-2."]}),
    post("work", {"working": ["1"]}, answers={**ADULT, "age": 80}),
    post("job", {}, answers={**ADULT, "working": 1}, completed=[*DONE_TO_WORK, "work"]),
    post(
        "job",
        {"job": ["Koch"], "postcode": ["61169"]},
        answers={**ADULT, "working": 1},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "job",
        {"job": ["Koch 2"], "postcode": ["10115"]},
        answers={**ADULT, "working": 1},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "job",
        {"job": ["Koch 2"], "postcode": ["10115"]},
        lang="ar",
        answers={**ADULT, "working": 1},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "job",
        {"job": ["  Bäcker  "], "postcode": ["6116"]},
        lang="uk",
        answers={**ADULT, "working": 1},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post("languages", {}, answers={**ADULT, "working": 2}, completed=[*DONE_TO_WORK, "work"]),
    post(
        "languages", {"langs": ["2"], "home": ["1"]}, answers={**ADULT, "working": 2}, completed=[*DONE_TO_WORK, "work"]
    ),
    post("languages", {"langs": ["1"]}, answers={**ADULT, "working": 2}, completed=[*DONE_TO_WORK, "work"]),
    post("languages", {"langs": ["1", "2", "3"]}, answers={**ADULT, "working": 2}, completed=[*DONE_TO_WORK, "work"]),
    post(
        "languages",
        {"langs": ["1", "2", "3"]},
        lang="ar",
        answers={**ADULT, "working": 2},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "languages",
        {"langs": ["1", "2", "3"]},
        lang="uk",
        answers={**ADULT, "working": 2},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "languages",
        {"langs": ["9", "1"]},
        lang="de",
        answers={**ADULT, "working": 2},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "languages",
        {"langs": ["9", "1"]},
        lang="ar",
        answers={**ADULT, "working": 2},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post("languages", {"langs": ["dont_know"]}, answers={**ADULT, "working": 2}, completed=[*DONE_TO_WORK, "work"]),
    post(
        "languages", {"langs": ["dont_know", "1"]}, answers={**ADULT, "working": 2}, completed=[*DONE_TO_WORK, "work"]
    ),
    post(
        "languages",
        {"langs": ["refused", "dont_know"]},
        lang="uk",
        answers={**ADULT, "working": 2},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "langs_extra",
        {"langs_few": ["1"]},
        answers={**ADULT, "working": 2, "langs": [2]},
        completed=[*DONE_TO_WORK, "work", "languages"],
    ),
    post(
        "langs_extra",
        {"langs_few": ["1"]},
        lang="ar",
        answers={**ADULT, "working": 2, "langs": [2]},
        completed=[*DONE_TO_WORK, "work", "languages"],
    ),
    post(
        "langs_extra", {}, answers={**ADULT, "working": 2, "langs": [3]}, completed=[*DONE_TO_WORK, "work", "languages"]
    ),
    post("trust", {}, answers={**ADULT, "working": 2, "langs": [1]}, completed=[*DONE_TO_WORK, "work", "languages"]),
    post(
        "trust",
        {"trust-police": ["1"]},
        lang="ar",
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages"],
    ),
    post(
        "trust",
        {"trust-police": ["2"], "trust-courts": ["dont_know"], "optional_grid-a": ["1"]},
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages"],
    ),
    post(
        "trust",
        {"trust-police": ["dont_know"], "trust-courts": ["dont_know"]},
        lang="uk",
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages"],
    ),
    post(
        "police",
        {},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 2, "courts": 1}},
        completed=[*DONE_TO_WORK, "work", "languages", "trust"],
    ),
    post(
        "police",
        {"why_police": ["Zu lange\r\nWartezeit"], "life": ["10"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 2, "courts": 1}},
        completed=[*DONE_TO_WORK, "work", "languages", "trust"],
    ),
    post(
        "police",
        {"life": ["0"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 1}},
        completed=[*DONE_TO_WORK, "work", "languages", "trust"],
    ),
    post(
        "end",
        {},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 2}},
        completed=[*DONE_TO_WORK, "work", "languages", "trust"],
    ),
    post(
        "end",
        {"comment": ["Danke"], "comment-missing": ["dont_know"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 2}},
        completed=[*DONE_TO_WORK, "work", "languages", "trust"],
    ),
    post(
        "end",
        {"comment-missing": ["dont_know"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 2}},
        completed=[*DONE_TO_WORK, "work", "languages", "trust"],
    ),
    # Going back: a changed answer on an earlier page hides later pages; the next page follows the new route.
    post(
        "work",
        {"working": ["2"], "hours": ["10"]},
        answers={**ADULT, "working": 1, "job": "Koch", "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "job", "languages"],
    ),
    # Limits written as decimals appear in messages as Python writes them ("100.0").
    post("work", {"working": ["2"], "hours": ["10"], "wage": ["100.5"]}),
    post("work", {"working": ["2"], "hours": ["10"], "wage": ["0,25"]}, lang="uk"),
    # Digits and spaces of other scripts.
    post(
        "person",
        {
            "age": ["３０"],
            "born": ["¹⁹⁸⁰"],
            "arrived-month": ["\u0967\u0968"],
            "arrived-year": ["\u09e8\u09e6\u09e7\u09ec"],
        },
        answers={"consent": True},
        completed=["consent"],
    ),
    post(
        "job",
        {"job": ["\u00a0Koch\u2003"], "postcode": ["6\u0661\u0661\u0666\u0669"]},
        answers={**ADULT, "working": 1},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "job",
        {"job": ["\ufeffKoch"], "postcode": ["\u200b61169"]},
        answers={**ADULT, "working": 1},
        completed=[*DONE_TO_WORK, "work"],
    ),
    post(
        "origin",
        {
            "country": ["SY"],
            "seen-day": ["\u0662\u0669"],
            "seen-month": ["\u06f2"],
            "seen-year": ["\u0662\u0660\u0662\u0664"],
        },
        lang="ar",
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
]
