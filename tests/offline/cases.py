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
    "birth": {"kind": "date", "codes": None},
    # A roster: conditions read its members through any(), all() and count(); inside them a name is
    # the member's answer first, else the rest of the questionnaire's.
    "household": {
        "kind": "members",
        "codes": None,
        "members": {"m_age": {"kind": "number", "codes": None}, "m_sex": {"kind": "number", "codes": [1, 2]}},
    },
}
# The interview date, as evaluation asks for it (survey/questionnaires/values.TODAY).
TODAY = "@today"

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
        "birth": "1996-12-08",
        "household": [{"m_age": 40, "m_sex": 1}, {"m_age": 5, "m_sex": 2}],
        TODAY: "2026-12-07",
    },
    {},  # nothing answered (or every answer "don't know"): comparisons are false; no date either
    {
        "age": 17,
        "wage": 0.0,
        "rating": 3,
        "country": "DE",
        "name": "",
        "arrived": "2024-12-31",
        "langs": [4],
        "birth": "2008-12-07",
        "household": [],
        TODAY: "2026-12-07",
    },
    {
        "age": -1,
        "rating": 1,
        "country": "UA",
        "arrived": "1999",
        "langs": [],
        "trust.police": 3,
        "trust.courts": 3,
        "birth": "2000-02",
        "household": [{"m_age": 70}, {"m_sex": 2}, {"m_age": 17, "m_sex": 1}],
        TODAY: "2027-01-31",
    },
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
    # Arithmetic: + - * on numbers, precedence, unary minus; unanswered in, unanswered out.
    "age + 1 > 30",
    "age - 1 = 29",
    "age * 2 >= 60",
    "age + 2 * 3 = 36",
    "(age + 2) * 3 = 96",
    "age - 3 - 4 = 23",
    "-age < 0",
    "- age = -30",
    "age - -1 = 31",
    "age-1=29",
    "wage * 3 = 37.5",
    "wage * 0 + 0.1 = 0.1",
    "wage + 0.1 + 0.2 > wage + 0.3",
    "age * 2 = wage * 4 + 10",
    "age + wage > 0 or not answered(wage)",
    "trust.police + trust.courts = 4",
    # Functions over dates, the interview date and sets of options.
    "year(arrived) = 2016",
    "year(arrived) < 2000",
    "month(arrived) = 3",
    "month(arrived) = 12",
    "not month(arrived) = 12",
    "year(today()) - year(arrived) = 10",
    "today() > arrived",
    "today() = '2026-12-07'",
    "year(today()) = 2026",
    "month(today()) = 12",
    "years_between(birth, today()) >= 18",
    "years_between(birth, today()) = 29",
    "years_between(arrived, today()) = 10",
    "years_between(birth, arrived) < 20",
    "count(langs) = 2",
    "count(langs) > 0",
    "count(langs) = 0",
    "count(langs) + age = 32",
    # Rosters: any/all over the members (all of none holds), count of members.
    "any(household, m_age < 18)",
    "all(household, m_age >= 18)",
    "not any(household, m_sex = 2)",
    "any(household, m_age > age)",
    "all(household, answered(m_age))",
    "any(household, m_age + 10 > age and m_sex = 1)",
    "any(household, m_age < 18) = true",
    "all(household, m_sex in (1))",
    "count(household) = 2",
    "count(household) >= 1",
    "count(household) * 2 = 6",
    "answered(household)",
    "any(household, years_between(birth, today()) > m_age)",
    # Compiles in Python: a calculation needs no question; a list may hold a negated number in brackets.
    "3 + 4 = 7",
    "age in (-(3), 4)",
]

# Computed values: each worked out under each set of values (None: unknown), and its kind.
CALCULATIONS = [
    "age + 1",
    "year(today()) - year(arrived)",
    "years_between(birth, today())",
    "age * 2 + 1",
    "wage * 3",
    "wage - age",
    "wage + 0.1 + 0.2",
    "age * 0.1",
    # Shown with two decimals at most, halfway cases to the even digit as Python formats them.
    "wage - 12.375",
    "wage - 12.125",
    "wage * 0.001",
    "wage * 1000000000000000000000",
    "-age",
    "age >= 18",
    "age >= 18 and country = 'SY'",
    "answered(age) and age >= 18",
    "not answered(age)",
    "count(langs)",
    "count(household)",
    "any(household, m_age < 18)",
    "all(household, m_age < 18)",
    "month(arrived)",
    "today()",
    "country",
    "consent",
    "arrived",
    "trust.police * 10",
    "3",
    "'x'",
]

