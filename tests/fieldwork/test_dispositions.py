"""Dispositions follow each code through the journey; reminders go only to non-completers."""

from __future__ import annotations

import csv
import io

import pytest

from survey.evaluation.responserates import from_database
from survey.fieldwork import mailing
from survey.fieldwork.dispositions import code_states
from survey.fieldwork.reminders import reminder_batch
from survey.vault.codes import display

from ..journey import Respondent
from .conftest import draw_args, draw_id


def begin(client, questionnaire: str, code: str) -> Respondent:
    """Enter a code and stop on the first page."""
    person = Respondent(client, questionnaire)
    person.get(f"/{questionnaire}/?lang=en")
    person.get(f"/{questionnaire}/start")
    response = person.post(f"/{questionnaire}/start", {"code": display(code)})
    assert response.status_code == 303, response.data[:300]
    person.follow(response)
    return person


def finish_panel(person: Respondent) -> None:
    person.answer("consent", {"consent": "yes"})
    person.answer(
        "story", {"story": "Ein Garten", "income": "100", "born-day": "3", "born-month": "4", "born-year": "1980"}
    )
    assert person.submit().location.endswith("/panel/done")


@pytest.fixture
def drawn(app, runner, fieldwork_dir, register_file, design_file):
    result = runner.invoke(args=draw_args(register_file, design_file))
    assert result.exit_code == 0, result.output
    found = draw_id(result.output)
    return found, mailing.read(fieldwork_dir, found)


def _states(app, draw):
    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        return {state.member: state.disposition for state in code_states(session, "panel", draw)}


def test_each_code_gets_its_disposition_and_reminders_skip_completers(app, runner, fieldwork_dir, drawn):
    found, entries = drawn
    complete, started, partial, withdrawn, returned, returned_too = entries[:6]
    finish_panel(begin(app.test_client(), "panel", complete.code))
    begin(app.test_client(), "panel", started.code)
    begin(app.test_client(), "panel", partial.code).answer("consent", {"consent": "yes"})
    person = Respondent(app.test_client(), "panel")
    person.get("/withdraw")
    assert person.post("/withdraw", {"code": display(withdrawn.code)}).status_code == 200
    result = runner.invoke(
        args=[
            "fieldwork",
            "undeliverable",
            "--questionnaire",
            "panel",
            display(returned.code),
            returned_too.code.lower(),
        ]
    )
    assert result.exit_code == 0 and "recorded 2" in result.output
    states = _states(app, found)
    assert [states[e.member] for e in entries[:6]] == [
        "complete",
        "started",
        "partial",
        "withdrawn",
        "undeliverable",
        "undeliverable",
    ]
    assert all(states[e.member] == "issued" for e in entries[6:])

    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        batch = reminder_batch(session, fieldwork_dir, found)
        everyone = reminder_batch(session, fieldwork_dir, found, everyone=True)
    assert {e.member for e in batch.entries} == {e.member for e in entries} - {
        complete.member,
        withdrawn.member,
        returned.member,
        returned_too.member,
    }
    assert {e.member for e in everyone.entries} == {e.member for e in entries} - {returned.member, returned_too.member}

    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        wave = next(rate for rate in from_database(session, "panel") if rate.batch == "")
    counts = wave.counts  # what the evaluation's pages and reports count: the same dispositions
    assert (counts.issued, counts.started, counts.partial, counts.withdrawn, counts.undeliverable) == (60, 1, 1, 1, 2)
    assert wave.rates.rr1 == pytest.approx(1 / 60) and wave.rates.rr2 == pytest.approx(2 / 60)

    rates = runner.invoke(args=["fieldwork", "rates", "--questionnaire", "panel", "--by", "stratum"])
    assert rates.exit_code == 0, rates.output
    rows = {row["stratum"]: row for row in csv.DictReader(io.StringIO(rates.output))}
    total = rows["all"]
    assert (total["issued"], total["complete"], total["partial"], total["started"]) == ("60", "1", "1", "1")
    assert total["RR1_percent"] == f"{100 * 1 / 60:.2f}" and total["RR2_percent"] == f"{100 * 2 / 60:.2f}"
    # Returned letters as not eligible: they leave every denominator.
    ineligible = runner.invoke(
        args=["fieldwork", "rates", "--questionnaire", "panel", "--by", "wave", "--undeliverable-ineligible"]
    )
    rows = {row["wave"]: row for row in csv.DictReader(io.StringIO(ineligible.output))}
    assert rows["all"]["RR1_percent"] == f"{100 * 1 / 58:.2f}"


def test_returned_letters_with_unknown_codes_record_nothing(app, runner, drawn):
    found, entries = drawn
    from survey.vault import codes

    result = runner.invoke(
        args=["fieldwork", "undeliverable", "--questionnaire", "panel", entries[0].code, codes.new_code()]
    )
    assert result.exit_code == 1 and "1 code(s) were not issued" in result.output
    typo = runner.invoke(args=["fieldwork", "undeliverable", "--questionnaire", "panel", "ABCD"])
    assert typo.exit_code == 1 and "code 1 ('ABCD'): length" in typo.output
    assert _states(app, found)[entries[0].member] == "issued"


def test_without_progress_tracking_only_completes_are_known(app, drawn, monkeypatch):
    found, entries = drawn
    monkeypatch.setitem(app.config, "FIELDWORK_TRACK_PROGRESS", False)
    begin(app.test_client(), "panel", entries[0].code).answer("consent", {"consent": "yes"})
    finish_panel(begin(app.test_client(), "panel", entries[1].code))
    states = _states(app, found)
    assert (states[entries[0].member], states[entries[1].member]) == ("issued", "complete")


def test_reminder_letters_leave_out_completers(app, runner, fieldwork_dir, drawn, tmp_path):
    import subprocess

    found, entries = drawn
    finish_panel(begin(app.test_client(), "panel", entries[0].code))
    out = tmp_path / "reminders.pdf"
    result = runner.invoke(args=["fieldwork", "reminders", "--draw", found, "--out", str(out)])
    assert result.exit_code == 0 and "59 reminder letters" in result.output, result.output
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], check=True, capture_output=True, text=True)
    assert text.stdout.count("Vor einigen Wochen haben wir Sie zu dieser Befragung eingeladen.") == 59
    assert display(entries[0].code) not in text.stdout and display(entries[1].code) in text.stdout
    assert not list(tmp_path.glob("*.part"))
