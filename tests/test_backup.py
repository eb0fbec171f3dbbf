"""A restored backup exports exactly what the original exports (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import uuid

from sqlalchemy import create_engine, text

from survey.backup import BackupError, backup, restore
from survey.export.pipeline import ExportOptions, export
from survey.respond import synthetic

from .conftest import make_app, private_keys


def exported(app, folder) -> list[dict]:
    with app.extensions["survey.db"].sessions() as session:
        export(
            session,
            app.extensions["survey.questionnaires"]["every-type"],
            private_keys(),
            folder,
            ExportOptions(k=2, max_suppression=0.2, formats=("csv",)),
        )
    with (folder / "every-type.csv").open(encoding="utf-8") as handle:
        # Respondent ids are random per export by design; everything else must match.
        return [{k: v for k, v in row.items() if k != "respondent"} for row in csv.DictReader(handle)]


def empty_twin(app, tmp_path) -> str:
    """A new, empty database of the same kind as the app's."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    name = "restore_" + uuid.uuid4().hex[:8]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.replace("/postgres?", f"/{name}?")


def test_restored_backup_exports_identically(app, tmp_path):
    with app.extensions["survey.db"].sessions() as session:
        synthetic.store(
            session,
            app.extensions["survey.questionnaires"]["every-type"],
            app.extensions["survey.study_key"],
            60,
            seed=11,
        )
    original = exported(app, tmp_path / "a")
    file = backup(app.extensions["survey.db"].engine, tmp_path / "backup.dump")
    twin = make_app(empty_twin(app, tmp_path))
    restore(twin.extensions["survey.db"].engine, file)
    assert exported(twin, tmp_path / "b") == original and len(original) == 60
    twin.extensions["survey.db"].dispose()


def test_backup_never_overwrites_and_restore_needs_a_file(app, tmp_path):
    target = tmp_path / "exists.dump"
    target.write_text("keep me")
    try:
        backup(app.extensions["survey.db"].engine, target)
    except BackupError as error:
        assert "never overwrites" in str(error)
    else:
        raise AssertionError("backup overwrote a file")
    assert target.read_text() == "keep me"
    try:
        restore(app.extensions["survey.db"].engine, tmp_path / "missing.dump")
    except BackupError as error:
        assert "no such backup file" in str(error)
    else:
        raise AssertionError("restore accepted a missing file")
