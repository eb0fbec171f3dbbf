"""Exports: known answers round-trip, labels in SPSS and Stata, privacy classes, k-anonymity, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyreadstat
import pytest
from sqlalchemy import select

from survey.audit import AuditEvent
from survey.export.pipeline import ExportError, ExportOptions, export
from survey.respond import synthetic

from ..conftest import private_keys
from ..factories import store_response

EVERY = {
    "consent": True,
    "birth_year": 1990,
    "country_birth": "SY",
    "arrival": "2016-06",
    "working": 1,
    "hours": 38,
    "wage": "dont_know",
    "home_langs": [1, 2],
    "mother_tongue": "ar",
    "municipality": 2,
    "life_sat": 7,
    "trust": {"police": 2, "courts": "refused"},
    "why_police": "zu langsam",
    "comment": "Danke",
}
NOT_WORKING = {
    "consent": True,
    "birth_year": 1970,
    "country_birth": "DE",
    "working": 2,
    "home_langs": [9],
    "mother_tongue": "de",
    "municipality": 1,
    "life_sat": 3,
    "trust": {"police": 1, "courts": 1},
}


def run_export(app, tmp_path: Path, questionnaire_id: str = "every-type", **options) -> tuple[Path, list[dict]]:
    questionnaire = app.extensions["survey.questionnaires"][questionnaire_id]
    out = tmp_path / "out"
    with app.extensions["survey.db"].sessions() as session:
        export(session, questionnaire, private_keys(), out, ExportOptions(**options))
    name = questionnaire_id + (f"-wave-{options['wave']}" if options.get("wave") else "")
    with (out / f"{name}.csv").open(encoding="utf-8") as handle:
        return out, list(csv.DictReader(handle))


def test_known_answers_round_trip_with_missing_codes(app, tmp_path):
    store_response(app, "every-type", EVERY)
    store_response(app, "every-type", NOT_WORKING)
    _, rows = run_export(app, tmp_path, k=1, max_suppression=0.0)
    assert len(rows) == 2
    first, second = sorted(rows, key=lambda row: row["hours"], reverse=True)
    assert first["consent"] == "1" and first["working"] == "1" and first["hours"] == "38"
    assert first["wage"] == "-1"  # don't know
    assert first["home_langs_1"] == "1" and first["home_langs_2"] == "1" and first["home_langs_3"] == "0"
    assert first["trust_police"] == "2" and first["trust_courts"] == "-2"  # refused
    assert second["hours"] == "-3" and second["wage"] == "-3"  # not asked: not working
    assert second["arrival"] == "-3"  # born in Germany
    assert "comment" not in first and "why_police" not in first  # free text stays out
    assert first["respondent"] != second["respondent"] and len(first["respondent"]) == 12
    assert {"mode", "language", "device", "start_month", "duration_min"} <= set(first)


def test_free_text_is_released_only_when_asked_and_flagged(app, tmp_path):
    store_response(app, "every-type", EVERY)
    out, rows = run_export(app, tmp_path, k=1, max_suppression=0.0, release_text=("comment",))
    assert rows[0]["comment"] == "Danke" and "why_police" not in rows[0]
    report = json.loads((out / "disclosure-report.json").read_text())
    assert report["released_free_text"] == ["comment"]


def test_spss_and_stata_files_read_back_with_labels(app, tmp_path):
    store_response(app, "every-type", EVERY)
    store_response(app, "every-type", NOT_WORKING)
    out, _ = run_export(app, tmp_path, k=1, max_suppression=0.0)
    frame, meta = pyreadstat.read_sav(str(out / "every-type.sav"))
    assert len(frame) == 2
    assert meta.column_names_to_labels["working"] == "Are you working at the moment?"
    assert meta.variable_value_labels["working"][1.0] == "Yes"
    assert meta.variable_value_labels["hours"][-3.0] == "Not asked (skip logic)"
    frame, meta = pyreadstat.read_dta(str(out / "every-type.dta"))
    assert sorted(frame["working"].tolist()) == [1, 2]
    assert meta.variable_value_labels["working"][2] == "No"


def test_manifest_lists_every_file_with_its_hash_and_an_audit_event_is_written(app, tmp_path):
    import hashlib

    store_response(app, "every-type", EVERY)
    out, _ = run_export(app, tmp_path, k=1, max_suppression=0.0)
    manifest = json.loads((out / "manifest.json").read_text())
    assert {
        "every-type.csv",
        "every-type.sav",
        "every-type.dta",
        "codebook.csv",
        "codebook.html",
        "disclosure-report.json",
    } <= set(manifest["files"])
    for name, facts in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == facts["sha256"]
    assert manifest["parameters"]["k"] == 1 and manifest["software"]["name"] == "wetterau-survey"
    with app.extensions["survey.db"].sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.event == "export.created")).all()
    assert len(events) == 1 and "Danke" not in events[0].detail and "k=1" in events[0].detail


def test_codebook_has_both_languages_value_labels_and_privacy(app, tmp_path):
    store_response(app, "every-type", EVERY)
    out, _ = run_export(app, tmp_path, k=1, max_suppression=0.0)
    with (out / "codebook.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    working = next(row for row in rows if row["variable"] == "working" and row["label_de"])
    assert working["label_de"] == "Arbeiten Sie zurzeit?" and working["label_en"] == "Are you working at the moment?"
    assert any(row["variable"] == "working" and row["value"] == "2" and row["value_en"] == "No" for row in rows)
    birth = next(row for row in rows if row["variable"] == "birth_year" and row["label_de"])
    assert birth["privacy"] == "quasi"
    assert "Nicht gefragt" in (out / "codebook.html").read_text()


def test_study_export_is_k_anonymous_by_an_independent_check(app, tmp_path):
    study_app_questionnaire = app.extensions["survey.questionnaires"]["every-type"]
    with app.extensions["survey.db"].sessions() as session:
        synthetic.store(session, study_app_questionnaire, app.extensions["survey.study_key"], 300, seed=7)
    out, rows = run_export(app, tmp_path, k=5, max_suppression=0.1)
    report = json.loads((out / "disclosure-report.json").read_text())
    quasi = [
        "birth_year",
        "country_birth",
        "arrival",
        "mother_tongue",
        "municipality",
        "language",
        "device",
        "start_month",
    ]
    combos: dict[tuple, int] = {}
    for row in rows:
        if any(row[name] == "-5" for name in quasi):
            continue  # suppressed
        key = tuple(row[name] for name in quasi)
        combos[key] = combos.get(key, 0) + 1
    assert combos and min(combos.values()) >= 5
    suppressed = sum(any(row[name] == "-5" for name in quasi) for row in rows)
    assert suppressed <= 0.1 * len(rows)
    assert report["k_reached"] >= 5


def test_export_errors_are_clear(app, tmp_path):
    questionnaire = app.extensions["survey.questionnaires"]["every-type"]
    with app.extensions["survey.db"].sessions() as session:
        with pytest.raises(ExportError, match="no responses for 'every-type'"):
            export(session, questionnaire, private_keys(), tmp_path / "a", ExportOptions())
        store_response(app, "every-type", EVERY)
        with pytest.raises(ExportError, match="unknown question"):
            export(session, questionnaire, private_keys(), tmp_path / "b", ExportOptions(release_text=("nope",)))
        with pytest.raises(ExportError, match="unknown format"):
            export(session, questionnaire, private_keys(), tmp_path / "c", ExportOptions(formats=("xlsx",)))
        with pytest.raises(ExportError):
            export(session, questionnaire, private_keys(), tmp_path / "d", ExportOptions(k=50))
