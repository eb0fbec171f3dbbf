"""The inputs of the shared roster vectors (tests/data/logic-vectors/rosters.json): the household
questionnaire of tests/data/offline-rosters/ (a roster counted by an earlier answer, one grown by
"add another?", conditions on the current member and on answers before the roster), routes through
it and posted member pages. tests/offline/vectors.py turns them into expectations with the Python
code (survey/respond/flow.py and the saving of survey/respond/services.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

QUESTIONNAIRE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "offline-rosters" / "household-offline.json").read_text(
        encoding="utf-8"
    )
)

ANNA = {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1, "member_job": "Ärztin"}
# Born 2015: the work page is hidden, and its answer (kept in the draft) is dropped.
KIND = {"member_name": "Karim", "member_birth_year": 2015, "member_works": 1, "member_relation": 3}
# Not working: the job page is hidden, its answer dropped; "don't know" who this is.
OMA = {
    "member_name": "Olena",
    "member_birth_year": 1950,
    "member_works": 2,
    "member_job": "x",
    "member_relation": "dont_know",
}
# A relative in Germany is not asked about money; one in Syria is.
IN_GERMANY = {"relative_name": "Ali", "relative_country": "DE", "relative_contact": 1}
IN_SYRIA = {"relative_name": "Samira", "relative_country": "SY", "relative_contact": 2}

THREE = {"hh_size": 3, "members": [ANNA, KIND, OMA], "others_help": "refused"}
THREE_DONE = [
    "size",
    *(f"{page}.{n}" for n in (1, 2, 3) for page in ("member_name_page", "member_born", "member_work_page")),
    "member_job_page.1",
    *(f"member_relation_page.{n}" for n in (1, 2, 3)),
    "others",
]

ROUTES: list[dict[str, Any]] = [
    {"answers": {}, "completed": []},
    {"answers": {"hh_size": 1, "members": [ANNA]}, "completed": ["size", "member_name_page.1"]},
    {"answers": {**THREE, "relatives": [IN_GERMANY, IN_SYRIA]}, "completed": THREE_DONE},
    {
        "answers": {**THREE, "relatives": [IN_GERMANY, IN_SYRIA]},
        "completed": [*THREE_DONE, "relatives.0", "relative.1"],
    },
    # The count lowered after four members were answered: members 3 and 4 are dropped.
    {"answers": {"hh_size": 2, "members": [ANNA, KIND, OMA, ANNA]}, "completed": ["size"]},
    # More members than the roster's maximum: only the first six are asked about.
    {"answers": {"hh_size": 9, "members": [ANNA] * 8}, "completed": ["size"]},
    # "Don't know" (which the count question does not offer) and a hidden count ask about nobody.
    {"answers": {"hh_size": "dont_know", "members": [ANNA]}, "completed": ["size"]},
    # As many relatives as the roster allows: no "add another?" page after the last.
    {"answers": {"hh_size": 1, "relatives": [IN_SYRIA, IN_GERMANY, IN_SYRIA]}, "completed": ["size"]},
    # A member just added (empty), members that are not maps, a roster answer that is not a list.
    {"answers": {"hh_size": 2, "members": ["Anna", None], "relatives": [{}]}, "completed": ["size"]},
    {"answers": {"hh_size": 1, "members": {"member_name": "Anna"}, "relatives": "Ali"}, "completed": ["size"]},
]


def post(
    page_id: str, posted: dict[str, list[str]], answers: dict[str, Any], completed: list[str], lang: str = "en"
) -> dict[str, Any]:
    return {"page": page_id, "lang": lang, "answers": answers, "completed": completed, "posted": posted}


LANGS = ("de", "en", "ar", "uk")
TWO = {"hh_size": 2}
PAGES: list[dict[str, Any]] = [
    post("size", {"hh_size": ["2"]}, {}, []),
    post("member_name_page.1", {"member_name": ["Anna"]}, TWO, ["size"]),
    post("member_name_page.1", {}, TWO, ["size"], lang="de"),
    post(
        "member_born.1",
        {"member_birth_year": ["١٩٨٠"]},
        {**TWO, "members": [{"member_name": "Anna"}]},
        ["size", "member_name_page.1"],
        lang="ar",
    ),
    post(
        "member_born.1",
        {"member_birth_year": ["1850"]},
        {**TWO, "members": [{"member_name": "Anna"}]},
        ["size", "member_name_page.1"],
        lang="uk",
    ),
    # Member 2's first page when member 1 is done: the second member's answers start a new map.
    post(
        "member_name_page.2",
        {"member_name": ["Karim"]},
        {**TWO, "members": [ANNA]},
        ["size", "member_name_page.1", "member_born.1", "member_work_page.1", "member_job_page.1"],
    ),
    # Member 1 now born in 2015: the work and job pages leave the route; on to member 2.
    post(
        "member_born.1",
        {"member_birth_year": ["2015"]},
        {**TWO, "members": [ANNA, KIND]},
        [
            "size",
            "member_name_page.1",
            "member_born.1",
            "member_work_page.1",
            "member_job_page.1",
            "member_name_page.2",
            "member_born.2",
        ],
    ),
    post(
        "member_work_page.1",
        {"member_works": ["2"]},
        {**TWO, "members": [{"member_name": "Anna", "member_birth_year": 1980}]},
        ["size", "member_name_page.1", "member_born.1"],
        lang="de",
    ),
    post(
        "member_relation_page.3",
        {"member_relation": ["dont_know"]},
        THREE,
        THREE_DONE[: THREE_DONE.index("member_relation_page.3")],
    ),
    post("member_relation_page.3", {}, THREE, THREE_DONE[: THREE_DONE.index("member_relation_page.3")], lang="ar"),
    # The count lowered: the answers of members beyond it stay in the draft, off the route.
    post("size", {"hh_size": ["1"]}, THREE, THREE_DONE),
    # "Add another?": yes adds an empty member whose pages come next; no goes on.
    post("relatives.0", {"relatives_more": ["1"]}, THREE, THREE_DONE),
    post("relatives.0", {"relatives_more": ["2"]}, THREE, THREE_DONE),
    post("relatives.0", {}, THREE, THREE_DONE, lang="uk"),
    post(
        "relative.1",
        {"relative_name": ["Samira"], "relative_country": ["SY"]},
        {**THREE, "relatives": [{}]},
        [*THREE_DONE, "relatives.0"],
    ),
    post(
        "relative.1",
        {"relative_name": [""], "relative_country": [""]},
        {**THREE, "relatives": [{}]},
        [*THREE_DONE, "relatives.0"],
        lang="de",
    ),
    post(
        "relative_contact_page.1",
        {"relative_contact": ["1"]},
        {**THREE, "relatives": [{"relative_name": "Samira", "relative_country": "SY"}]},
        [*THREE_DONE, "relatives.0", "relative.1"],
    ),
    post(
        "relatives.1",
        {"relatives_more": ["2"]},
        {**THREE, "relatives": [IN_SYRIA]},
        [*THREE_DONE, "relatives.0", "relative.1", "relative_contact_page.1"],
    ),
    post(
        "relatives.2",
        {"relatives_more": ["1"]},
        {**THREE, "relatives": [IN_SYRIA, IN_GERMANY]},
        [*THREE_DONE, "relatives.0", "relative.1", "relative_contact_page.1", "relatives.1", "relative.2"],
    ),
    post("end", {"comment": ["Danke"]}, {**THREE, "relatives": []}, [*THREE_DONE, "relatives.0"]),
]
