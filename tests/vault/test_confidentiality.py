"""Nobody holding the database, a dump of it, the key folder or the logs can read an answer; the
private key with its passphrase reads every answer exactly."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from survey.vault.keys import load_private
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import TEST_PASSPHRASE, study_keys
from ..factories import issue_code
from ..participants.test_codes import answer_panel
from ..postgres import find_bin

STORY = "Zaytun-Quokka-8841 lebt in Gedern"
INCOME = "93517264"


def dump(app: Flask) -> bytes:
    url = app.config["DATABASE_URL"]
    engine = app.extensions["survey.db"].engine
    if url.startswith("sqlite"):
        raw = engine.raw_connection()
        try:
            return "\n".join(raw.driver_connection.iterdump()).encode()
        finally:
            raw.close()
    pg_dump = find_bin("pg_dump")
    assert pg_dump, "pg_dump not installed"
    host = engine.url.query["host"]
    return subprocess.run(
        [pg_dump, "-h", host, "-U", engine.url.username, engine.url.database or "postgres"],
        check=True,
        capture_output=True,
    ).stdout


def files_below(*folders: Path) -> bytes:
    return b"".join(path.read_bytes() for folder in folders for path in folder.rglob("*") if path.is_file())


def test_stored_answers_appear_nowhere_in_the_clear(app, runner, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    code = issue_code(runner, tmp_path)
    _, response = answer_panel(app.test_client(), code, story=STORY, income=INCOME)
    assert response.location.endswith("/done")

    secrets = [STORY.encode(), b"Zaytun-Quokka", INCOME.encode(), code.encode(), code.replace("-", "").encode()]
    places = {"dump": dump(app), "logs": caplog.text.encode(), "keys": files_below(study_keys()[0].parent)}
    if app.config["DATABASE_URL"].startswith("sqlite"):
        places["database files"] = files_below(Path(app.config["DATABASE_URL"].removeprefix("sqlite:///")).parent)
    for place, content in places.items():
        for secret in secrets:
            assert secret not in content, f"{secret!r} found in {place}"

    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    private = load_private(private_file, TEST_PASSPHRASE)
    with app.extensions["survey.db"].sessions() as session:
        row = session.scalars(select(SealedResponse)).one()
    record = unseal_response(
        row.id, row.questionnaire_id, row.questionnaire_version, row.content, {private.key_id: private}
    )
    assert record["answers"] == {"consent": True, "story": STORY, "income": int(INCOME), "born": "1980-04-03"}
    assert record["wave"] == "1" and record["pseudonym"] == row.pseudonym


def test_verify_command_opens_every_response_and_names_a_damaged_one(app, tmp_path, monkeypatch):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo
    from sqlalchemy import update

    from survey.vault.cli import responses_group

    from ..journey import Respondent, complete

    for _ in range(2):
        person = Respondent(app.test_client(), "every-type")
        complete(person, "de", app.extensions["survey.questionnaires"]["every-type"])
        person.submit()
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    info = ScriptInfo(create_app=lambda: app)
    result = CliRunner().invoke(responses_group, ["verify", "--key", str(private_file)], obj=info)
    assert result.exit_code == 0, result.output
    assert "2 response(s) open, 0 do not" in result.output
    with app.extensions["survey.db"].engine.begin() as connection:
        victim = connection.execute(select(SealedResponse.id)).scalars().first()
        connection.execute(update(SealedResponse).where(SealedResponse.id == victim).values(content=b"R1" + b"\0" * 40))
    result = CliRunner().invoke(responses_group, ["verify", "--key", str(private_file)], obj=info)
    assert result.exit_code == 1
    assert f"response {victim}:" in result.output and "1 do not" in result.output
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", "not the passphrase at all")
    result = CliRunner().invoke(responses_group, ["verify", "--key", str(private_file)], obj=info)
    assert result.exit_code == 1 and "wrong passphrase" in result.output
