"""`questionnaire import-xlsform` on public XLSForms (pyxform's fixtures, tests/data/xlsform/): the
result passes the checker, what cannot be carried over is reported with sheet, row and column, and an
imported form is answered to its thank-you page through the real pages, in Arabic, without JavaScript."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from survey.migrations import upgrade
from survey.questionnaires.cli import questionnaire as questionnaire_group
from survey.questionnaires.loader import ERROR, load_file
from survey.questionnaires.xlsform import import_form
from survey.questionnaires.xlsform.sheets import language_tag
from survey.questionnaires.xlsform.xpath import Field, XPathError, rewrite

from ..conftest import make_app
from ..journey import Respondent, complete, valid_post

FORMS = Path(__file__).parent.parent / "data" / "xlsform"
ARABIC = {
    "state": "الولاية",
    "county": "المقاطعة",
    "city": "المدينة",
    "texas": "تكساس",
    "washington": "واشنطن",
    "king": "كينغ",
    "pierce": "بيرس",
    "cameron": "كاميرون",
    "dumont": "دومونت",
    "finney": "فيني",
    "brownsville": "براونزفيل",
    "harlingen": "هارلينجن",
    "seattle": "سياتل",
    "redmond": "ريدموند",
    "tacoma": "تاكوما",
    "puyallup": "بيالوب",
}


def run_import(form: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(questionnaire_group, ["import-xlsform", str(form), "--out", str(out)])
    return result.exit_code, result.output


def arabic_form(path: Path) -> Path:
    """pyxform's cascading-select fixture with `label::Arabic (ar)` columns added, its `label` columns
    renamed `label::English (en)`, and a question with relevant, constraint and required added."""
    book = openpyxl.load_workbook(FORMS / "choice_filter_test.xlsx")
    for sheet in (book["survey"], book["choices"]):
        headers = [cell.value for cell in sheet[1]]
        label = headers.index("label") + 1
        name = headers.index("name") + 1
        sheet.cell(1, label, "label::English (en)")
        arabic = len([h for h in headers if h]) + 1
        sheet.cell(1, arabic, "label::Arabic (ar)")
        for row in range(2, sheet.max_row + 1):
            key = sheet.cell(row, name).value
            if key:
                sheet.cell(row, arabic, ARABIC[key])
    survey = book["survey"]
    headers = [cell.value for cell in survey[1]]
    for column in ("relevant", "constraint", "constraint_message::Arabic (ar)", "required"):
        survey.cell(1, len([h for h in headers if h]) + 1, column)
        headers = [cell.value for cell in survey[1]]
    row = survey.max_row + 1
    values = {
        "type": "integer",
        "name": "household_size",
        "label::English (en)": "How many people live with you?",
        "label::Arabic (ar)": "كم عدد الأشخاص الذين يعيشون معك؟",
        "relevant": "selected(${state}, 'texas')",
        "constraint": ". >= 1 and . <= 30",
        "constraint_message::Arabic (ar)": "أدخل عدداً من 1 إلى 30",
        "required": "yes",
    }
    for column, value in values.items():
        survey.cell(row, headers.index(column) + 1, value)
    book.save(path)
    return path


def test_cascading_select_fixture_imports_and_passes_the_checker(tmp_path: Path):
    code, output = run_import(FORMS / "choice_filter_test.xlsx", tmp_path / "cf.json")
    assert code == 0, output
    questionnaire, problems = load_file(tmp_path / "cf.json")
    assert questionnaire is not None and not [p for p in problems if p.severity == ERROR]
    ids = [q.id for q in questionnaire.questions()]
    assert ids == ["state", "county_texas", "county_washington", "city_king", "city_pierce", "city_cameron"]
    data = json.loads((tmp_path / "cf.json").read_text())
    shows = {q["id"]: q.get("show_if") for page in data["pages"] for q in page["questions"]}
    assert shows["county_texas"] == "state = 1"
    # King is a county of both states: its cities are asked after either.
    assert shows["city_king"] == "(county_texas = 1 or county_washington = 1)"
    assert "survey row 3 column 'choice_filter'" in output


def test_what_cannot_be_carried_over_is_reported_with_sheet_row_and_column(tmp_path: Path):
    code, output = run_import(FORMS / "xlsform_spec_test.xlsx", tmp_path / "spec.json")
    assert code == 0, output
    assert (
        "survey row 15 column 'repeat_count': '2' not imported: a fixed number of members has no equivalent; "
        "'add another?' is asked instead"
    ) in output
    assert "survey row 34 column 'type': question type 'geopoint' has no equivalent" in output
    assert "survey row 7 column 'relevant'" in output and "regex() has no equivalent" in output
    assert "survey row 9 column 'image': 'img_test.jpg' not imported" in output
    assert "settings row 2 column 'submission_url'" in output
    questionnaire, problems = load_file(tmp_path / "spec.json")
    assert questionnaire is not None and not [p for p in problems if p.severity == ERROR]
    by_id = {q.id: q for q in questionnaire.questions()}
    (roster,) = questionnaire.rosters
    assert roster.id == "repeat_test" and roster.add_another is not None
    assert [page.id for page in roster.pages][:2] == ["group_test", "labeled_select_group"]
    assert "required_text" in {q.id for page in roster.pages for q in page.questions}
    assert by_id["a_decimal"].valid_if is not None and by_id["a_decimal"].valid_if.source == "a_decimal <= a_integer"
    page_of = {q.id: page.id for page in questionnaire.pages for q in page.questions}
    # The rule reads a question of the same group: the group's page is split before it.
    assert page_of["a_decimal"] != page_of["a_integer"]
    assert questionnaire.page(page_of["my_name"]).show_if.source == "not (skip_to_end = 1)"


def test_group_becomes_a_page_with_its_title(tmp_path: Path):
    code, output = run_import(FORMS / "group.xlsx", tmp_path / "group.json")
    assert code == 0, output
    data = json.loads((tmp_path / "group.json").read_text())
    assert data["default_language"] == "en"
    father = next(page for page in data["pages"] if page["id"] == "father")
    assert father["title"] == {"en": "Father"} and [q["id"] for q in father["questions"]] == ["age"]
    assert "survey row 4 column 'type': question type 'phone number' has no equivalent" in output


def test_old_select_one_from_syntax_imports_as_a_choice_question(tmp_path: Path):
    code, output = run_import(FORMS / "yes_or_no_question.xlsx", tmp_path / "yes.json")
    assert code == 0, output
    (question,) = json.loads((tmp_path / "yes.json").read_text())["pages"][0]["questions"]
    assert question["type"] == "single_choice" and question["required"] is False
    assert question["options"] == [{"code": 1, "label": {"en": "yes"}}, {"code": 2, "label": {"en": "no"}}]


def test_unreadable_file_is_a_clear_error_and_nothing_is_written(tmp_path: Path):
    bad = tmp_path / "form.xlsx"
    bad.write_bytes(b"not a workbook")
    code, output = run_import(bad, tmp_path / "out.json")
    assert code == 1 and "not a readable XLSForm" in output and "Traceback" not in output
    assert not (tmp_path / "out.json").exists()


def test_form_with_nothing_usable_exits_non_zero_but_prints_the_report(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["geopoint", "where", "Where are you?"])
    book.save(tmp_path / "geo.xlsx")
    code, output = run_import(tmp_path / "geo.xlsx", tmp_path / "geo.json")
    assert code == 1
    assert "survey row 2 column 'type': question type 'geopoint' has no equivalent" in output
    assert not (tmp_path / "geo.json").exists()


def test_arabic_label_columns_become_language_codes(tmp_path: Path):
    data, findings, errors = import_form(arabic_form(tmp_path / "ar.xlsx"))
    assert errors == []
    assert list(data["languages"]) == ["en", "ar"]
    state = data["pages"][0]["questions"][0]
    assert state["text"] == {"en": "state", "ar": "الولاية"}
    assert state["options"][0]["label"] == {"en": "Texas", "ar": "تكساس"}
    size = next(q for page in data["pages"] for q in page["questions"] if q["id"] == "household_size")
    assert size["show_if"] == "state = 1" and size["required"] is True
    # A range check becomes min and max (the platform's own translated message is shown).
    assert (size["min"], size["max"]) == (1, 30) and "valid_if" not in size
    assert "survey row 5 column 'constraint_message': a range check has the platform's own message" in [
        str(finding) for finding in findings
    ]


@pytest.mark.parametrize(
    ("name", "tag"),
    [
        ("Arabic (ar)", "ar"),
        ("ar", "ar"),
        ("english", "en"),
        ("Dari (fa-AF)", "fa-AF"),
        ("Elvish of Wetterau", None),
        # Names ISO 639 spells otherwise, and Dari as the platform tags it
        ("Pashto", "ps"),
        ("Greek", "el"),
        ("Kurmanji", "ku"),
        ("Kurdish (Sorani)", "ckb"),
        ("Farsi", "fa"),
        ("Dari", "fa-AF"),
    ],
)
def test_language_names_and_codes(name: str, tag: str | None):
    assert language_tag(name) == tag


def test_expressions_are_rewritten_not_evaluated():
    fields = {
        "age": Field("age", "integer"),
        "langs": Field("langs", "select_multiple", {"ar": 1, "de": 2}),
        "yn": Field("yn", "select_one", {"yes": 1, "no": 2}),
        "born": Field("born", "date"),
    }
    lookup = fields.get
    assert rewrite("${age} >= 18 and selected(${langs}, 'de')", lookup) == "age >= 18 and langs in (2)"
    assert rewrite("${yn} = 'yes' or (${age} < 5 and ${age} != '')", lookup) == "yn = 1 or (age < 5 and answered(age))"
    assert rewrite("not(selected(${yn}, 'no'))", lookup) == "not (yn = 2)"
    assert rewrite("count-selected(${langs}) > 1", lookup) == "count(langs) > 1"
    assert rewrite("int(format-date(${born}, '%Y')) < 2000", lookup) == "year(born) < 2000"
    assert rewrite(". <= 120", lookup, "age") == "age <= 120"
    for source, message in [
        ("${age} div 2 > 3", "'div' has no equivalent"),
        ("${nope} = 1", "not a question that was imported"),
        ("selected(${yn}, 'maybe')", "'maybe' is not a choice of yn"),
        ("/data/age > 3", "absolute paths"),
        ("__import__('os')", "has no equivalent"),
    ]:
        with pytest.raises(XPathError, match=re.escape(message)):
            rewrite(source, lookup)


def imported_app(tmp_path: Path, form: Path, name: str) -> tuple[Any, Any]:
    """An app serving only the questionnaire imported from `form`."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(Path(__file__).parent.parent.parent / "questionnaires" / "schema.json", folder / "schema.json")
    code, output = run_import(form, folder / f"{name}.json")
    assert code == 0, output
    questionnaire, _ = load_file(folder / f"{name}.json")
    assert questionnaire is not None
    app = make_app(f"sqlite:///{tmp_path / 'survey.sqlite3'}", folder)
    upgrade(app.extensions["survey.db"].engine)
    return app, questionnaire


