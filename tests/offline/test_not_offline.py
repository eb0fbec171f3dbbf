"""What the offline runtime cannot do yet is refused by name on the server, never half-run on a device."""

from __future__ import annotations

import json

import pytest

from survey.offline.logic import NotOffline, describe
from survey.questionnaires.loader import load_data, load_file

from ..conftest import ROOT


def test_the_study_with_computed_values_is_refused_naming_the_first():
    study, problems = load_file(ROOT / "questionnaires" / "wetterau-integration.json")
    assert study is not None, problems
    with pytest.raises(NotOffline, match="computed value 'age'"):
        describe(study)


def _every_type() -> dict:
    return json.loads((ROOT / "tests" / "data" / "questionnaires" / "every-type.json").read_text(encoding="utf-8"))


def _question(data: dict, question_id: str) -> dict:
    return next(q for page in data["pages"] for q in page["questions"] if q["id"] == question_id)


def test_every_question_type_without_the_new_rules_goes_offline():
    questionnaire, problems = load_data(_every_type())
    assert questionnaire is not None, problems
    assert [page["id"] for page in describe(questionnaire)["pages"]][:2] == ["consent", "birth"]


@pytest.mark.parametrize(
    ("question_id", "change", "message"),
    [
        (
            "hours",
            {"valid_if": "hours >= 1", "invalid_message": {"de": "Mindestens 1", "en": "At least 1"}},
            "question 'hours': valid_if rules",
        ),
        ("hours", {"show_if": "birth_year + 18 < 2010"}, "question 'hours': arithmetic in show_if"),
        ("arrival", {"calendars": ["gregorian", "solar_hijri"]}, "question 'arrival': dates in other calendars"),
        ("birth_year", {"calendars": ["gregorian", "ethiopian"]}, "question 'birth_year': dates in other calendars"),
    ],
)
def test_rules_the_runtime_lacks_are_refused_by_question(question_id, change, message):
    data = _every_type()
    _question(data, question_id).update(change)
    questionnaire, problems = load_data(data)
    assert questionnaire is not None, problems
    with pytest.raises(NotOffline, match=message):
        describe(questionnaire)


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


def test_a_rosters_computed_value_is_refused_by_name():
    data = json.loads((ROOT / "tests" / "data" / "questionnaires" / "household.json").read_text(encoding="utf-8"))
    data["pages"] = [page for page in data["pages"] if page.get("id") != "childcare"]  # any(...) over members
    household, problems = load_data(data)
    assert household is not None, problems
    with pytest.raises(NotOffline, match="computed value 'member_age': computed values cannot be used offline"):
        describe(household)


def _household_offline() -> dict:
    path = ROOT / "tests" / "data" / "offline-rosters" / "household-offline.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_roster_questionnaire_is_offered_offline_and_earlier_answers_piped_into_a_member_page_are_named(app):
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
        assert refusal(piped) == (
            "/pages/1/roster/pages/1/questions/0/text: earlier answers piped into a text cannot be shown offline yet"
        )
