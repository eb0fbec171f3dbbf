"""`flask offline upload FILE --interviewer EMAIL`: an outbox saved on a device, stored once by a staff
member; a file that is not an outbox, or a bad record in it, is named with its JSON pointer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..accounts.signin import make_user
from ..conftest import count_rows
from .test_sync import offline_record


def outbox_file(folder: Path, records: Any, name: str = "outbox", **changes: Any) -> Path:
    document = {"format": "wetterau-survey-outbox", "version": 1, "records": records, **changes}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_outbox_file_is_stored_once_with_the_interviewers_pseudonym(app: Any, tmp_path: Path) -> None:
    make_user(app, "device@example.org", ["interviewer"])
    file = outbox_file(tmp_path, [offline_record(), offline_record()])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["offline", "upload", str(file), "--interviewer", "device@example.org"])
    assert first.exit_code == 0, first.output
    assert "stored 2, stored before 0, refused 0" in first.output
    again = runner.invoke(args=["offline", "upload", str(file), "--interviewer", "device@example.org"])
    assert "stored 0, stored before 2, refused 0" in again.output
    assert count_rows(app, "sealed_response") == 2


def test_a_bad_record_is_named_by_its_pointer_and_the_others_are_stored(app: Any, tmp_path: Path) -> None:
    make_user(app, "device@example.org", ["interviewer"])
    file = outbox_file(tmp_path, [offline_record(), offline_record(sealed="bm90IHNlYWxlZA==")])
    result = app.test_cli_runner().invoke(args=["offline", "upload", str(file), "--interviewer", "device@example.org"])
    assert result.exit_code == 1
    assert "/records/1/sealed: not a sealed record" in result.output
    assert "stored 1, stored before 0, refused 1" in result.output
    assert count_rows(app, "sealed_response") == 1


def test_files_that_are_not_outboxes_are_refused_clearly(app: Any, tmp_path: Path) -> None:
    make_user(app, "device@example.org", ["interviewer"])
    make_user(app, "researcher@example.org", ["researcher"])
    runner = app.test_cli_runner()
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    cases = {
        str(broken): "not a JSON file",
        str(outbox_file(tmp_path, [], "format", format="something")): '/format: needs "wetterau-survey-outbox"',
        str(outbox_file(tmp_path, [], "version", version=2)): "/version: needs version 1",
        str(outbox_file(tmp_path, {}, "records")): "/records: needs a list of records",
    }
    for path, message in cases.items():
        result = runner.invoke(args=["offline", "upload", path, "--interviewer", "device@example.org"])
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output
    wrong = runner.invoke(args=["offline", "upload", str(broken), "--interviewer", "researcher@example.org"])
    assert wrong.exit_code == 2 and "no interviewer account 'researcher@example.org'" in wrong.output
    assert count_rows(app, "sealed_response") == 0