def test_imported_public_spec_form_is_answered_to_its_thank_you_page(tmp_path: Path):
    app, questionnaire = imported_app(tmp_path, FORMS / "xlsform_spec_test.xlsx", "spec")
    try:
        person = Respondent(app.test_client(), questionnaire.id)
        visited = complete(person, "en", questionnaire)
        # "Skip to end" answered Yes (the first choice): the 'everything' group is skipped.
        assert visited[0] == "skip_to_end" and not any(page.startswith("everything") for page in visited)
        done = person.submit()
        assert done.status_code == 303 and person.get(done.location).status_code == 200
        person = Respondent(app.test_client(), questionnaire.id)
        visited = complete(person, "zh", questionnaire, lambda q: valid_post(q, pick=1))
        assert "everything" in visited and "everything_3" in visited  # split before the rule reading a_integer
        assert 'lang="zh"' in person.page("everything_2").data.decode()
        assert person.submit().status_code == 303
    finally:
        app.extensions["survey.db"].dispose()


def test_imported_arabic_form_is_answered_to_its_thank_you_page_without_javascript(tmp_path: Path):
    app, questionnaire = imported_app(tmp_path, arabic_form(tmp_path / "ar.xlsx"), "cascading")
    try:
        person = Respondent(app.test_client(), questionnaire.id)
        # Texas (code 1), then its first county, King (code 1): King's cities follow.
        visited = complete(person, "ar", questionnaire)
        assert visited == ["state", "county_texas", "city_king", "household_size"]
        page = person.page("city_king").data.decode()
        assert 'lang="ar"' in page and 'dir="rtl"' in page and "سياتل" in page
        done = person.submit()
        assert done.status_code == 303 and done.location.endswith(f"/{questionnaire.id}/done")
        assert person.get(done.location).status_code == 200
    finally:
        app.extensions["survey.db"].dispose()


