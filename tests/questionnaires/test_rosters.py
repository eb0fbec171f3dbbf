"""Rosters in the questionnaire format: parsed into objects, checked with a JSON pointer for every
mistake, and read by conditions over the current member or any/all members."""

from __future__ import annotations

import copy
import json

import pytest

from survey.questionnaires.loader import ERROR, load_data
from survey.questionnaires.model import lookup, pipe_markup
from survey.respond import flow

from ..conftest import TEST_QUESTIONNAIRES

HOUSEHOLD = json.loads((TEST_QUESTIONNAIRES / "household.json").read_text(encoding="utf-8"))


def errors_of(data) -> list[tuple[str, str]]:
    _, problems = load_data(data, "q.json")
    return [(p.pointer, p.message) for p in problems if p.severity == ERROR]


def mutated(change) -> dict:
    data = copy.deepcopy(HOUSEHOLD)
    change(data)
    return data


def members(data) -> dict:
    return data["pages"][1]["roster"]


def test_household_loads_with_two_rosters_and_a_computed_value_per_member():
    questionnaire, problems = load_data(HOUSEHOLD, "household.json")
    assert questionnaire is not None, problems
    first, second = questionnaire.rosters
    assert (first.id, first.count, first.name, first.max_members, first.position) == (
        "members",
        "hh_size",
        "member_name",
        8,
        1,
    )
    assert [page.id for page in first.pages] == ["member_name_page", "member_born", "member_work_page"]
    assert [computed.id for computed in first.computed] == ["member_age"] and questionnaire.computed == ()
    assert second.count is None and second.add_another is not None and second.add_another.id == "relatives_more"
    # Member questions are not top-level questions: the main export file does not list them.
    assert "member_name" not in {question.id for question in questionnaire.questions()}
    page = questionnaire.page("member_born.3")
    assert (page.roster, page.member, page.template) == ("members", 3, "member_born")
    assert questionnaire.page("relatives.2").adds_member
    for missing in ("member_born.9", "member_born.0", "relatives.5", "size.1", "member_born.x"):
        with pytest.raises(KeyError):
            questionnaire.page(missing)


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [
        (
            lambda d: members(d).update(count="nobody"),
            "/pages/1/roster/count",
            "'nobody' is not a question on an earlier page",
        ),
        (
            lambda d: d["pages"][0]["questions"][0].update(type="year", min=1900),
            "/pages/1/roster/count",
            "'hh_size' is a year question, not an integer question",
        ),
        (
            lambda d: members(d).update(add_another=d["pages"][3]["roster"]["add_another"]),
            "/pages/1/roster",
            "exactly one of 'count'",
        ),
        (lambda d: d["pages"][3]["roster"].pop("add_another"), "/pages/3/roster", "exactly one of 'count'"),
        (
            lambda d: members(d)["pages"].append({"roster": copy.deepcopy(d["pages"][3]["roster"])}),
            "/pages/1/roster/pages/3/roster",
            "rosters cannot be nested",
        ),
        (
            lambda d: members(d).update(name="hh_size"),
            "/pages/1/roster/name",
            "'hh_size' is not a question of this roster",
        ),
        (
            lambda d: d["pages"][2].update(show_if="member_age < 6"),
            "/pages/2/show_if",
            "'member_age' is asked once per member of roster 'members': use any(members, ...)",
        ),
        (
            lambda d: d["pages"][2].update(show_if="any(hh_size, hh_size > 1)"),
            "/pages/2/show_if",
            "'hh_size' is not a roster",
        ),
        (
            lambda d: d["pages"][2].update(show_if="any(members, nobody > 1)"),
            "/pages/2/show_if",
            "unknown question 'nobody' in the members of 'members'",
        ),
        (
            lambda d: d["pages"][2].update(show_if="members > 1"),
            "/pages/2/show_if",
            "'members' is a roster: use any(members, ...)",
        ),
        (
            lambda d: d["pages"][2]["questions"][0]["text"].update(en="{{member_name[9]}}"),
            "/pages/2/questions/0/text/en",
            "roster 'members' has at most 8 members",
        ),
        (
            lambda d: d["pages"][4]["questions"][0]["text"].update(en="{{relative_contact}}"),
            "/pages/4/questions/0/text/en",
            "'relative_contact' is asked once per member of roster 'relatives'",
        ),
        (
            lambda d: d["pages"][0]["questions"][0]["text"].update(en="{{member_name[1]}}"),
            "/pages/0/questions/0/text/en",
            "'member_name' is not a question or value of a roster",
        ),
        (
            lambda d: members(d).update(id="hh_size"),
            "/pages/1/roster/id",
            "already the id of a page, question or roster",
        ),
        (
            lambda d: members(d)["computed"][0].update(value="year(today()) - relative_name"),
            "/pages/1/roster/computed/0/value",
            "'relative_name' is asked only after",
        ),
    ],
)
def test_roster_mistakes_are_named_with_their_pointer(change, pointer, message):
    errors = errors_of(mutated(change))
    assert any(found == pointer and message in text for found, text in errors), errors


