"""The load and fault test of bench/loadtest.py, small: gunicorn as in the Procfile, a worker or the
whole server killed with SIGKILL mid-run; every thank-you page has exactly one stored response."""

from __future__ import annotations

import pytest

from bench import loadtest


@pytest.mark.parametrize("fault", ["--kill-worker", "--kill-server"])
def test_no_response_is_lost_or_doubled_when_gunicorn_is_killed(fault, capsys):
    assert loadtest.main(["--respondents", "12", fault, "--time-limit", "240"]) == 0
    output = capsys.readouterr().out
    assert "OK: nothing lost, nothing doubled" in output
    assert "thank-you pages 12; stored responses 12; unsealed and matching what was sent 12" in output
