"""`questionnaire check`: one test per kind of problem, each with its JSON pointer."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey.questionnaires.cli import questionnaire as questionnaire_cli
from survey.questionnaires.loader import ERROR, WARNING, QuestionnaireError, load_data, load_file

from ..conftest import TEST_QUESTIONNAIRES, make_app

EVERY_TYPE = json.loads((TEST_QUESTIONNAIRES / "every-type.json").read_text(encoding="utf-8"))


def problems_of(data) -> list[tuple[str, str, str]]:
    _, problems = load_data(data, "q.json")
    return [(p.severity, p.pointer, p.message) for p in problems]


def errors_of(data) -> list[tuple[str, str]]:
    return [(pointer, message) for severity, pointer, message in problems_of(data) if severity == ERROR]


def mutated(change) -> dict:
    data = copy.deepcopy(EVERY_TYPE)
    change(data)
    return data


def question(data, page_id: str, index: int = 0) -> dict:
    return next(page for page in data["pages"] if page["id"] == page_id)["questions"][index]


def test_shipped_test_questionnaire_has_no_errors():
    questionnaire, problems = load_data(EVERY_TYPE, "every-type.json")
    assert questionnaire is not None
    assert [p for p in problems if p.severity == ERROR] == []
    assert {q.type_name for q in questionnaire.questions()} == {
        "consent",
        "year",
        "country",
        "date",
        "single_choice",
        "integer",
        "decimal",
        "multiple_choice",
        "language",
        "dropdown",
        "scale",
        "matrix",
        "short_text",
        "note",
        "long_text",
    }


def test_invalid_json_names_line_and_column(tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x",\n  "version": }', encoding="utf-8")
    _, problems = load_file(path)
    assert len(problems) == 1
    assert "not valid JSON" in problems[0].message and "line 2" in problems[0].message


def test_unknown_property_is_a_schema_error():
    data = mutated(lambda d: question(d, "birth").update(colour="red"))
    assert ("/pages/1/questions/0", "unknown property 'colour'") in errors_of(data)


def test_missing_required_property_is_a_schema_error():
    data = mutated(lambda d: question(d, "work").pop("options"))
    assert ("/pages/4/questions/0", "missing required property 'options'") in errors_of(data)


def test_wrong_type_is_a_schema_error():
    data = mutated(lambda d: question(d, "birth").update(min="1920"))
    assert any(
        pointer == "/pages/1/questions/0/min" and "should be of type integer" in message
        for pointer, message in errors_of(data)
    )


def test_unknown_question_type_is_a_schema_error():
    data = mutated(lambda d: question(d, "birth").update(type="slider"))
    assert any(
        pointer == "/pages/1/questions/0/type" and "'slider' is not allowed" in message
        for pointer, message in errors_of(data)
    )


def test_bad_language_tag_is_a_schema_error():
    data = mutated(lambda d: d["languages"].update({"Arabic": {}}))
    assert any("not a valid language tag" in message for _, message in errors_of(data))


def test_duplicate_question_id():
    data = mutated(lambda d: question(d, "work").update(id="birth_year"))
    assert ("/pages/4/questions/0/id", "duplicate question id 'birth_year'") in errors_of(data)


def test_duplicate_page_id():
    data = mutated(lambda d: d["pages"][2].update(id="birth"))
    assert ("/pages/2/id", "duplicate page id 'birth'") in errors_of(data)


def test_duplicate_option_code():
    data = mutated(lambda d: question(d, "work")["options"][1].update(code=1))
    assert ("/pages/4/questions/0/options/1/code", "duplicate option code 1") in errors_of(data)


def test_duplicate_matrix_row():
    data = mutated(lambda d: question(d, "trust")["rows"][1].update(id="police"))
    assert ("/pages/10/questions/0/rows/1/id", "duplicate row id 'police'") in errors_of(data)


def test_condition_with_unknown_question():
    data = mutated(lambda d: d["pages"][5].update(show_if="employed = 1"))
    assert (
        "/pages/5/show_if",
        "condition 'employed = 1': unknown question 'employed' (at character 1)",
    ) in errors_of(data)


def test_condition_with_later_question():
    data = mutated(lambda d: d["pages"][1].update(show_if="working = 1"))
    assert any(
        pointer == "/pages/1/show_if" and "'working' comes later" in message for pointer, message in errors_of(data)
    )


def test_condition_with_question_on_same_page():
    def change(d):
        question(d, "job", 1)["show_if"] = "hours > 10"

    assert any(
        pointer == "/pages/5/questions/1/show_if" and "same page" in message
        for pointer, message in errors_of(mutated(change))
    )


def test_condition_comparing_with_wrong_type():
    data = mutated(lambda d: d["pages"][5].update(show_if="working = 'yes'"))
    assert any(
        pointer == "/pages/5/show_if" and "holds a number, not a text" in message
        for pointer, message in errors_of(data)
    )


def test_condition_with_unknown_option_code():
    data = mutated(lambda d: d["pages"][5].update(show_if="working = 3"))
    assert any("has no option with code 3" in message for _, message in errors_of(data))


def test_condition_syntax_error():
    data = mutated(lambda d: d["pages"][5].update(show_if="working = = 1"))
    assert any(
        pointer == "/pages/5/show_if" and "expected a question id or a value" in message
        for pointer, message in errors_of(data)
    )


def test_piping_a_later_answer():
    data = mutated(lambda d: question(d, "birth")["text"].update(de="Geboren {{working}}?"))
    assert any(
        pointer == "/pages/1/questions/0/text/de" and "'{{working}}'" in message for pointer, message in errors_of(data)
    )


def test_missing_translation_is_a_warning_not_an_error():
    data = mutated(lambda d: question(d, "birth")["text"].pop("ar"))
    problems = problems_of(data)
    assert (WARNING, "/pages/1/questions/0/text", "missing translation into 'ar'") in problems
    assert load_data(data)[0] is not None


def test_text_without_default_language():
    data = mutated(lambda d: question(d, "birth")["text"].pop("de"))
    assert ("/pages/1/questions/0/text", "no text in the default language 'de'") in errors_of(data)


def test_text_in_undeclared_language():
    data = mutated(lambda d: question(d, "birth")["text"].update(tr="Doğum yılı?"))
    assert any("'tr', which is not among the questionnaire's languages" in message for _, message in errors_of(data))


def test_default_language_not_declared():
    data = mutated(lambda d: d["languages"].pop("de"))
    assert ("/default_language", "'de' is not among the questionnaire's languages") in errors_of(data)


def test_min_greater_than_max():
    data = mutated(lambda d: question(d, "birth").update(min=2020, max=1990))
    assert ("/pages/1/questions/0/min", "min (2020) is greater than max (1990)") in errors_of(data)


def test_invalid_regular_expression():
    data = mutated(lambda d: question(d, "police_follow").update(pattern="[a-"))
    assert any(
        pointer == "/pages/11/questions/0/pattern" and "not a valid regular expression" in message
        for pointer, message in errors_of(data)
    )


def test_exclusive_option_outside_multiple_choice():
    data = mutated(lambda d: question(d, "work")["options"][0].update(exclusive=True))
    assert (
        "/pages/4/questions/0/options/0/exclusive",
        "only multiple-choice options can be exclusive",
    ) in errors_of(data)


def test_hierarchy_on_a_question_that_is_not_a_quasi_identifier():
    data = mutated(lambda d: question(d, "birth").update(privacy="none"))
    assert (
        "/pages/1/questions/0/hierarchy",
        "only quasi-identifiers have a generalisation hierarchy",
    ) in errors_of(data)


def test_bands_on_a_text_question():
    def change(d):
        q = question(d, "police_follow")
        q.update(privacy="quasi", hierarchy={"bands": [5]})

    assert (
        "/pages/11/questions/0/hierarchy/bands",
        "bands apply to number, year and date questions only",
    ) in errors_of(mutated(change))


def test_hierarchy_level_missing_a_code():
    data = mutated(lambda d: question(d, "home")["hierarchy"]["levels"][0].pop("3"))
    assert ("/pages/8/questions/0/hierarchy/levels/0", "no coarser value for 3") in errors_of(data)


def test_unknown_country_code():
    data = mutated(lambda d: question(d, "origin").update(codes=["DE", "XX"]))
    assert ("/pages/2/questions/0/codes/1", "'XX' is not an ISO code this platform knows") in errors_of(data)


def test_missing_privacy_class():
    data = mutated(lambda d: question(d, "birth").pop("privacy"))
    assert any(message == "missing required property 'privacy'" for _, message in errors_of(data))


def test_check_command_prints_every_problem_and_exits_non_zero(tmp_path: Path):
    data = mutated(
        lambda d: (question(d, "work")["options"][1].update(code=1), d["pages"][5].update(show_if="nope = 1"))
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(questionnaire_cli, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}: /pages/4/questions/0/options/1/code: error: duplicate option code 1" in result.output
    assert f"{path}: /pages/5/show_if: error: condition 'nope = 1': unknown question 'nope'" in result.output
    assert "2 error(s)" in result.output


def test_check_command_accepts_a_good_file():
    result = CliRunner().invoke(questionnaire_cli, ["check", "-q", str(TEST_QUESTIONNAIRES / "every-type.json")])
    assert result.exit_code == 0, result.output
    assert "ok: 'every-type' version 1.0, 13 pages" in result.output


def test_server_refuses_to_start_with_an_invalid_questionnaire(tmp_path: Path):
    data = mutated(lambda d: d["pages"][5].update(show_if="nope = 1"))
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        make_app("sqlite://", questionnaire_dir=tmp_path)
    assert "/pages/5/show_if: error: condition 'nope = 1': unknown question 'nope'" in str(caught.value)


def test_two_files_with_the_same_id_are_refused(tmp_path: Path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(EVERY_TYPE), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="questionnaire id 'every-type' is used by"):
        make_app("sqlite://", questionnaire_dir=tmp_path)


def test_a_year_example_outside_its_range_is_an_error():
    data = mutated(lambda d: d["pages"][1]["questions"][0].update(example=1850))
    problems = [p for p in load_data(data, "every-type.json")[1] if p.severity == ERROR]
    assert any(p.pointer.endswith("/example") and "1850 is not a year from 1920 to 2010" in p.message for p in problems)
