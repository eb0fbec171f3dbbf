"""`questionnaire export-xlsform`: the other way, a report of what ODK cannot express, pyxform turns the
result into an XForm, and exporting then importing gives the same questions, options and conditions."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from pyxform.xls2xform import convert

from survey.questionnaires.cli import questionnaire as questionnaire_group
from survey.questionnaires.grammar import parse
from survey.questionnaires.loader import load_file

ROOT = Path(__file__).parent.parent.parent
EVERY_TYPE = ROOT / "tests" / "data" / "questionnaires" / "every-type.json"

TEXT = {"de": "Frage", "ar": "سؤال"}


def option(code: int, de: str, ar: str) -> dict[str, Any]:
    return {"code": code, "label": {"de": de, "ar": ar}}


ROUND_TRIP: dict[str, Any] = {
    "format": 1,
    "id": "round-trip",
    "version": "1.2",
    "default_language": "de",
    "languages": {"de": {"reviewed": True}, "ar": {"reviewed": False}},
    "title": {"de": "Hin und zurück", "ar": "ذهاب وإياب"},
    "pages": [
        {"id": "consent", "questions": [{"id": "consent", "type": "consent", "text": TEXT}]},
        {
            "id": "person",
            "title": {"de": "Zur Person", "ar": "عنك"},
            "questions": [
                {"id": "birth_year", "type": "integer", "min": 1920, "max": 2010, "privacy": "quasi", "text": TEXT},
                {
                    "id": "born",
                    "type": "date",
                    "precision": "month",
                    "privacy": "quasi",
                    "text": TEXT,
                    "required": False,
                },
            ],
        },
        {
            "id": "langs",
            "questions": [
                {
                    "id": "languages",
                    "type": "multiple_choice",
                    "privacy": "none",
                    "text": TEXT,
                    "options": [
                        option(1, "Arabisch", "العربية"),
                        option(2, "Deutsch", "الألمانية"),
                        option(7, "Dari", "الدارية"),
                    ],
                }
            ],
        },
        {
            "id": "work",
            "show_if": "birth_year < 2008 and (languages in (1, 7) or not answered(born))",
            "questions": [
                {
                    "id": "working",
                    "type": "single_choice",
                    "privacy": "none",
                    "text": {"de": "Arbeiten Sie, {{birth_year}}?", "ar": "هل تعمل؟"},
                    "help": {"de": "Hilfe", "ar": "مساعدة"},
                    "options": [option(1, "Ja", "نعم"), option(2, "Nein", "لا")],
                }
            ],
        },
        {
            "id": "details",
            "questions": [
                {"id": "best", "type": "single_choice", "privacy": "none", "options_from": "languages", "text": TEXT},
                {
                    "id": "hours",
                    "type": "decimal",
                    "privacy": "none",
                    "text": TEXT,
                    "show_if": "working = 1 and count(languages) >= 2",
                    "valid_if": "hours * 2 <= age + 40",
                    "invalid_message": {"de": "Zu viele Stunden", "ar": "ساعات كثيرة جداً"},
                    "required": False,
                },
                {
                    "id": "remark",
                    "type": "long_text",
                    "privacy": "free_text",
                    "text": TEXT,
                    "show_if": "not (working = 2)",
                },
            ],
        },
        {"id": "end", "questions": [{"id": "bye", "type": "note", "text": {"de": "Danke", "ar": "شكراً"}}]},
        {
            "id": "size",
            "questions": [{"id": "hh_size", "type": "integer", "min": 1, "max": 6, "privacy": "quasi", "text": TEXT}],
        },
        {
            "roster": {
                "id": "members",
                "title": {"de": "Haushaltsmitglieder", "ar": "أفراد الأسرة"},
                "count": "hh_size",
                "pages": [
                    {
                        "id": "member",
                        "questions": [
                            {"id": "member_name", "type": "short_text", "privacy": "direct", "text": TEXT},
                            {"id": "member_age", "type": "integer", "privacy": "quasi", "text": TEXT},
                        ],
                    },
                    {
                        "id": "member_work",
                        "show_if": "member_age >= 15",
                        "questions": [
                            {
                                "id": "member_works",
                                "type": "single_choice",
                                "privacy": "none",
                                "text": {"de": "Arbeitet {{member_name}}?", "ar": "هل يعمل {{member_name}}؟"},
                                "options": [option(1, "Ja", "نعم"), option(2, "Nein", "لا")],
                            }
                        ],
                    },
                ],
            }
        },
        {
            "id": "big",
            "show_if": "count(members) >= 2",
            "questions": [{"id": "big_note", "type": "note", "text": TEXT}],
        },
    ],
    "computed": [
        {
            "id": "age",
            "value": "year(today()) - birth_year",
            "privacy": "quasi",
            "label": {"de": "Alter", "ar": "العمر"},
        },
    ],
}


def invoke(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(questionnaire_group, list(arguments))
    return result.exit_code, result.output


def shape(node: Any) -> Any:
    """A syntax tree without character positions, to compare two spellings of one condition."""
    if dataclasses.is_dataclass(node):
        return (
            type(node).__name__,
            *tuple(shape(getattr(node, f.name)) for f in dataclasses.fields(node) if f.name != "position"),
        )
    if isinstance(node, tuple):
        return tuple(shape(item) for item in node)
    return node


def all_pages(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [page for item in data["pages"] for page in (item["roster"]["pages"] if "roster" in item else [item])]


def questions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for page in all_pages(data) for q in page["questions"]}


def test_export_then_import_gives_the_same_questions_options_and_conditions(tmp_path: Path):
    source = tmp_path / "round-trip.json"
    source.write_text(json.dumps(ROUND_TRIP, ensure_ascii=False), encoding="utf-8")
    code, output = invoke("export-xlsform", str(source), "--out", str(tmp_path / "form.xlsx"))
    assert code == 0, output
    assert "0 thing(s) ODK cannot express" in output
    code, output = invoke("import-xlsform", str(tmp_path / "form.xlsx"), "--out", str(tmp_path / "back.json"))
    assert code == 0, output
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert load_file(tmp_path / "back.json")[0] is not None
    assert (back["id"], back["version"], back["default_language"], list(back["languages"])) == (
        "round-trip",
        "1.2",
        "de",
        ["de", "ar"],
    )
    assert [page["id"] for page in all_pages(back)] == [page["id"] for page in all_pages(ROUND_TRIP)]
    # The roster came back as a roster: its id, title, count and pages (a repeat with `${hh_size}`).
    roster, expected = back["pages"][7]["roster"], ROUND_TRIP["pages"][7]["roster"]
    assert {key: roster[key] for key in ("id", "title", "count")} == {
        key: expected[key] for key in ("id", "title", "count")
    }
    assert [page["id"] for page in roster["pages"]] == ["member", "member_work"]
    assert roster["pages"][1]["show_if"] == "member_age >= 15"
    assert back["pages"][8]["show_if"] == "count(members) >= 2"
    before, after = questions(ROUND_TRIP), questions(back)
    assert list(after) == list(before)
    for qid, question in before.items():
        again = after[qid]
        for key in (
            "type",
            "text",
            "help",
            "options",
            "options_from",
            "min",
            "max",
            "precision",
            "privacy",
            "invalid_message",
        ):
            assert again.get(key) == question.get(key), (qid, key)
        assert again.get("required", True) == question.get("required", True) or question["type"] == "note", qid
        for key in ("show_if", "valid_if"):
            assert (shape(parse(again[key])) if key in again else None) == (
                shape(parse(question[key])) if key in question else None
            ), (qid, key)
    assert shape(parse(back["pages"][3]["show_if"])) == shape(parse(ROUND_TRIP["pages"][3]["show_if"]))
    assert back["pages"][1]["title"] == ROUND_TRIP["pages"][1]["title"]
    assert [(v["id"], shape(parse(v["value"])), v["label"]) for v in back["computed"]] == [
        (v["id"], shape(parse(v["value"])), v["label"]) for v in ROUND_TRIP["computed"]
    ]


def test_exported_form_has_language_columns_and_pyxform_makes_an_xform_of_it(tmp_path: Path):
    source = tmp_path / "round-trip.json"
    source.write_text(json.dumps(ROUND_TRIP, ensure_ascii=False), encoding="utf-8")
    invoke("export-xlsform", str(source), "--out", str(tmp_path / "form.xlsx"))
    survey = openpyxl.load_workbook(tmp_path / "form.xlsx")["survey"]
    headers = [cell.value for cell in survey[1]]
    assert "label::Arabic (ar)" in headers and "label::German (de)" in headers
    rows = [dict(zip(headers, (cell.value for cell in row), strict=True)) for row in survey.iter_rows(min_row=2)]
    hours = next(row for row in rows if row["name"] == "hours")
    assert hours["relevant"] == "${working} = '1' and count-selected(${languages}) >= 2"
    assert hours["constraint"] == ". * 2 <= ${age} + 40"
    work = next(row for row in rows if row["name"] == "work")
    assert work["relevant"] == (
        "${birth_year} < 2008 and ((selected(${languages}, '1') or selected(${languages}, '7')) or not(${born} != ''))"
    )
    members = next(row for row in rows if row["name"] == "members")
    assert (members["type"], members["repeat_count"]) == ("begin_repeat", "${hh_size}")
    assert [row["type"] for row in rows].count("end_repeat") == 1
    assert next(row for row in rows if row["name"] == "big")["relevant"] == "count(${members}) >= 2"
    result = convert(xlsform=str(tmp_path / "form.xlsx"), validate=False)
    assert "<h:html" in result.xform and "jr:constraintMsg" in result.xform
    assert '<repeat nodeset="/data/members" jr:count=" /data/size/hh_size ">' in result.xform


def test_what_odk_cannot_express_is_reported_by_json_pointer(tmp_path: Path):
    code, output = invoke("export-xlsform", str(EVERY_TYPE), "--out", str(tmp_path / "every.xlsx"))
    assert code == 0, output
    assert "/pages/10/questions/0/type: a matrix is exported as one question per row" in output
    assert "/pages/1/questions/0/refuse: not expressible in XLSForm" in output
    code, output = invoke("import-xlsform", str(tmp_path / "every.xlsx"), "--out", str(tmp_path / "back.json"))
    assert code == 0, output


def test_questionnaire_with_errors_is_not_exported(tmp_path: Path):
    broken = dict(ROUND_TRIP, pages=[{"id": "p", "questions": [{"id": "x", "type": "integer", "text": TEXT}]}])
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(broken), encoding="utf-8")
    code, output = invoke("export-xlsform", str(source), "--out", str(tmp_path / "form.xlsx"))
    assert code == 1 and "fix them before exporting" in output and "Traceback" not in output
    assert not (tmp_path / "form.xlsx").exists()


def test_the_study_goes_out_to_odk_and_comes_back_with_its_pages(tmp_path: Path):
    code, output = invoke(
        "export-xlsform",
        str(ROOT / "questionnaires" / "wetterau-integration.json"),
        "--out",
        str(tmp_path / "study.xlsx"),
    )
    assert code == 0, output
    assert "/pages/5/questions/0/calendars: ODK asks dates in the Gregorian calendar only" in output  # arrival year
    # XLSForm names are unique across groups and questions: pyxform accepts the form as it is.
    result = convert(xlsform=str(tmp_path / "study.xlsx"), validate=False)
    assert "<h:html" in result.xform and not any("refuse" in warning for warning in result.warnings)
    code, output = invoke("import-xlsform", str(tmp_path / "study.xlsx"), "--out", str(tmp_path / "back.json"))
    assert code == 0 and "pyxform" not in output, output
    study = json.loads((ROOT / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8"))
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert len(back["pages"]) == len(study["pages"]) and list(back["languages"]) == list(study["languages"])
    assert load_file(tmp_path / "back.json")[0] is not None