def test_a_roster_without_pages_or_title_is_refused_by_the_schema():
    errors = errors_of(mutated(lambda d: members(d).pop("title")))
    assert ("/pages/1/roster", "missing required property 'title'") in errors


def test_conditions_over_any_all_and_the_number_of_members():
    questionnaire, _ = load_data(HOUSEHOLD, "household.json")
    assert questionnaire is not None
    from survey.questionnaires.loader import _Builder

    builder = _Builder(HOUSEHOLD, "household.json")
    builder.build()

    def holds(source: str, answers: dict) -> bool:
        condition = builder.condition(source, "/test")
        assert condition is not None, builder.problems
        return condition.holds(lookup(questionnaire, answers))

    answers = {
        "hh_size": 2,
        "members": [
            {"member_name": "Anna", "member_birth_year": 1980},
            {"member_name": "Ben", "member_birth_year": 2024},
        ],
    }
    assert holds("any(members, member_age < 6)", answers)
    assert not holds("all(members, member_age < 6)", answers)
    assert holds("all(members, answered(member_name)) and count(members) = 2", answers)
    assert holds("any(members, member_name = 'Anna' and member_birth_year < 1990)", answers)
    assert not holds("any(members, member_age < 6)", {"hh_size": 0, "members": []})


def test_the_walk_keeps_answers_per_member_and_drops_hidden_member_pages():
    questionnaire, _ = load_data(HOUSEHOLD, "household.json")
    assert questionnaire is not None
    answers = {
        "hh_size": 2,
        "members": [
            {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1},
            {"member_name": "Ben", "member_birth_year": 2025, "member_works": 1},  # a child cannot work
            {"member_name": "Extra"},
        ],
        "relatives": [{"relative_name": "Omar", "relative_contact": 2}],
    }
    effective, route = flow.walk(questionnaire, answers)
    assert effective["members"] == [
        {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1},
        {"member_name": "Ben", "member_birth_year": 2025},
    ]
    assert effective["relatives"] == [{"relative_name": "Omar", "relative_contact": 2}]
    ids = [page.id for page in route.pages]
    assert ids[:6] == [
        "size",
        "member_name_page.1",
        "member_born.1",
        "member_work_page.1",
        "member_name_page.2",
        "member_born.2",
    ]
    assert ids[6:] == ["childcare", "relative.1", "relatives.1", "end"]


def test_member_names_are_piped_isolated_and_escaped():
    questionnaire, _ = load_data(HOUSEHOLD, "household.json")
    assert questionnaire is not None
    answers = {"members": [{"member_name": "<b>Anna</b>"}, {"member_name": "Ben"}]}
    shown = pipe_markup("{{member_name[1]}} و {{member_name[2]}}", answers, questionnaire, "ar")
    assert str(shown) == "<bdi>&lt;b&gt;Anna&lt;/b&gt;</bdi> و <bdi>Ben</bdi>"


def test_a_hidden_roster_asks_nobody_and_keeps_no_member_answers():
    data = mutated(lambda d: members(d).update(show_if="hh_size > 1"))
    questionnaire, problems = load_data(data, "household.json")
    assert questionnaire is not None, problems
    answers = {"hh_size": 1, "members": [{"member_name": "Anna", "member_birth_year": 1980}]}
    effective, route = flow.walk(questionnaire, answers)
    assert "members" not in effective
    assert [page.id for page in route.pages][:2] == ["size", "relatives.0"]


def test_an_unanswered_count_asks_about_no_member():
    questionnaire, _ = load_data(HOUSEHOLD, "household.json")
    assert questionnaire is not None
    effective, route = flow.walk(questionnaire, {"members": [{"member_name": "Anna"}]})
    assert effective["members"] == [] and not any(page.roster == "members" for page in route.pages)
