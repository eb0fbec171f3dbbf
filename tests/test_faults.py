"""The load and fault test of bench/loadtest.py, small: gunicorn as in the Procfile, a worker or the
whole server killed with SIGKILL mid-run, or PostgreSQL stopped as a crash would stop it; every
thank-you page has exactly one stored response, and the server log holds no traceback and no 500."""

from __future__ import annotations

import pytest

from bench import loadtest

CLEAN_LOG = "server log: 0 tracebacks, 0 responses of status 500"


@pytest.mark.parametrize("fault", ["--kill-worker", "--kill-server"])
def test_no_response_is_lost_or_doubled_when_gunicorn_is_killed(fault, capsys):
    assert loadtest.main(["--respondents", "12", fault, "--time-limit", "240"]) == 0
    output = capsys.readouterr().out
    assert "OK: nothing lost, nothing doubled" in output
    assert "thank-you pages 12; stored responses 12; unsealed and matching what was sent 12" in output
    assert CLEAN_LOG in output


@pytest.mark.postgres
def test_postgresql_stopped_mid_run_answers_503_and_loses_nothing(capsys):
    arguments = ["--respondents", "8", "--database", "postgresql", "--kill-db", "--db-down", "2", "--kill-at", "0.3"]
    assert loadtest.main([*arguments, "--time-limit", "240"]) == 0
    output = capsys.readouterr().out
    assert "thank-you pages 8; stored responses 8; unsealed and matching what was sent 8" in output
    assert CLEAN_LOG in output
    sent_again = int(output.split("503 answers sent again ")[1].split()[0])
    assert sent_again > 0, "the database stop was not noticed"
    assert output.count("WARNING in outage: database unavailable") <= 2  # one per worker
