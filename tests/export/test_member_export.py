"""Roster members in exports: a long-format file per roster under the main file's respondent ids, its
own codebook, SPSS/Stata files, an optional wide layout, and disclosure control per household."""

from __future__ import annotations

import csv
import json

import pyreadstat

from ..factories import store_response
from .test_export import run_export

ANNA = {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1}
BEN = {"member_name": "Ben", "member_birth_year": 2023}


def read(path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_members_are_exported_long_under_the_respondent_id_with_their_codebook(app, tmp_path):
    store_response(app, "household", {"hh_size": 2, "members": [ANNA, BEN], "childcare": 1, "relatives": []})
    store_response(
        app,
        "household",
        {
            "hh_size": 1,
            "members": [{"member_name": "Salma", "member_birth_year": 1990, "member_works": 2}],
            "relatives": [{"relative_name": "Omar", "relative_contact": 1}],
        },
    )
    out, rows = run_export(app, tmp_path, "household", k=1, max_suppression=0.0, members_wide=True)
    members = read(out / "household-members.csv")
    assert list(members[0]) == ["respondent", "member", "member_birth_year", "member_works", "member_age"]
    by_household = {row["respondent"]: row for row in rows}
    assert {row["respondent"] for row in members} == set(by_household)  # linked to the main file
    two = next(respondent for respondent, row in by_household.items() if row["hh_size"] == "2")
    anna, ben = (row for row in members if row["respondent"] == two)
    assert (anna["member"], anna["member_birth_year"], anna["member_works"]) == ("1", "1980", "1")
    assert (ben["member"], ben["member_works"]) == ("2", "-3")  # a child is not asked about work
    year = int(rows[0]["start_month"][:4])
    assert anna["member_age"] == str(year - 1980)
    assert "member_name" not in anna and "Anna" not in (out / "household-members.csv").read_text()
    assert "member_name" not in rows[0] and "members" not in rows[0]  # not in the main file either
    relatives = read(out / "household-relatives.csv")
    assert [(row["member"], row["relative_contact"]) for row in relatives] == [("1", "1")]
    codebook = read(out / "codebook-members.csv")
    age = next(row for row in codebook if row["variable"] == "member_age" and row["label_en"])
    assert age["computed_as"] == "year(today()) - member_birth_year" and age["privacy"] == "quasi"
    works = [row for row in codebook if row["variable"] == "member_works" and row["value"] == "1"]
    assert works and works[0]["value_en"] == "Yes"
    frame, meta = pyreadstat.read_sav(str(out / "household-members.sav"))
    assert (
        len(frame) == 3
        and meta.column_names_to_labels["member_works"] == "Does {{member_name}} ({{member_age}} years) work for pay?"
    )
    frame, _ = pyreadstat.read_dta(str(out / "household-members.dta"))
    assert sorted(frame["member"].tolist()) == [1.0, 1.0, 2.0]
    wide = read(out / "household-members-wide.csv")
    row = next(row for row in wide if row["respondent"] == two)
    assert row["member_birth_year_1"] == "1980" and row["member_birth_year_2"] == "2023"
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"household-members.csv", "household-members-wide.csv", "codebook-members.html"} <= set(manifest["files"])


def test_member_quasi_identifiers_are_anonymised_per_household(app, tmp_path):
    # Four households, two of them with the same composition (birth years in the same decade).
    for years in ([1981, 2011], [1984, 2015], [1962], [1990, 1991, 2020]):
        members = [{"member_name": "X", "member_birth_year": year} for year in years]
        store_response(app, "household", {"hh_size": len(years), "members": members, "relatives": []})
    out, _ = run_export(app, tmp_path, "household", k=2, max_suppression=0.5)
    report = json.loads((out / "disclosure-report.json").read_text())["members"]["members"]
    # The unit is the household: 4 records, not 8 members.
    assert report["unit"].startswith("household") and report["records"] == 4 and report["members"] == 8
    assert report["k_reached"] >= 2
    members = read(out / "household-members.csv")
    years = [row["member_birth_year"] for row in members]
    assert "1981" not in years and "1962" not in years  # no exact year of a unique household
    assert all(year == "-5" or "-" in year or year == "*" for year in years)
    # A household suppressed has every member's value suppressed, and the age derived from it too.
    suppressed = {row["respondent"] for row in members if row["member_birth_year"] == "-5"}
    assert all(row["member_birth_year"] == "-5" for row in members if row["respondent"] in suppressed)
    assert all(row["member_age"] == "-5" for row in members if row["member_birth_year"] == "-5")
    codebook = read(out / "codebook-members.csv")
    birth = next(row for row in codebook if row["variable"] == "member_birth_year" and row["label_en"])
    assert "chosen per household" in birth["generalisation"]
