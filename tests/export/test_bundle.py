"""A sealed bundle carries the responses to a machine with the private key and no database: the export
made from it equals the one made from the database, and a damaged bundle is refused by name."""

from __future__ import annotations

import csv
import json
import stat
import zipfile
from pathlib import Path

import pytest

from survey.migrations import upgrade
from survey.respond import synthetic

from ..conftest import ROOT, TEST_PASSPHRASE, make_app, study_keys

STUDY = "wetterau-integration"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A database with 120 synthetic study responses in two waves, and a bundle written from it."""
    folder = tmp_path_factory.mktemp("bundle")
    app = make_app(f"sqlite:///{folder / 'server.sqlite3'}", questionnaire_dir=ROOT / "questionnaires")
    upgrade(app.extensions["survey.db"].engine)
    study = app.extensions["survey.questionnaires"][STUDY]
    with app.extensions["survey.db"].sessions() as session:
        synthetic.store(session, study, app.extensions["survey.study_key"], 80, seed=5, wave="1")
        synthetic.store(session, study, app.extensions["survey.study_key"], 40, seed=6, wave="2")
    bundle = folder / "study.bundle"
    result = app.test_cli_runner().invoke(args=["bundle", "--questionnaire", STUDY, "--out", str(bundle)])
    assert result.exit_code == 0, result.output
    assert "wrote 120 sealed responses" in result.output
    return app, bundle, folder


def offline_app(folder: Path):
    """An app whose database does not even have tables: an export from a bundle must not need it."""
    return make_app(f"sqlite:///{folder / 'offline-empty.sqlite3'}", questionnaire_dir=ROOT / "questionnaires")


def export_args(out: Path, *more: str) -> list[str]:
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    return ["export", "--key", str(private_file), "--out", str(out), "--k", "2", "--max-suppression", "0.5", *more]


PER_EXPORT = {"respondent", "interviewer"}  # random per export by design


def rows_without_ids(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [
            {name: value for name, value in row.items() if name not in PER_EXPORT} for row in csv.DictReader(handle)
        ]


def test_bundle_keeps_answers_sealed_and_only_its_owner_reads_it(stored):
    _, bundle, _ = stored
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    with zipfile.ZipFile(bundle) as archive:
        header = json.loads(archive.read("bundle.json"))
        lines = archive.read("responses.jsonl").splitlines()
    assert header["responses"] == len(lines) == 120 and header["waves"] == ["1", "2"]
    first = json.loads(lines[0])
    assert set(first) == {
        "id",
        "questionnaire_id",
        "questionnaire_version",
        "wave",
        "pseudonym",
        "submitted_hour",
        "content",
        "paradata",
    }
    assert b"answers" not in b"".join(lines)  # the record's own keys are inside the ciphertext


def test_export_from_a_bundle_equals_the_export_from_the_database(stored, tmp_path, monkeypatch):
    app, bundle, folder = stored
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    online = app.test_cli_runner().invoke(args=export_args(tmp_path / "online", "--questionnaire", STUDY))
    assert online.exit_code == 0, online.output
    offline = (
        offline_app(folder).test_cli_runner().invoke(args=export_args(tmp_path / "offline", "--bundle", str(bundle)))
    )
    assert offline.exit_code == 0, offline.output
    assert "exported 120 responses" in offline.output
    csv_name = f"{STUDY}.csv"
    assert rows_without_ids(tmp_path / "offline" / csv_name) == rows_without_ids(tmp_path / "online" / csv_name)
    manifest = json.loads((tmp_path / "offline" / "manifest.json").read_text())
    assert manifest["parameters"]["source"] == "bundle study.bundle"
    assert manifest["parameters"]["responses"] == 120


def test_a_wave_of_a_bundle(stored, tmp_path, monkeypatch):
    _, bundle, folder = stored
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    result = (
        offline_app(folder)
        .test_cli_runner()
        .invoke(args=export_args(tmp_path / "out", "--bundle", str(bundle), "--wave", "2"))
    )
    assert result.exit_code == 0, result.output
    assert "exported 40 responses" in result.output


def damaged_copy(bundle: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            copy.writestr(name, change(name, source.read(name)))
    return target


def flip_in_responses(name: str, data: bytes) -> bytes:
    if name != "responses.jsonl":
        return data
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


def other_format(name: str, data: bytes) -> bytes:
    if name != "bundle.json":
        return data
    header = json.loads(data)
    header["format"] = "something-else/9"
    return json.dumps(header).encode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda bundle, tmp: damaged_copy(bundle, tmp / "flipped.bundle", flip_in_responses), "does not match its"),
        (lambda bundle, tmp: damaged_copy(bundle, tmp / "other.bundle", other_format), "not a response bundle"),
        (lambda bundle, tmp: _write(tmp / "text.bundle", b"not a zip at all"), "not a readable response bundle"),
        (lambda bundle, tmp: tmp / "missing.bundle", "no such file"),
    ],
)
def test_a_damaged_or_foreign_bundle_is_refused_clearly(stored, tmp_path, monkeypatch, make, message):
    _, bundle, folder = stored
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    target = make(bundle, tmp_path)
    result = offline_app(folder).test_cli_runner().invoke(args=export_args(tmp_path / "out", "--bundle", str(target)))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / f"{STUDY}.csv").exists()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_bundle_refuses_to_overwrite_and_names_the_wrong_questionnaire(stored, tmp_path, monkeypatch):
    app, bundle, folder = stored
    again = app.test_cli_runner().invoke(args=["bundle", "--questionnaire", STUDY, "--out", str(bundle)])
    assert again.exit_code == 1 and "exists already" in again.output
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    wrong = (
        offline_app(folder)
        .test_cli_runner()
        .invoke(args=export_args(tmp_path / "out", "--bundle", str(bundle), "--questionnaire", "panel"))
    )
    assert wrong.exit_code == 2 and f"holds '{STUDY}'" in wrong.output
