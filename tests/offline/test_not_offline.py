"""What the offline runtime cannot do yet is refused by name on the server, never half-run on a device."""

from __future__ import annotations

import json

from survey.offline.logic import describe
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


def test_the_study_goes_offline_whole_with_its_roster_and_its_members_computed_values(app):
    """The shipped study as it is: nothing refused on /offline/device, its roster described with the
    member pages, the count question and the member-level computed value."""
    from survey.offline.device import display, refusal

    study, problems = load_file(ROOT / "questionnaires" / "wetterau-integration.json")
    assert study is not None, problems
    with app.test_request_context():
        assert refusal(study) == ""
        shown = display(study)
    described = describe(study)
    (roster,) = described["rosters"]
    assert (roster["id"], roster["count"], roster["name"]) == (
        "household_members",
        "household_size",
        "member_first_name",
    )
    assert roster["computed"] == [{"id": "member_age", "value": "year(today()) - member_birth_year", "kind": "number"}]
    assert [page["id"] for page in roster["pages"]][:2] == ["member_name", "member_birth"]
    assert [c["id"] for c in described["computed"]] == ["age", "years_in_germany", "years_in_wetterau"]
    assert "{{member_first_name}}" in shown["questions"]["member_birth_year"]["text"]["ar"]


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


def test_a_roster_is_described_with_its_pages_count_and_add_another_question():
    household, problems = load_file(ROOT / "tests" / "data" / "offline-rosters" / "household-offline.json")
    assert household is not None, problems
    rosters = describe(household)["rosters"]
    assert [(r["id"], r["position"], r["count"], r["max"]) for r in rosters] == [
        ("members", 1, "hh_size", 6),
        ("relatives", 2, None, 3),
    ]
    assert [page["id"] for page in rosters[0]["pages"]][:2] == ["member_name_page", "member_born"]
    assert rosters[0]["pages"][2]["show_if"] == "member_birth_year <= 2010"
    assert rosters[1]["add_another"]["type"] == "single_choice"
    assert [option["code"] for option in rosters[1]["add_another"]["options"]] == [1, 2]


def test_a_rosters_computed_value_and_conditions_over_its_members_are_described():
    household, problems = load_file(ROOT / "tests" / "data" / "questionnaires" / "household.json")
    assert household is not None, problems
    described = describe(household)
    assert [(roster["id"], [c["id"] for c in roster["computed"]]) for roster in described["rosters"]] == [
        ("members", ["member_age"]),
        ("relatives", []),
    ]
    assert [page["show_if"] for page in described["pages"] if page["id"] == "childcare"] == [
        "any(members, member_age < 6)"
    ]


def test_dates_and_years_in_other_calendars_go_offline_with_their_calendars():
    data = _every_type()
    _question(data, "arrival").update({"calendars": ["gregorian", "solar_hijri"]})
    _question(data, "birth_year").update({"calendars": ["gregorian", "ethiopian"]})
    questionnaire, problems = load_data(data)
    assert questionnaire is not None, problems
    described = {q["id"]: q for page in describe(questionnaire)["pages"] for q in page["questions"]}
    assert described["arrival"]["calendars"] == ["gregorian", "solar_hijri"]
    assert described["birth_year"]["calendars"] == ["gregorian", "ethiopian"]


def _household_offline() -> dict:
    path = ROOT / "tests" / "data" / "offline-rosters" / "household-offline.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_roster_questionnaire_is_offered_offline_with_earlier_answers_piped_into_a_member_page(app):
    from survey.offline.device import display, refusal

    household, problems = load_data(_household_offline())
    assert household is not None, problems
    with app.test_request_context():
        assert refusal(household) == ""
        shown = display(household)
    # Member pages and "add another?" pages find their titles and questions in the display texts.
    assert {"member_born", "relative", "members", "relatives"} <= set(shown["pages"])
    assert shown["pages"]["relatives"]["title"]["uk"] == "Родичі за кордоном"
    assert shown["questions"]["relatives_more"]["template"] == "radios"
    assert set(shown["lists"]) == {"relative_country"} and shown["handover"] == ["relative_contact"]
    data = _household_offline()
    data["pages"][1]["roster"]["pages"][1]["questions"][0]["text"]["en"] = "In which year was {{member_name}} born?"
    piped, problems = load_data(data)
    assert piped is not None, problems
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert refusal(piped) == ""
        assert display(piped)["questions"]["member_birth_year"]["text"]["en"] == (
            "In which year was {{member_name}} born?"
        )
