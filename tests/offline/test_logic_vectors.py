"""One logic, two runtimes: the stored vectors are what the Python code answers, and the JavaScript
runtime gives the same answers in Node and in Chromium. A vector that one runtime passes and the
other fails fails here."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from survey.offline.logic import NotOffline, describe_question
from survey.questionnaires.model import Text

from . import calendar_vectors, cases, member_cases, pipe_vectors, roster_cases
from .conftest import ORIGIN
from .vectors import FOLDER, dump, generate, vector_app

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "run-vectors.mjs"


@pytest.fixture(scope="module")
def vector_application() -> Iterator[Flask]:
    app = vector_app()
    yield app
    app.extensions["survey.db"].dispose()


def stored() -> dict[str, object]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(FOLDER.glob("*.json"))}


def expected_checks() -> int:
    """How many comparisons the runtimes make: every condition under every set of values, every
    computed value's kind, value and display under every set, every bad condition and computed value, eight
    facts per route, three per posted page and one per refused (tampered) post (of the three questionnaires),
    the piped texts and the calendars."""
    tampered = sum(1 for case in cases.PAGES if case.get("tampered"))
    return (
        len(cases.CONDITIONS) * len(cases.VALUES)
        + len(cases.CALCULATIONS) * (2 * len(cases.VALUES) + 1)
        + len(cases.BAD_CONDITIONS)
        + len(cases.BAD_CALCULATIONS)
        + 8 * (len(cases.ROUTES) + len(roster_cases.ROUTES) + len(member_cases.ROUTES))
        + 3 * (len(cases.PAGES) - tampered + len(roster_cases.PAGES) + len(member_cases.PAGES))
        + tampered
        + len(member_cases.PIPED) * len(member_cases.ROUTES)
        + pipe_vectors.expected_checks()
        + calendar_vectors.expected_checks()
    )


def test_stored_vectors_are_what_the_python_code_answers(vector_application: Flask) -> None:
    fresh = {name: json.loads(dump(content)) for name, content in generate(vector_application).items()}
    assert set(fresh) == set(stored()), "run: python -m tests.offline.vectors"
    for name, content in fresh.items():
        assert content == stored()[name], f"{name} is stale or was edited: run python -m tests.offline.vectors"


def test_vectors_cover_every_operator_missing_codes_matrix_rows_and_answered() -> None:
    sources = " ".join(cases.CONDITIONS)
    for operator in ("= ", "!=", "< ", "<=", "> ", ">=", " in (", " not in (", "answered(", " and ", " or ", "not "):
        assert operator in sources, operator
    assert "trust.police" in sources
    for construct in (" + ", " - ", " * ", "-age", "today()", "year(", "month(", "years_between(", "count("):
        assert construct in sources, construct
    for construct in ("any(household", "all(household", "count(household)"):
        assert construct in sources, construct
    routes = json.dumps(cases.ROUTES)
    assert "dont_know" in routes and "refused" in routes
    pages = stored()["questionnaire.json"]["questionnaire"]["pages"]  # type: ignore[index]
    described = {question["type"] for page in pages for question in page["questions"]}
    assert described >= {
        "single_choice", "dropdown", "multiple_choice", "short_text", "long_text", "integer", "decimal",
        "year", "date", "scale", "matrix", "country", "language", "consent", "note",
    }  # fmt: skip


def test_roster_vectors_cover_both_kinds_of_roster_member_conditions_and_adding_members() -> None:
    vectors = stored()["rosters.json"]
    rosters = {roster["id"]: roster for roster in vectors["questionnaire"]["rosters"]}  # type: ignore[index]
    assert rosters["members"]["count"] == "hh_size" and rosters["relatives"]["add_another"]["id"] == "relatives_more"
    routes = vectors["routes"]  # type: ignore[index]
    pages = {page_id for route in routes for page_id in route["pages"]}
    # Member pages, a page hidden by the member's own answer, one hidden by an answer before the roster.
    assert {"member_born.3", "member_job_page.1", "relative_contact_page.2", "relatives.0", "relatives.2"} <= pages
    assert "member_work_page.2" not in routes[2]["pages"] and "member_relation_page.1" not in routes[1]["pages"]
    saved = [page["saved"] for page in vectors["pages"] if "saved" in page]  # type: ignore[index]
    # "add another?": yes goes to the new member's first page, no goes on after the roster.
    assert {"relative.1", "end", "relative.3"} <= {page["next"] for page in saved}


def run_node(node: str, folder: Path = FOLDER) -> tuple[int, dict[str, object]]:
    done = subprocess.run([node, str(RUNNER), str(folder)], capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, json.loads(done.stdout)


def test_vectors_pass_in_node(node: str) -> None:
    code, result = run_node(node)
    assert result["failures"] == []
    assert result["checked"] == expected_checks()
    assert code == 0


def test_a_vector_the_javascript_does_not_meet_fails_the_node_run(node: str, tmp_path: Path) -> None:
    for path in FOLDER.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    changed = json.loads((tmp_path / "questionnaire.json").read_text(encoding="utf-8"))
    changed["pages"][0]["errors"][0][1] = "Something else"
    (tmp_path / "questionnaire.json").write_text(json.dumps(changed), encoding="utf-8")
    code, result = run_node(node, tmp_path)
    assert code == 1
    assert result["failures"] == [
        "questionnaire.json: page #0 (consent, en): errors: expected "
        '[["consent","Something else"]], got '
        '[["consent","You can only take part if you agree. Tick the box to continue."]]'
    ]


RUN_IN_PAGE = """
<!doctype html><html lang="en"><title>vectors</title>
<script type="module">
import { runVectors } from "/tests/offline/check-vectors.mjs";
const names = %s;
const files = {};
for (const name of names) files[name] = await (await fetch("/tests/data/logic-vectors/" + name)).json();
window.vectorResult = runVectors(files);
</script>
"""


@pytest.mark.browser
def test_vectors_pass_in_chromium(offline_page: Callable[..., object]) -> None:
    names = sorted(stored())
    page = offline_page({"vectors.html": RUN_IN_PAGE % json.dumps(names)})
    page.goto(f"{ORIGIN}/vectors.html")  # type: ignore[attr-defined]
    page.wait_for_function("window.vectorResult !== undefined")  # type: ignore[attr-defined]
    result = page.evaluate("window.vectorResult")  # type: ignore[attr-defined]
    assert result["failures"] == []
    assert result["checked"] == expected_checks()


def test_a_question_type_the_runtime_does_not_know_is_refused_by_name() -> None:
    from dataclasses import dataclass
    from typing import ClassVar

    from survey.questionnaires.questions import Question

    @dataclass(frozen=True)
    class Signature(Question):
        type_name: ClassVar[str] = "signature"

    empty = Text.of(None, "de")
    question = Signature("sig", empty, empty, empty, True, "none", None, False, False, None, "", empty)
    with pytest.raises(NotOffline, match="question 'sig': type 'signature' cannot be asked offline yet"):
        describe_question(question)


def test_random_typed_posts_get_the_same_answers_in_node(vector_application: Flask, node: str, tmp_path: Path) -> None:
    from .vectors import random_posts

    content = random_posts(vector_application, seed=16, count=400)
    (tmp_path / "random.json").write_text(dump(content), encoding="utf-8")
    code, result = run_node(node, tmp_path)
    assert result["failures"] == []
    assert result["checked"] == 3 * 400
    assert code == 0


def test_random_expressions_get_the_same_answers_in_node(node: str, tmp_path: Path) -> None:
    """Random conditions and computed values from the whole language (a third of them mangled into
    errors) under random answers: Node agrees with Python on every result, display and error."""
    from .vectors import random_expressions

    content = random_expressions(seed=16, count=400)
    (tmp_path / "random.json").write_text(dump(content), encoding="utf-8")
    code, result = run_node(node, tmp_path)
    assert result["failures"] == []
    sets = len(content["values"])
    assert len(content["conditions"]) > 100 and len(content["errors"]) > 100 and len(content["calculations"]) > 100
    assert result["checked"] == (
        len(content["conditions"]) * sets
        + len(content["calculations"]) * (2 * sets + 1)
        + len(content["errors"])
        + len(content["calculation_errors"])
    )
    assert code == 0


def test_random_posts_onto_dates_in_other_calendars_get_the_same_answers_in_node(
    vector_application: Flask, node: str, tmp_path: Path
) -> None:
    content = calendar_vectors.random_calendar_posts(vector_application, seed=16, count=400)
    (tmp_path / "random-calendars.json").write_text(dump(content), encoding="utf-8")
    code, result = run_node(node, tmp_path)
    assert result["failures"] == []
    assert result["checked"] == 3 * 400
    assert code == 0
    assert sum(1 for page in content["pages"] if not page["errors"] and any(page["read"].values())) > 20


def test_random_roster_interviews_get_the_same_routes_and_answers_in_node(
    vector_application: Flask, node: str, tmp_path: Path
) -> None:
    from .vectors import random_roster_interviews

    content = random_roster_interviews(vector_application, seed=16, count=300)
    pages = {case["page"] for case in content["pages"]}
    assert {"member_job_page.2", "relative_contact_page.2", "relatives.1"} <= pages  # deep into both rosters
    (tmp_path / "random-rosters.json").write_text(dump(content), encoding="utf-8")
    code, result = run_node(node, tmp_path)
    assert result["failures"] == []
    assert result["checked"] == 8 * len(content["routes"]) + 3 * 300
    assert code == 0


def test_random_whole_study_interviews_get_the_same_routes_and_answers_in_node(
    vector_application: Flask, node: str, tmp_path: Path
) -> None:
    """The shipped study, whole: random interviews (its roster, computed values, rule, filtered list,
    calendars) give the same routes, errors, answers and next pages in Node as in Python."""
    from . import study_cases
    from .vectors import random_roster_interviews

    content = random_roster_interviews(vector_application, seed=16, count=100, source=study_cases)
    pages = {case["page"] for case in content["pages"]}
    assert {"arrival", "member_name.2", "member_birth.2", "german_skills", "comment"} <= pages
    assert any(case["errors"] for case in content["pages"] if case["page"] == "arrival")
    (tmp_path / "random-study.json").write_text(dump(content), encoding="utf-8")
    code, result = run_node(node, tmp_path)
    assert result["failures"] == []
    assert result["checked"] == 8 * len(content["routes"]) + 3 * 100
    assert code == 0
