"""What the offline runtime cannot do yet is refused by name on the server, never half-run on a device."""

from __future__ import annotations

import json

import pytest

from survey.offline.logic import NotOffline, describe
from survey.questionnaires.loader import load_data, load_file

from ..conftest import ROOT


def _without(data: object, key: str) -> None:
    if isinstance(data, dict):
        data.pop(key, None)
        for value in data.values():
            _without(value, key)
    elif isinstance(data, list):
        for value in data:
            _without(value, key)


def test_the_studys_computed_values_rules_and_filtered_list_go_offline():
    """Without its roster and its other calendars (still refused), the shipped study is described
    whole: computed values, the valid_if rule with its message, the filtered list."""
    data = json.loads((ROOT / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8"))
    data["pages"] = [page for page in data["pages"] if "roster" not in page]
    _without(data, "calendars")
    study, problems = load_data(data)
    assert study is not None, problems
    described = describe(study)
    assert described["computed"] == [
        {"id": "age", "value": "year(today()) - birth_year", "kind": "number"},
        {"id": "years_in_germany", "value": "year(today()) - arrival_year", "kind": "number"},
        {"id": "years_in_wetterau", "value": "years_between(wetterau_since, today())", "kind": "number"},
    ]
    questions = {question["id"]: question for page in described["pages"] for question in page["questions"]}
    assert questions["arrival_year"]["valid_if"] == "arrival_year >= birth_year"
    assert questions["arrival_year"]["invalid_message"]["ar"].startswith("لا يمكن")
    assert questions["best_language"]["options_from"] == "home_languages"
    assert [option["code"] for option in questions["best_language"]["options"]] == [
        option["code"] for option in questions["home_languages"]["options"]
    ]


def test_the_study_is_refused_for_its_roster():
    study, problems = load_file(ROOT / "questionnaires" / "wetterau-integration.json")
    assert study is not None, problems
    with pytest.raises(NotOffline, match="roster 'household_members'"):
        describe(study)


def _every_type() -> dict:
    return json.loads((ROOT / "tests" / "data" / "questionnaires" / "every-type.json").read_text(encoding="utf-8"))


def _question(data: dict, question_id: str) -> dict:
    return next(q for page in data["pages"] for q in page["questions"] if q["id"] == question_id)


def test_every_question_type_without_the_new_rules_goes_offline():
    questionnaire, problems = load_data(_every_type())
    assert questionnaire is not None, problems
    assert [page["id"] for page in describe(questionnaire)["pages"]][:2] == ["consent", "birth"]


def test_rules_and_arithmetic_are_described_for_the_runtime():
    data = _every_type()
    _question(data, "hours").update(
        {
            "valid_if": "hours * 2 >= 1",
            "invalid_message": {"de": "Mindestens 1", "en": "At least 1"},
            "show_if": "birth_year + 18 < 2010",
        }
    )
    questionnaire, problems = load_data(data)
    assert questionnaire is not None, problems
    questions = {
        question["id"]: question for page in describe(questionnaire)["pages"] for question in page["questions"]
    }
    assert questions["hours"]["valid_if"] == "hours * 2 >= 1"
    assert questions["hours"]["invalid_message"] == {"de": "Mindestens 1", "en": "At least 1"}
    assert questions["hours"]["show_if"] == "birth_year + 18 < 2010"
    assert questions["wage"]["valid_if"] is None and questions["wage"]["invalid_message"] is None


def test_a_roster_is_refused_by_name_and_pointer():
    household, problems = load_file(ROOT / "tests" / "data" / "questionnaires" / "household.json")
    assert household is not None, problems
    with pytest.raises(NotOffline, match=r"roster 'members' \(/pages/1/roster\): rosters cannot be asked offline"):
        describe(household)


def test_dates_and_years_in_other_calendars_go_offline_with_their_calendars():
    data = _every_type()
    _question(data, "arrival").update({"calendars": ["gregorian", "solar_hijri"]})
    _question(data, "birth_year").update({"calendars": ["gregorian", "ethiopian"]})
    questionnaire, problems = load_data(data)
    assert questionnaire is not None, problems
    described = {q["id"]: q for page in describe(questionnaire)["pages"] for q in page["questions"]}
    assert described["arrival"]["calendars"] == ["gregorian", "solar_hijri"]
    assert described["birth_year"]["calendars"] == ["gregorian", "ethiopian"]
