"""Dates as quasi-identifiers: cut to the year and banded, or released whole or hidden whole."""

from __future__ import annotations

import copy
import json

from survey.export.derived import rederive
from survey.export.pipeline import hierarchy_for
from survey.questionnaires.loader import ERROR, load_data

from ..conftest import ROOT, TEST_QUESTIONNAIRES

EVERY_TYPE = json.loads((TEST_QUESTIONNAIRES / "every-type.json").read_text(encoding="utf-8"))


def arrival_with(hierarchy: dict):
    data = copy.deepcopy(EVERY_TYPE)
    for page in data["pages"]:
        for question in page["questions"]:
            if question["id"] == "arrival":
                question["hierarchy"] = hierarchy
    questionnaire, problems = load_data(data, "every-type.json")
    assert questionnaire is not None and [p for p in problems if p.severity == ERROR] == []
    return questionnaire.question("arrival")


def test_a_month_with_bands_is_cut_to_its_year_then_banded():
    hierarchy = hierarchy_for(arrival_with({"bands": [5, 10]}), "arrival", {"2016-06", "2019-11", "2021-01", "-1"})
    assert hierarchy.levels_of("2016-06") == ("2016-06", "2016", "2015-2019", "2010-2019", "*")
    assert hierarchy.value_at("2021-01", 2) == "2020-2024"
    assert hierarchy.levels_of("-1") == ("-1", "-1", "-1", "-1", "*")  # don't know stays apart until the top


def test_suppress_releases_a_column_whole_or_hides_it_whole_with_its_missing_codes():
    hierarchy = hierarchy_for(arrival_with({"builtin": "suppress"}), "arrival", {"2016-06", "2019-11", "-1", "-3"})
    assert hierarchy.height == 1  # one step in the anonymiser's lattice, not two
    assert {hierarchy.value_at(value, 1) for value in ("2016-06", "2019-11", "-1", "-3")} == {"*"}


def test_the_study_hides_its_month_in_the_county_whole_or_not_at_all():
    questionnaire, _ = load_data(
        json.loads((ROOT / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8"))
    )
    assert questionnaire is not None
    assert questionnaire.question("wetterau_since").hierarchy.builtin == "suppress"


def test_years_since_a_month_are_worked_out_again_from_the_month_and_never_from_a_band():
    # "2020-04" is a month, not the band from 2020 to 4; "2020" is what a month was cut to; a band of
    # years or "*" tells too little for full years, so the value is suppressed.
    derived = json.loads((TEST_QUESTIONNAIRES / "derived.json").read_text(encoding="utf-8"))
    derived["computed"].append(
        {"id": "years_since", "value": "years_between(birth, today())", "privacy": "quasi", "label": {"de": "Jahre"}}
    )
    questionnaire, problems = load_data(derived, "derived.json")
    assert questionnaire is not None, problems
    since = questionnaire.computed_value("years_since")
    cells, ranged = rederive(
        questionnaire, since, {"birth": ["2020-04", "2020", "2020-2024", "*"]}, [5, 5, 5, 5], ["2026-03-20"] * 4
    )
    assert cells == [5, 6, -5, -5] and not ranged