def test_the_example_of_the_format_docs_imports_as_documented(tmp_path: Path):
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Arabic (ar)", "relevant", "constraint", "required"])
    survey.append(["select_one yes_no", "working", "Are you working?", "هل تعمل؟", None, None, "yes"])
    survey.append(["begin_group", "job", "Your job", "عملك", "${working} = 'yes'", None, None])
    survey.append(["integer", "hours", "Hours a week?", "كم ساعة في الأسبوع؟", None, ". >= 1 and . <= 80", "yes"])
    survey.append(["end_group"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Arabic (ar)"])
    choices.append(["yes_no", "yes", "Yes", "نعم"])
    choices.append(["yes_no", "no", "No", "لا"])
    book.save(tmp_path / "small.xlsx")
    code, output = run_import(tmp_path / "small.xlsx", tmp_path / "small.json")
    assert code == 0 and "0 thing(s) not carried over" in output, output
    working, job = json.loads((tmp_path / "small.json").read_text())["pages"]
    assert working["questions"][0]["options"][0] == {"code": 1, "label": {"en": "Yes", "ar": "نعم"}}
    assert job["title"] == {"en": "Your job", "ar": "عملك"} and job["show_if"] == "working = 1"
    assert job["questions"][0] | {"text": None} == {
        "id": "hours",
        "type": "integer",
        "text": None,
        "privacy": "none",
        "required": True,
        "min": 1,
        "max": 80,
    }


def workbook(path: Path, survey: list[list], choices: list[list] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("survey", "choices", "code", "reported"),
    [
        ([["type", "label"], ["text", "What?"]], None, 1, "survey row 2 column 'name': a question needs a name"),
        (
            [["type", "name", "label"], ["text", "a", "A"], ["text", "a", "A again"]],
            None,
            0,
            "survey row 3 column 'name': 'a' is the name of an earlier row: row left out",
        ),
        (
            [["type", "name", "label"], ["select_one nolist", "a", "A"], ["text", "b", "B"]],
            [["list_name", "name", "label"], ["yn", "1", "Yes"]],
            0,
            "survey row 2 column 'type': choice list 'nolist' is not on the choices sheet",
        ),
        (
            [["type", "name", "label", "relevant"], ["text", "a", "A", "${b} > 3"], ["integer", "b", "B", None]],
            None,
            0,
            "survey row 2 column 'relevant': a: left out: condition 'b > 3': 'b' comes later in the questionnaire",
        ),
        (
            [["type", "name", "label", "constraint"], ["integer", "a", "A", "((("]],
            None,
            0,
            "survey row 2 column 'constraint': '(((' not imported: unexpected 'end of expression'",
        ),
        (
            [
                ["type", "name", "label", "calculation"],
                ["integer", "a", "A", None],
                ["calculate", "h", None, "${a} div 2"],
            ],
            None,
            0,
            "survey row 3 column 'calculation': '${a} div 2' not imported: 'div' has no equivalent",
        ),
    ],
)
def test_malformed_forms_are_reported_by_cell_never_with_a_traceback(tmp_path: Path, survey, choices, code, reported):
    exit_code, output = run_import(workbook(tmp_path / "form.xlsx", survey, choices), tmp_path / "out.json")
    assert exit_code == code and reported in output and "Traceback" not in output, output
    if code == 0:
        questionnaire, problems = load_file(tmp_path / "out.json")
        assert questionnaire is not None and not [p for p in problems if p.severity == ERROR]
    else:
        assert "nothing usable" in output and not (tmp_path / "out.json").exists()
