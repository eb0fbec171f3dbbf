"""XLSForm repeats imported as rosters: pyxform's public spec form (a repeat without a count) and a form
whose repeat_count is an earlier integer question are imported, pass the checker, and are answered
through the real pages with two members, whose answers the sealed response keeps as two members."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from survey.questionnaires.loader import ERROR, load_file
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import private_keys
from ..journey import Respondent, shown_questions, valid_post
from .test_xlsform_import import FORMS, imported_app, run_import, workbook

HOUSEHOLD = [
    ["type", "name", "label::English (en)", "label::German (de)", "repeat_count", "relevant", "constraint"],
    ["integer", "hh_size", "How many people live here?", "Wie viele Personen leben hier?", None, None, ". <= 6"],
    ["begin_repeat", "person", "People", "Personen", "${hh_size}", None, None],
    ["text", "first_name", "First name", "Vorname", None, None, None],
    ["integer", "age", "How old is ${first_name}?", "Wie alt ist ${first_name}?", None, None, ". <= 120"],
    ["begin_group", "job", "Work", "Arbeit", None, "${age} >= 15", None],
    ["select_one yn", "works", "Does ${first_name} work?", "Arbeitet ${first_name}?", None, None, None],
    ["end_group"],
    ["end_repeat"],
    ["note", "big", "A big household", "Ein großer Haushalt", None, "count(${person}) >= 2", None],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::German (de)"],
    ["yn", "yes", "Yes", "Ja"],
    ["yn", "no", "No", "Nein"],
]


def walk(person: Respondent, language: str, questionnaire: Any, members: int, answer: Any) -> dict[str, str]:
    """Answer every page the flow shows until the review, answering "add another?" yes until there
    are `members` members; returns each visited page's HTML by page id, in order."""
    visited: dict[str, str] = {}
    step = person.start(language)
    while step not in ("review", "done"):
        page = questionnaire.page(step)
        html = visited[step] = person.page(step).data.decode()
        if page.adds_member:
            (question,) = page.questions
            data = valid_post(question, pick=0 if page.member < members else 1)
        else:
            data = [pair for q in shown_questions(html, page) for pair in answer(q, page)]
        response = person.post(f"/{person.qid}/p/{step}", data)
        assert response.status_code == 303, f"{step}: {response.data.decode()[:2000]}"
        step = person.follow(response)
    return visited


def stored(app: Any) -> list[dict[str, Any]]:
    with Session(app.extensions["survey.db"].engine) as session:
        rows = session.query(SealedResponse).all()
        return [
            unseal_response(r.id, r.questionnaire_id, r.questionnaire_version, r.content, private_keys())["answers"]
            for r in rows
        ]


def test_public_spec_form_repeat_is_a_roster_answered_with_two_members(tmp_path: Path):
    app, questionnaire = imported_app(tmp_path, FORMS / "xlsform_spec_test.xlsx", "spec")
    try:
        (roster,) = questionnaire.rosters
        assert roster.id == "repeat_test" and roster.count is None and roster.add_another is not None
        person = Respondent(app.test_client(), questionnaire.id)
        visited = walk(person, "zh", questionnaire, 2, lambda q, page: valid_post(q, pick=1))
        # "add another?" before the first member and after each: yes, yes, then no after member 2.
        assert [step for step in visited if step.startswith("repeat_test.")] == [
            "repeat_test.0",
            "repeat_test.1",
            "repeat_test.2",
        ]
        assert "group_test.1" in visited and "group_test.2" in visited and "group_test.3" not in visited
        html = visited["repeat_test.1"]
        assert 'lang="zh"' in html and "是否要添加（另一位）成员？" in html
        assert person.submit().status_code == 303
        (answers,) = stored(app)
        assert len(answers["repeat_test"]) == 2
        for member in answers["repeat_test"]:
            assert member["required_text"] == "Antwort ohne Ziffern"
    finally:
        app.extensions["survey.db"].dispose()


def test_repeat_count_from_an_integer_question_is_the_roster_count(tmp_path: Path):
    form = workbook(tmp_path / "household.xlsx", HOUSEHOLD, CHOICES)
    app, questionnaire = imported_app(tmp_path, form, "household")
    try:
        data = json.loads((tmp_path / "questionnaires" / "household.json").read_text(encoding="utf-8"))
        roster = data["pages"][1]["roster"]
        assert (roster["id"], roster["title"], roster["count"]) == (
            "person",
            {"en": "People", "de": "Personen"},
            "hh_size",
        )
        assert [page["id"] for page in roster["pages"]] == ["first_name", "age", "job"]
        assert roster["name"] == "first_name"  # the first text question names the member on the review
        assert roster["pages"][2]["show_if"] == "age >= 15" and roster["pages"][2]["title"]["de"] == "Arbeit"
        assert roster["pages"][1]["questions"][0]["text"]["de"] == "Wie alt ist {{first_name}}?"
        assert data["pages"][2]["questions"][0]["show_if"] == "count(person) >= 2"
        people = {1: ("Anna", "41", "1"), 2: ("Ben", "3", "2")}

        def answer(question: Any, page: Any) -> list[tuple[str, str]]:
            if question.id == "hh_size":
                return [("hh_size", "2")]
            name, age, works = people[page.member]
            return {"first_name": [("first_name", name)], "age": [("age", age)], "works": [("works", works)]}[
                question.id
            ]

        person = Respondent(app.test_client(), questionnaire.id)
        visited = walk(person, "de", questionnaire, 2, answer)
        # Ben is 3: his work page is skipped; two members make the household big.
        assert list(visited) == ["hh_size", "first_name.1", "age.1", "job.1", "first_name.2", "age.2", "big"]
        html = visited["age.2"]
        assert "Wie alt ist <bdi>Ben</bdi>?" in html and 'lang="de"' in html
        review = person.get(f"/{questionnaire.id}/review").data.decode()
        assert "<bdi>Anna</bdi>" in review and "<bdi>Ben</bdi>" in review
        done = person.submit()
        assert done.status_code == 303 and person.get(done.location).status_code == 200
        (answers,) = stored(app)
        assert answers["hh_size"] == 2
        assert answers["person"] == [
            {"first_name": "Anna", "age": 41, "works": 1},
            {"first_name": "Ben", "age": 3},
        ]
    finally:
        app.extensions["survey.db"].dispose()


