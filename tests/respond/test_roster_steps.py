"""A roster's pages compiled once per questionnaire: a member's walk takes its pages from a table
(the same page objects every walk), with the ids and route `Roster.member_page` gives."""

from __future__ import annotations

from pathlib import Path

from survey.questionnaires.loader import load_directory
from survey.respond import flow

DATA = Path(__file__).resolve().parents[1] / "data" / "questionnaires"
ANNA = {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1}
BEN = {"member_name": "Ben", "member_birth_year": 2023, "member_works": 1}


def household():
    loaded, problems = load_directory(str(DATA))
    assert not [problem for problem in problems if problem.severity == "error"]
    return loaded["household"]


def test_member_pages_are_made_once_and_equal_the_rosters_own():
    study = household()
    answers = {"hh_size": 2, "members": [ANNA, BEN], "relatives": [{"relative_name": "Omar", "relative_contact": 1}]}
    first = flow.walk(study, answers)[1].pages
    again = flow.walk(study, dict(answers))[1].pages
    member_pages = [page for page in first if page.roster == "members"]
    # Ben (born 2023) is not asked about work: his page is skipped, Anna's is asked.
    assert [page.id for page in member_pages] == [
        "member_name_page.1",
        "member_born.1",
        "member_work_page.1",
        "member_name_page.2",
        "member_born.2",
    ]
    roster = study.roster("members")
    templates = {template.id: template for template in roster.pages}
    for page in member_pages:
        assert page == roster.member_page(templates[page.template], page.member)
    assert all(a is b for a, b in zip(first, again, strict=True) if a.roster == "members")
    # The effective answers drop Ben's answer to a page he was not asked.
    assert flow.walk(study, answers)[0]["members"][1] == {"member_name": "Ben", "member_birth_year": 2023}


def test_what_each_member_was_asked_follows_the_members_own_conditions():
    study = household()
    answers = {"hh_size": 3, "members": [ANNA, BEN, {"member_name": "Cem", "member_birth_year": 1990}]}
    _, shown, by_member = flow.asked_by_member(study, answers)
    assert "member_works" in by_member[("members", 1)] and "member_works" not in by_member[("members", 2)]
    assert by_member[("members", 3)] == {"member_name", "member_birth_year", "member_works"}
    assert {"member_name", "member_birth_year", "member_works", "hh_size"} <= shown
