"""The shipped study with synthetic responses: a researcher's export is complete and k-anonymous."""

from __future__ import annotations

import csv
import datetime
import json
import zipfile

import pyreadstat

from survey.migrations import upgrade
from survey.respond import synthetic

from ..conftest import ROOT, TEST_PASSPHRASE, make_app, study_keys

QUASI = [
    "birth_year",
    "gender",
    "country_birth",
    "nationality_1",
    "nationality_2",
    "arrival_year",
    "municipality",
    "wetterau_since",
    "household_size",
    "children_count",
    "language",
    "device",
    "start_month",
]


def test_cli_export_of_the_study_is_k_anonymous_and_complete(tmp_path, monkeypatch):
    app = make_app(f"sqlite:///{tmp_path / 's.sqlite3'}", questionnaire_dir=ROOT / "questionnaires")
    upgrade(app.extensions["survey.db"].engine)
    study = app.extensions["survey.questionnaires"]["wetterau-integration"]
    with app.extensions["survey.db"].sessions() as session:
        synthetic.store(session, study, app.extensions["survey.study_key"], 400, seed=3)
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    out = tmp_path / "export"
    result = app.test_cli_runner().invoke(
        args=[
            "export",
            "--questionnaire",
            study.id,
            "--key",
            str(private_file),
            "--out",
            str(out),
            "--k",
            "5",
            "--max-suppression",
            "0.05",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "exported 400 responses" in result.output and "k reached 5" in result.output
    report = json.loads((out / "disclosure-report.json").read_text(encoding="utf-8"))
    suppressed = report["suppressed"]["records"]
    assert f"{suppressed} record(s) suppressed ({suppressed / 400:.1%})" in result.output
    assert "None" not in result.output
    with (out / "wetterau-integration.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 400
    assert set(QUASI) <= set(rows[0]) and "comment" not in rows[0]
    groups: dict[tuple, int] = {}
    suppressed = 0
    for row in rows:
        if any(row[name] == "-5" for name in QUASI):
            suppressed += 1
            continue
        key = tuple(row[name] for name in QUASI)
        groups[key] = groups.get(key, 0) + 1
    assert min(groups.values()) >= 5 and suppressed <= 20
    year = datetime.datetime.now(datetime.UTC).year  # the synthetic responses were submitted now
    for row in rows:  # computed values follow the anonymised answers they read: never finer than they
        for computed, source in (("age", "birth_year"), ("years_in_germany", "arrival_year")):
            value = row[source]
            if "-" in value[1:]:
                low, high = value.split("-")
                assert row[computed] == f"{year - int(high)}-{year - int(low)}", row
            elif value in ("-5", "*"):
                assert row[computed] == "-5"
            elif not value.startswith("-"):
                assert int(row[computed]) == year - int(value)
    # The month since when a respondent lives in the county is released as it is or hidden whole ("*",
    # with the missing codes), and the years counted from it follow.
    since = {row["wetterau_since"] for row in rows}
    assert since <= {"*", "-5"} or all(value.startswith("-") or len(value) == 7 for value in since), since
    for row in rows:
        if row["wetterau_since"] in ("*", "-5"):
            assert row["years_in_wetterau"] == "-5"
    with (out / "codebook.csv").open(encoding="utf-8") as handle:
        codebook = {row["variable"]: row for row in csv.DictReader(handle) if row["label_de"]}
    assert codebook["wetterau_since"]["privacy"] == "quasi"
    assert codebook["age"]["computed_as"] == "year(today()) - birth_year"
    assert codebook["age"]["generalisation"].startswith("computed from the anonymised answers")
    report = json.loads((out / "disclosure-report.json").read_text())
    assert report["k_reached"] >= 5 and report["suppressed"]["records"] == suppressed
    frame, meta = pyreadstat.read_sav(str(out / "wetterau-integration.sav"))
    assert len(frame) == 400 and meta.column_names_to_labels["life_satisfaction"]
    names = set(zipfile.ZipFile(out / "export.zip").namelist())
    assert {
        "wetterau-integration.csv",
        "wetterau-integration.sav",
        "wetterau-integration.dta",
        "codebook.csv",
        "codebook.html",
        "disclosure-report.json",
        "manifest.json",
        "wetterau-integration-household_members.csv",
        "codebook-household_members.csv",
    } <= names
    # The household roster: a long-format member file under the main file's respondent ids, anonymised
    # per household (400 records, not one per member).
    with (out / "wetterau-integration-household_members.csv").open(encoding="utf-8") as handle:
        members = list(csv.DictReader(handle))
    assert len(members) > 400 and {row["respondent"] for row in members} <= {row["respondent"] for row in rows}
    assert list(members[0]) == ["respondent", "member", "member_birth_year", "member_age"]
    household = report["members"]["household_members"]
    assert household["records"] == 400 and household["members"] == len(members) and household["k_reached"] >= 5
    app.extensions["survey.db"].dispose()