@pytest.mark.parametrize(
    ("rows", "reported"),
    [
        (
            [["begin_repeat", "kids", "Kids", "3"], ["text", "kid", "Name", None], ["end_repeat"]],
            "survey row 3 column 'repeat_count': '3' not imported: a fixed number of members has no equivalent",
        ),
        (
            [
                ["begin_repeat", "kids", "Kids", None],
                ["text", "kid", "Name", None],
                ["begin_repeat", "toys", "Toys", None],
                ["text", "toy", "Toy", None],
                ["end_repeat"],
                ["end_repeat"],
            ],
            "survey row 5 column 'type': 'begin_repeat' (toys): a repeat inside a repeat has no equivalent",
        ),
        (
            [
                ["begin_repeat", "kids", "Kids", None],
                ["integer", "kid_age", "Age", None],
                ["end_repeat"],
                ["calculate", "first", None, "indexed-repeat(${kid_age}, ${kids}, 1)"],
                ["note", "n", "Total", None],
            ],
            "survey row 6 column 'calculation': 'indexed-repeat(${kid_age}, ${kids}, 1)' not imported: "
            "the function indexed-repeat() has no equivalent",
        ),
        (
            [["begin_repeat", "kids", "Kids", None], ["geopoint", "where", "Where?", None], ["end_repeat"]],
            "survey row 3 column 'type': repeat kids: no question imported: left out",
        ),
        (
            [["begin_repeat", "size", "Again", None], ["text", "again", "Again?", None], ["end_repeat"]],
            "survey row 3 column 'type': 'begin_repeat' (size): a repeat needs a name of its own",
        ),
    ],
)
def test_what_a_roster_cannot_say_is_reported_by_cell(tmp_path: Path, rows: list[list], reported: str):
    survey = [["type", "name", "label", "repeat_count"], ["integer", "size", "Size", None], *rows]
    survey = [row if row[0] != "calculate" else [row[0], row[1], row[2], None, row[3]] for row in survey]
    survey[0] = [*survey[0], "calculation"]
    code, output = run_import(workbook(tmp_path / "form.xlsx", survey), tmp_path / "out.json")
    assert code == 0 and reported in output and "Traceback" not in output, output
    questionnaire, problems = load_file(tmp_path / "out.json")
    assert questionnaire is not None and not [p for p in problems if p.severity == ERROR]
    rosters = 0 if "no question imported" in reported or "name of its own" in reported else 1
    assert f" {rosters} roster(s)" in output


def repeat_in(languages: list[str]) -> list[list]:
    return [
        ["type", "name", *(f"label::{tag} ({tag})" for tag in languages)],
        ["begin_repeat", "kids", *(f"Kinder {tag}" for tag in languages)],
        ["text", "kid", *(f"Name {tag}" for tag in languages)],
        ["end_repeat"],
    ]


def test_add_another_is_asked_in_every_language_the_study_offers(tmp_path: Path):
    from ..conftest import ROOT

    study = json.loads((ROOT / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8"))
    tags = list(study["languages"])  # de first: the form's default language
    code, output = run_import(workbook(tmp_path / "form.xlsx", repeat_in(tags)), tmp_path / "out.json")
    assert code == 0 and "no 'add another?' text" not in output, output
    texts = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["pages"][0]["roster"]["add_another"]
    assert set(texts["text"]) == set(tags)
    # Each language its own words (Dari shares Persian's question, with its own yes and no).
    assert len(set(texts["text"].values())) == len(tags) - 1 and texts["text"]["fa-AF"] == texts["text"]["fa"]
    assert (texts["yes"]["fa"], texts["yes"]["fa-AF"]) == ("بله", "بلی")
    assert texts["yes"]["ti"] == "እወ" and texts["no"]["ckb"] == "نەخێر" and texts["no"]["so"] == "Maya"


def test_add_another_in_a_language_without_its_texts_is_reported_and_falls_back(tmp_path: Path):
    code, output = run_import(workbook(tmp_path / "form.xlsx", repeat_in(["de", "sw"])), tmp_path / "out.json")
    assert code == 0 and "no 'add another?' text in sw: the 'Möchten Sie ein (weiteres)" in output, output
    texts = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["pages"][0]["roster"]["add_another"]
    assert texts["text"]["sw"] == texts["text"]["de"] and texts["yes"]["sw"] == "Ja"
