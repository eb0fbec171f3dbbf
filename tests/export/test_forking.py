"""A job started beside the export's own work (the member files while the main file is anonymised):
it runs in a forked process on what it inherited, and its result or its error comes back."""

from __future__ import annotations

import os

import pytest

from survey.export import forking

SECRET = {"value": 0}  # set before the fork: the worker sees it without anything being pickled


def _report() -> tuple[int, int]:
    return SECRET["value"], os.getpid()


def _fail() -> None:
    raise ValueError("roster 'members': cannot be written")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_beside_returns_its_result_from_the_inherited_memory(workers):
    SECRET["value"] = 42
    job = forking.start_beside(_report, workers)
    SECRET["value"] = 0  # changed here after the fork: the worker keeps what it inherited
    value, pid = job.result()
    if workers > 1:
        assert (value, pid != os.getpid()) == (42, True)
    else:
        assert (value, pid) == (0, os.getpid())  # run here, when asked


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_besides_error_is_raised_where_its_result_is_asked_for(workers):
    job = forking.start_beside(_fail, workers)
    with pytest.raises(ValueError, match="roster 'members': cannot be written"):
        job.result()
    job.close()


def test_a_job_no_longer_wanted_is_ended():
    job = forking.start_beside(_report, 2)
    job.close()
    job.close()  # twice is harmless
