"""The inputs of the shared member vectors (tests/data/logic-vectors/members.json): the household
questionnaire of roster_cases.py with what the shipped study asks of its roster on top: a member-level
computed value (`member_age`, read by a member page's condition), a `valid_if` rule on a member's
answer, and pages after the roster shown by `any()`, `all()` and `count()` over its members.
tests/offline/vectors.py turns them into expectations with the Python code."""

from __future__ import annotations

import copy
from typing import Any

from . import roster_cases
from .roster_cases import ANNA, IN_SYRIA, KIND, OMA, THREE, THREE_DONE, post


def _text(en: str, de: str) -> dict[str, str]:
    return {"en": en, "de": de}


def _build() -> dict[str, Any]:
    data = copy.deepcopy(roster_cases.QUESTIONNAIRE)
    roster = data["pages"][1]["roster"]
    roster["computed"] = [
        {
            "id": "member_age",
            "value": "year(today()) - member_birth_year",
            "privacy": "quasi",
            "label": _text("Age of the member (computed)", "Alter der Person (berechnet)"),
        }
    ]
    pages = {page["id"]: page for page in roster["pages"]}
    pages["member_work_page"]["show_if"] = "member_age >= 16"
    born = pages["member_born"]["questions"][0]
    born["valid_if"] = "member_birth_year >= 1920"
    born["invalid_message"] = _text("Born 1920 or later, please.", "Bitte ein Jahr ab 1920.")
    data["pages"][2]["show_if"] = "hh_size > 1 and any(members, member_age < 18)"
    note = {"type": "short_text", "privacy": "none", "max_length": 40}
    data["pages"][3:3] = [
        {
            "id": "adults",
            "show_if": "count(members) >= 2 and all(members, member_age >= 18)",
            "questions": [{**note, "id": "adults_note", "text": _text("Only adults?", "Nur Erwachsene?")}],
        },
        {
            "id": "working",
            "show_if": (
                "count(members) = 2 and any(members, member_works = 1 and member_age >= 16)"
                " and not all(members, answered(member_job))"
            ),
            "questions": [{**note, "id": "working_note", "text": _text("Who works?", "Wer arbeitet?")}],
        },
    ]
    return data


QUESTIONNAIRE: dict[str, Any] = _build()
LANGS = roster_cases.LANGS

OLENA = {**{key: value for key, value in OMA.items() if key != "member_job"}, "member_works": 1}
ADULTS = {"hh_size": 2, "members": [ANNA, OLENA]}
ADULTS_DONE = [
    "size",
    *(f"{page}.{n}" for n in (1, 2) for page in ("member_name_page", "member_born", "member_work_page")),
    "member_job_page.1",
    "member_job_page.2",
]

ROUTES: list[dict[str, Any]] = [
    *roster_cases.ROUTES,
    # Two adults: "others" (any member under 18) hidden, "adults" (all of them 18 or over) shown.
    {"answers": ADULTS, "completed": ADULTS_DONE},
    {"answers": {**ADULTS, "adults_note": "ja", "working_note": "Anna"}, "completed": [*ADULTS_DONE, "adults"]},
    # A member without a birth year: member_age unknown, so neither all() nor any() over it holds.
    {"answers": {"hh_size": 2, "members": [ANNA, {"member_name": "X"}]}, "completed": ["size"]},
    # The age read at the interview date: born 2010 is 16 on 2026-12-07, so the work page is asked.
    {"answers": {"hh_size": 1, "members": [{"member_name": "Lea", "member_birth_year": 2010}]}, "completed": []},
    {"answers": {**THREE, "relatives": [IN_SYRIA]}, "completed": THREE_DONE},
]

# Texts piped under each route's effective answers (pipes.js through rosters.js `pipeSources`): a
# named member's answer and computed value, a member beyond the roster, a member value without one.
PIPED = (
    "{{member_name[2]}} ({{member_age[2]}}), {{member_name[1]}}: {{member_age[1]}}",
    "{{hh_size}} / {{member_name[7]}} / {{member_age}} / {{relative_name[1]}}",
)

PAGES: list[dict[str, Any]] = [
    *roster_cases.PAGES,
    # The member rule: a year the question allows but the rule does not (message in the page language).
    post(
        "member_born.1",
        {"member_birth_year": ["1910"]},
        {"hh_size": 2, "members": [{"member_name": "Anna"}]},
        ["size", "member_name_page.1"],
        lang="de",
    ),
    post(
        "member_born.2",
        {"member_birth_year": ["1919"]},
        {"hh_size": 2, "members": [ANNA, {"member_name": "Karim"}]},
        [*ADULTS_DONE[:4], "member_job_page.1", "member_name_page.2"],
    ),
    # Member 2 now a child: "others" comes back, "adults" leaves the route.
    post(
        "member_born.2",
        {"member_birth_year": ["2015"]},
        ADULTS,
        ADULTS_DONE,
        lang="ar",
    ),
    post("adults", {"adults_note": ["ja"]}, ADULTS, ADULTS_DONE, lang="de"),
    post(
        "member_work_page.1",
        {"member_works": ["1"]},
        {"hh_size": 2, "members": [{"member_name": "Lea", "member_birth_year": 2010}, KIND]},
        ["size", "member_name_page.1", "member_born.1"],
    ),
]
