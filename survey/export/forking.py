"""Work of an export spread over forked worker processes.

Fork, not spawn: a worker inherits what it needs (the private key, the anonymised table) from this
process's memory, so nothing secret is pickled, written or sent anywhere but to the worker, and it
starts without importing anything again. Pools are made before any thread of their own runs. Where
fork does not exist, everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from multiprocessing.pool import AsyncResult, Pool
from typing import Any


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def pool(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Pool:
    """`workers` forked processes, each first running `initializer(*initargs)` on what it inherited
    (the arguments are not pickled). Use it in a `with` block: leaving it ends the workers."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=initializer, initargs=initargs)


_JOBS: Sequence[Callable[[], Any]] = ()  # in a worker: the jobs it inherited


def _inherit(jobs: Sequence[Callable[[], Any]]) -> None:
    global _JOBS
    _JOBS = jobs


def _run(index: int) -> None:
    _JOBS[index]()


def run_beside(here: Sequence[Callable[[], Any]], elsewhere: Sequence[Callable[[], Any]], workers: int) -> None:
    """Run the jobs in `here` in this process while those in `elsewhere` run in up to `workers - 1`
    forked processes (all in this process when `workers` is 1); the first failure is raised here."""
    if workers <= 1 or not elsewhere or not can_fork():
        for job in [*here, *elsewhere]:
            job()
        return
    with pool(min(workers - 1, len(elsewhere)), _inherit, (tuple(elsewhere),)) as workers_pool:
        pending = [workers_pool.apply_async(_run, (index,)) for index in range(len(elsewhere))]
        for job in here:
            job()
        for result in pending:
            result.get()


def _run_returning(index: int) -> Any:
    return _JOBS[index]()


class Beside:
    """One job started in a forked process now (see `start_beside`), its result taken later."""

    def __init__(self, job: Callable[[], Any], fork: bool) -> None:
        self._job: Callable[[], Any] | None = job
        self._pool: Pool | None = None
        self._pending: AsyncResult[Any] | None = None
        if fork:
            self._pool = pool(1, _inherit, ((job,),))
            self._pending = self._pool.apply_async(_run_returning, (0,))
            self._job = None  # the worker has it: what it holds can be released here

    def result(self) -> Any:
        """The job's result (run here and now when it was not forked); its exception is raised here."""
        if self._pending is None:
            assert self._job is not None, "result asked for twice"
            job, self._job = self._job, None
            return job()
        try:
            return self._pending.get()
        finally:
            self.close()

    def close(self) -> None:
        """End the worker (also when its result is no longer wanted)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def start_beside(job: Callable[[], Any], workers: int) -> Beside:
    """Start `job` in a forked process when `workers` > 1 (it inherits what it needs; only its result
    is pickled back), else leave it to run in this process when its result is asked for."""
    return Beside(job, workers > 1 and can_fork())
