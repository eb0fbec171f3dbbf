"""Unsealing and row-making in worker processes: the export's files are the same bytes whatever the
number of workers (so rows keep the database's order), and a record that does not open still stops
the export with its id named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from survey.export import reading
from survey.export.pipeline import ExportOptions, export_from
from survey.export.source import DatabaseSource
from survey.migrations import upgrade
from survey.respond import synthetic
from survey.vault.models import SealedResponse
from survey.vault.responses import ResponseUnreadable

from ..conftest import ROOT, make_app, private_keys

STUDY = "wetterau-integration"
RESPONSES = 700  # several batches per worker, so that the order of their return matters
EXPORT_KEY = bytes(range(32))  # fixed only here, to compare two exports byte for byte
# Files that state when or how fast they were made; compared without those fields below.
TIMED = {"disclosure-report.json", "disclosure-report.txt", "manifest.json"}


@pytest.fixture(scope="module")
def study_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel")
    app = make_app(f"sqlite:///{folder / 'server.sqlite3'}", questionnaire_dir=ROOT / "questionnaires")
    upgrade(app.extensions["survey.db"].engine)
    study = app.extensions["survey.questionnaires"][STUDY]
    with app.extensions["survey.db"].sessions() as session:
        synthetic.store(session, study, app.extensions["survey.study_key"], RESPONSES - 200, seed=11, wave="1")
        synthetic.store(session, study, app.extensions["survey.study_key"], 200, seed=12, wave="2")
    return app


def _export(app, out: Path, workers: int, wave: str | None = None):
    study = app.extensions["survey.questionnaires"][STUDY]
    options = ExportOptions(wave=wave, k=3, max_suppression=0.2, formats=("csv", "sav", "dta"), workers=workers)
    with app.extensions["survey.db"].sessions() as session:
        return export_from(
            DatabaseSource(session, STUDY, wave), study, private_keys(), out, options, export_key=EXPORT_KEY
        )


def _without_stamps(name: str, data: bytes) -> bytes:
    """SPSS and Stata files carry the time they were written (SPSS: "dd Mon yy" and "hh:mm:ss" at
    bytes 92-108 of the header; Stata 117+: a <timestamp> element): blanked, all else compared."""
    if name.endswith(".sav"):
        assert re.fullmatch(rb"\d\d \w{3} \d\d\d\d:\d\d:\d\d", data[92:109]), data[92:109]
        return data[:92] + bytes(17) + data[109:]
    if name.endswith(".dta"):
        data, found = re.subn(rb"<timestamp>.[^<]*</timestamp>", b"<timestamp></timestamp>", data, count=1)
        assert found == 1
    return data


def _without_times(report: dict) -> dict:
    """The report without the anonymiser's search times (also in the text of each roster's part)."""
    members = {
        roster: {**part, "text": re.sub(r"in \d+\.\d+ s\.", "in - s.", part["text"])}
        for roster, part in report.get("members", {}).items()
    }
    search = {key: value for key, value in report["search"].items() if key != "seconds"}
    return {**report, "search": search, **({"members": members} if members else {})}


def test_one_and_two_workers_write_identical_files(study_app, tmp_path):
    assert RESPONSES > 3 * reading.BATCH
    one = _export(study_app, tmp_path / "one", workers=1)
    two = _export(study_app, tmp_path / "two", workers=2)
    assert one.rows == two.rows == RESPONSES
    names = sorted(path.name for path in one.files)
    assert names == sorted(path.name for path in two.files)
    assert {"wetterau-integration.csv", "wetterau-integration.sav", "wetterau-integration.dta"} <= set(names)
    for name in names:
        if name not in TIMED:
            first, second = ((tmp_path / run / name).read_bytes() for run in ("one", "two"))
            assert _without_stamps(name, first) == _without_stamps(name, second), name
    reports = [json.loads((tmp_path / run / "disclosure-report.json").read_text()) for run in ("one", "two")]
    assert _without_times(reports[0]) == _without_times(reports[1])
    manifests = [json.loads((tmp_path / run / "manifest.json").read_text()) for run in ("one", "two")]
    for manifest in manifests:
        manifest["disclosure_report"] = _without_times(manifest["disclosure_report"])
        for name in list(manifest["files"]):
            if name in TIMED or name.endswith((".sav", ".dta")):  # hashes of files with a time in them
                del manifest["files"][name]
    assert manifests[0] == manifests[1]


def test_a_damaged_record_stops_a_parallel_export_naming_it(study_app, tmp_path):
    engine = study_app.extensions["survey.db"].engine
    with engine.begin() as connection:
        victim, content = connection.execute(
            select(SealedResponse.id, SealedResponse.content).order_by(SealedResponse.id).offset(450).limit(1)
        ).one()
        damaged = bytes(content[:-1]) + bytes([content[-1] ^ 1])
        connection.execute(update(SealedResponse).where(SealedResponse.id == victim).values(content=damaged))
    try:
        with pytest.raises(ResponseUnreadable, match=f"response {victim}: does not open"):
            _export(study_app, tmp_path / "broken", workers=2)
    finally:
        with engine.begin() as connection:
            connection.execute(update(SealedResponse).where(SealedResponse.id == victim).values(content=content))


def test_workers_leave_the_database_connection_of_the_export_usable(app, tmp_path):
    """On SQLite and PostgreSQL: the rows are still being streamed from the database while the forked
    workers run, and the export's session is used after them (the audit event)."""
    questionnaire = app.extensions["survey.questionnaires"]["every-type"]
    with app.extensions["survey.db"].sessions() as session:
        synthetic.store(session, questionnaire, app.extensions["survey.study_key"], 3 * reading.BATCH + 50, seed=4)
    outputs = []
    for workers in (1, 2):
        options = ExportOptions(k=2, max_suppression=0.5, formats=("csv",), workers=workers)
        out = tmp_path / str(workers)
        with app.extensions["survey.db"].sessions() as session:
            source = DatabaseSource(session, questionnaire.id)
            result = export_from(source, questionnaire, private_keys(), out, options, export_key=EXPORT_KEY)
            assert session.scalar(select(SealedResponse.id).limit(1)) is not None  # the connection still works
        assert result.rows == 3 * reading.BATCH + 50
        outputs.append((out / "every-type.csv").read_bytes())
    assert outputs[0] == outputs[1]