BAD_CALCULATIONS = [
    "langs",
    "household",
    "age +",
    "year(age)",
    "years_between(arrived)",
    "nope()",
    "age / 2",
    "count(age)",
    "country + 1",
    "'a' + 1",
    "today(1)",
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
    "age + 1",
    "year(arrived)",
    "count(langs)",
    "age + 'x' = 3",
    "year(arrived) = 'x'",
    "today() < 2016",
    "today() < '16'",
    "age + 1 = name",
    "age + 1 = today()",
    "any(household, m_age)",
    "any(household, nope = 1)",
    "any(household)",
    "any(age, m_age = 1)",
    "any(3, m_age = 1)",
    "all(household, m_age > 1",
    "household = 1",
    "household in (1)",
    "count(household, 1) = 1",
    "age * * 2 = 1",
    "age / 2 = 1",
    "month() = 1",
    "years_between(arrived, age) = 1",
    "x(1) = 1",
    "-consent",
    "age = -'x'",
    "langs + 1 = 2",
    "count(household) = 'x'",
    "age in (1 + 2)",
    "year(arrived) in (2016)",
    # Python's own whitespace and repr(): U+FEFF and U+200B are characters, not spaces; U+00A0 is one.
    "age = 1\ufeff",
    "age \u200b= 1",
    "age = 1 \u00a0/",
    "name = 'x' 'a\u200bb'",
    "name = 'x' \"it's\"",
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
    "computed": [
        {"id": "age_next", "value": "age + 1", "label": t("Alter nächstes Jahr", "Age next year"), "privacy": "none"},
        {
            "id": "years_here",
            "value": "year(today()) - year(arrived)",
            "label": t("Jahre hier", "Years here"),
            "privacy": "none",
        },
        {"id": "adult", "value": "age_next > 18", "label": t("Volljährig", "Adult"), "privacy": "none"},
    ],
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
            question(
                "year_only",
                "date",
                precision="year",
                required=False,
                min="1990",
                valid_if="year_only <= today() and years_between(year_only, today()) < age",
                invalid_message=t(
                    "Ein Jahr vor heute und nach Ihrer Geburt",
                    "A year before today and after your birth",
                    "سنة قبل اليوم وبعد ولادتك",
                    "Рік до сьогодні й після вашого народження",
                ),
            ),
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
            question(
                "wage",
                "decimal",
                required=False,
                min=0.5,
                max=100.0,
                # A rule over the answer and an earlier one; its message exists in two languages only.
                valid_if="wage * 10 >= age or age_next < 19",
                invalid_message=t("Der Lohn ist zu niedrig für das Alter", "The wage does not fit the age"),
            ),
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
        # Filtered lists: only the languages chosen before (never the exclusive "None").
        page(
            "best",
            question("best_lang", "single_choice", options_from="langs", dont_know=True),
            question(
                "used_langs",
                "multiple_choice",
                options_from="langs",
                required=False,
                show_if="count(langs) >= 2",
            ),
            question("spoken", "dropdown", options_from="langs", required=False, refuse=True),
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
            question("old_note", "note", show_if="adult and years_here >= 10"),
            question("young_note", "note", show_if="age_next * 2 < 40 or not answered(age)"),
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
            "best_lang": 2,
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

# Filtered lists and computed values: answers a narrowed list no longer offers are dropped; a list
# with nothing left is not asked; computed values follow the effective answers and the date.
LISTED = {"consent": True, "age": 30, "arrived": "2000-01", "country": "SY", "working": 2}
ROUTES += [
    {
        "answers": {**LISTED, "langs": [2, 3], "best_lang": 3, "used_langs": [2, 3], "spoken": "refused"},
        "completed": ["consent", "person", "origin", "work", "languages", "best"],
    },
    {
        "answers": {**LISTED, "langs": [2], "best_lang": 3, "used_langs": [2], "spoken": 2},
        "completed": ["consent", "person", "origin", "work", "languages", "best"],
    },
    {
        "answers": {**LISTED, "langs": [9], "best_lang": 9},
        "completed": ["consent", "person", "origin", "work", "languages"],
    },
    {"answers": {**LISTED, "langs": [1, 9], "best_lang": 1, "spoken": 9}, "completed": []},
    {"answers": {**LISTED, "langs": "dont_know", "best_lang": "dont_know"}, "completed": []},
    {"answers": {**LISTED, "langs": [1, 2], "best_lang": "dont_know", "used_langs": [1, 3]}, "completed": []},
    {"answers": {**LISTED, "age": 17, "arrived": "2016-03"}, "completed": []},
    {"answers": {**LISTED, "age": 40, "arrived": "2010-05"}, "completed": []},
    {"answers": {**LISTED, "age": "refused", "arrived": "dont_know"}, "completed": []},
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
    tampered: bool = False,
) -> dict[str, Any]:
    case = {
        "page": page_id,
        "lang": lang,
        "answers": ADULT if answers is None else answers,
        "completed": DONE_TO_WORK if completed is None else completed,
        "posted": posted,
    }
    return {**case, "tampered": True} if tampered else case


LISTED_DONE = ["consent", "person", "origin", "work", "languages"]


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
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "langs_extra",
        {"langs_few": ["1"]},
        lang="ar",
        answers={**ADULT, "working": 2, "langs": [2]},
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "langs_extra",
        {},
        answers={**ADULT, "working": 2, "langs": [3]},
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "trust",
        {},
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "trust",
        {"trust-police": ["1"]},
        lang="ar",
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "trust",
        {"trust-police": ["2"], "trust-courts": ["dont_know"], "optional_grid-a": ["1"]},
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "trust",
        {"trust-police": ["dont_know"], "trust-courts": ["dont_know"]},
        lang="uk",
        answers={**ADULT, "working": 2, "langs": [1]},
        completed=[*DONE_TO_WORK, "work", "languages", "best"],
    ),
    post(
        "police",
        {},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 2, "courts": 1}},
        completed=[*DONE_TO_WORK, "work", "languages", "best", "trust"],
    ),
    post(
        "police",
        {"why_police": ["Zu lange\r\nWartezeit"], "life": ["10"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 2, "courts": 1}},
        completed=[*DONE_TO_WORK, "work", "languages", "best", "trust"],
    ),
    post(
        "police",
        {"life": ["0"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 1}},
        completed=[*DONE_TO_WORK, "work", "languages", "best", "trust"],
    ),
    post(
        "end",
        {},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 2}},
        completed=[*DONE_TO_WORK, "work", "languages", "best", "trust"],
    ),
    post(
        "end",
        {"comment": ["Danke"], "comment-missing": ["dont_know"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 2}},
        completed=[*DONE_TO_WORK, "work", "languages", "best", "trust"],
    ),
    post(
        "end",
        {"comment-missing": ["dont_know"]},
        answers={**ADULT, "working": 2, "langs": [1], "trust": {"police": 1, "courts": 2}},
        completed=[*DONE_TO_WORK, "work", "languages", "best", "trust"],
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
    # Filtered lists: the options chosen before; a code the page does not offer is refused outright.
    post(
        "best",
        {"best_lang": ["3"], "used_langs": ["2", "3"]},
        answers={**LISTED, "langs": [2, 3]},
        completed=LISTED_DONE,
    ),
    post("best", {}, answers={**LISTED, "langs": [2, 3]}, completed=LISTED_DONE),
    post("best", {}, lang="ar", answers={**LISTED, "langs": [1, 2]}, completed=LISTED_DONE),
    post(
        "best",
        {"best_lang": ["dont_know"], "spoken": ["refused"]},
        answers={**LISTED, "langs": [2]},
        completed=LISTED_DONE,
    ),
    post(
        "best",
        {"best_lang": ["1"], "spoken": ["1"]},
        lang="uk",
        answers={**LISTED, "langs": [1, 9]},
        completed=LISTED_DONE,
    ),
    post("best", {"best_lang": ["1"]}, answers={**LISTED, "langs": [2, 3]}, completed=LISTED_DONE, tampered=True),
    post(
        "best",
        {"best_lang": ["2"], "used_langs": ["2", "9"]},
        answers={**LISTED, "langs": [2, 3]},
        completed=LISTED_DONE,
        tampered=True,
    ),
    post("best", {"best_lang": ["refused"]}, answers={**LISTED, "langs": [2, 3]}, completed=LISTED_DONE, tampered=True),
    post(
        "best",
        {"best_lang": ["2"], "spoken": ["2", "3"]},
        answers={**LISTED, "langs": [2, 3]},
        completed=LISTED_DONE,
        tampered=True,
    ),
    # valid_if: checked once the fields are fine, its message in the respondent's language or the
    # questionnaire's default one; not checked while a value it reads is unknown.
    post("work", {"working": ["2"], "hours": ["10"], "wage": ["2"]}),
    post("work", {"working": ["2"], "hours": ["10"], "wage": ["2"]}, lang="de"),
    post("work", {"working": ["2"], "hours": ["10"], "wage": ["2"]}, lang="ar"),
    post("work", {"hours": ["10"], "wage": ["2"]}, lang="uk"),
    post("work", {"working": ["2"], "wage": ["2"]}, answers={**ADULT, "age": 17}),
    post("work", {"working": ["2"], "hours": ["10"], "wage": ["3"]}),
    post(
        "origin",
        {"country": ["SY"], "year_only-year": ["2027"]},
        lang="ar",
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {"country": ["SY"], "year_only-year": ["1995"]},
        lang="uk",
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {"country": ["SY"], "year_only-year": ["2000"]},
        answers={"consent": True, "age": 30},
        completed=["consent", "person"],
    ),
    post(
        "origin",
        {"country": ["SY"], "year_only-year": ["1995"]},
        answers={"consent": True, "age": "refused"},
        completed=["consent", "person"],
    ),
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
