"""Section 3, export: store N synthetic sealed responses of the study in a temporary SQLite database,
then time the bare HPKE unseal of every row in one process (the floor) and the full export (csv and
sav, k=5, at most 4% suppressed) with one worker per usable core as `flask export` runs it, and again
in one process; each in a fresh process so that peak memory (RSS high-water mark) is its own.

Run by bench/run.py; `python bench/export_cost.py store|unseal|export DATABASE [COUNT|OUT [WORKERS]]` is one
such process, printing its measurements as one JSON line."""

from __future__ import annotations

import json
import linecache
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from figures import Figure

QUESTIONNAIRE = "wetterau-integration"
EXPORT_LIMIT_SECONDS = 15 * 60  # an export slower than this is reported as too slow, not waited for
STORE_LIMIT_SECONDS = 45 * 60
UNSEAL_LIMIT_SECONDS = 30 * 60
COST_FACTOR_GOAL = 11.0
RATIO_GOAL = 2.0
MEMORY_GOAL_MB = 1000
MEMORY_GOAL_AT = 100_000


# --- inside one measuring process ---------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class LineSampler(threading.Thread):
    """Every 50 ms, which line of one function the main thread is in (or below), and the process's
    RSS: where an export spends its time and reaches its peak, at negligible cost."""

    INTERVAL = 0.05

    def __init__(self, function: Any) -> None:
        super().__init__(daemon=True)
        self.code = function.__code__
        self.main = threading.main_thread().ident
        self.finished = threading.Event()
        self.seconds: dict[int, float] = {}
        self.peak_mb: dict[int, float] = {}

    def run(self) -> None:
        page_mb = os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
        last = time.perf_counter()
        while not self.finished.wait(self.INTERVAL):
            now = time.perf_counter()
            frame = sys._current_frames().get(self.main)
            while frame is not None and frame.f_code is not self.code:
                frame = frame.f_back
            line = frame.f_lineno if frame is not None else 0
            rss = int(Path("/proc/self/statm").read_text().split()[1]) * page_mb
            self.seconds[line] = self.seconds.get(line, 0.0) + now - last
            self.peak_mb[line] = max(self.peak_mb.get(line, 0.0), rss)
            last = now

    def stop(self) -> list[dict[str, Any]]:
        self.finished.set()
        self.join()
        source = self.code.co_filename
        return [
            {
                "line": f"{Path(source).name}:{line}" if line else "(outside)",
                "code": linecache.getline(source, line).strip() if line else "",
                "seconds": round(self.seconds[line], 2),
                "peak_mb": round(self.peak_mb[line]),
            }
            for line in sorted(self.seconds)
        ]


def _app() -> Any:
    from survey import create_app
    from survey.migrations import upgrade

    app = create_app()
    upgrade(app.extensions["survey.db"].engine)
    return app


def _private_keys() -> dict[str, Any]:
    from survey.vault.keys import load_private

    instance = Path(os.environ["SURVEY_INSTANCE_PATH"])
    key = load_private(next(instance.glob("study-private-*.json")), os.environ["SURVEY_KEY_PASSPHRASE"])
    return {key.key_id: key}


def store(count: int) -> dict[str, Any]:
    from survey import questionnaires, vault
    from survey.respond import synthetic

    app = _app()
    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        questionnaire = questionnaires.get(QUESTIONNAIRE)
        before = _rss_mb()
        started = time.perf_counter()
        synthetic.store(session, questionnaire, vault.study_key(), count)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": count, "rss_before_mb": before, "peak_mb": _peak_mb()}


def unseal() -> dict[str, Any]:
    from sqlalchemy import select

    from survey.vault.models import SealedResponse
    from survey.vault.responses import unseal_response

    app = _app()
    keys = _private_keys()
    columns = (SealedResponse.id, SealedResponse.questionnaire_id, SealedResponse.questionnaire_version)
    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        before = _rss_mb()
        started = time.perf_counter()
        opened = 0
        for row in session.execute(select(*columns, SealedResponse.content)).yield_per(1000):
            unseal_response(row[0], row[1], row[2], row[3], keys)
            opened += 1
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": opened, "rss_before_mb": before, "peak_mb": _peak_mb()}


def export(out: Path, workers: int | None = None) -> dict[str, Any]:
    from survey import questionnaires
    from survey.export.pipeline import ExportOptions, export_from
    from survey.export.pipeline import export as run_export

    app = _app()
    keys = _private_keys()
    from survey.export.reading import usable_cores

    workers = workers or usable_cores()  # by default as `flask export` does: one per usable core
    options = ExportOptions(k=5, max_suppression=0.04, formats=("csv", "sav"), workers=workers)
    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        questionnaire = questionnaires.get(QUESTIONNAIRE)
        before = _rss_mb()
        sampler = LineSampler(export_from)
        sampler.start()
        started = time.perf_counter()
        try:
            result = run_export(session, questionnaire, keys, out, options, actor="bench")
        finally:
            seconds = time.perf_counter() - started
            lines = sampler.stop()
    report = result.report
    return {
        "seconds": seconds,
        "records": result.rows,
        "workers": workers,
        "rss_before_mb": before,
        "peak_mb": _peak_mb(),
        # the largest worker process (forked: its RSS counts the pages it shares with this one)
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "k_reached": report.get("k_reached"),
        "suppressed": report.get("suppressed"),
        "levels": {name: item["level"] for name, item in report.get("generalisation", {}).items()},
        "search": report.get("search"),
        "files": {path.name: path.stat().st_size for path in result.files},
        "by_line": lines,  # sampled: seconds spent and RSS peak per line of pipeline.export_from
    }


def main(arguments: Sequence[str]) -> None:
    mode, database, *rest = arguments
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    if mode == "store":
        measured = store(int(rest[0]))
    elif mode == "unseal":
        measured = unseal()
    elif mode == "export":
        measured = export(Path(rest[0]), int(rest[1]) if len(rest) > 1 else None)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(measured, default=str))


# --- in bench/run.py ----------------------------------------------------------------------------


class TooSlow(Exception):
    pass


def measuring_process(mode: str, env: dict[str, str], limit: float, *arguments: str) -> dict[str, Any]:
    """One fresh process; killed (with everything it started) when it passes `limit` seconds."""
    command = [sys.executable, str(Path(__file__).resolve()), mode, *arguments]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise TooSlow(f"{mode} took longer than {limit / 60:.0f} min; stopped") from None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def measure(env: dict[str, str], sizes: Sequence[int], folder: Path) -> list[Figure]:
    figures: list[Figure] = []
    measured: dict[int, dict[str, dict[str, Any]]] = {}
    for count in sizes:
        database = folder / f"responses-{count}.sqlite3"
        out = folder / f"export-{count}"
        label = f"{count:,}"
        print(f"export: storing {label} synthetic sealed responses ...", file=sys.stderr)
        stored = measuring_process("store", env, STORE_LIMIT_SECONDS, str(database), str(count))
        figures.append(
            Figure("export", f"export: store {label} sealed responses", stored["seconds"], "s", details=stored)
        )
        print(f"export: unsealing {label} (floor) ...", file=sys.stderr)
        opened = measuring_process("unseal", env, UNSEAL_LIMIT_SECONDS, str(database))
        print(f"export: exporting {label} ...", file=sys.stderr)
        try:
            exported = measuring_process("export", env, EXPORT_LIMIT_SECONDS, str(database), str(out))
        except TooSlow as slow:
            exported = {"seconds": None, "peak_mb": None, "note": str(slow)}
        print(f"export: exporting {label} in one process ...", file=sys.stderr)
        try:
            single = measuring_process("export", env, EXPORT_LIMIT_SECONDS, str(database), f"{out}-single", "1")
        except TooSlow as slow:
            single = {"seconds": None, "peak_mb": None, "note": str(slow)}
        measured[count] = {"store": stored, "unseal": opened, "export": exported, "single": single}
        ratio_met = exported["seconds"] is not None and exported["seconds"] <= RATIO_GOAL * opened["seconds"]
        figures.append(
            Figure(
                "export",
                f"export: {label} responses (CSV + SPSS, k=5)",
                exported["seconds"],
                "s",
                baseline=opened["seconds"],
                baseline_name="unseal only",
                goal=f"<= {RATIO_GOAL:g} x unseal",
                met=ratio_met,
                note=exported.get("note", ""),
                details={"export": exported, "unseal": opened},
            )
        )
        figures.append(
            Figure(
                "export",
                f"export: {label} responses, 1 process (no workers)",
                single["seconds"],
                "s",
                baseline=opened["seconds"],
                baseline_name="unseal only",
                note=single.get("note", ""),
                details={"export": single, "unseal": opened},
            )
        )
        memory_goal = count == MEMORY_GOAL_AT
        peak = exported["peak_mb"]
        worker_peak = exported.get("worker_peak_mb")
        figures.append(
            Figure(
                "export",
                f"export: {label} responses, peak memory",
                peak,
                "MB",
                baseline=opened["peak_mb"],
                baseline_name="unseal only",
                goal=f"<= {MEMORY_GOAL_MB / 1000:g} GB" if memory_goal else "",
                met=(peak is not None and peak <= MEMORY_GOAL_MB) if memory_goal else None,
                # The member files (and the data files after the first) are made in forked workers:
                # their peak is stated beside the export's own, which is the figure's value.
                note=(
                    f"{label}: the export's own process; its largest worker peaked at {worker_peak:,.0f} MB, "
                    "counting the pages it shares with it"
                    if worker_peak
                    else ""
                ),
                details={"export": exported, "unseal": opened},
            )
        )
        database.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        export_small, export_large = measured[small]["export"]["seconds"], measured[large]["export"]["seconds"]
        unseal_factor = measured[large]["unseal"]["seconds"] / measured[small]["unseal"]["seconds"]
        factor = export_large / export_small if export_small and export_large else None
        figures.append(
            Figure(
                "export",
                f"export: cost factor {small:,} -> {large:,}",
                factor,
                "x",
                baseline=unseal_factor,
                baseline_name="unseal only",
                goal=f"<= {COST_FACTOR_GOAL:g}x" if large == 10 * small else "",
                met=(factor is not None and factor <= COST_FACTOR_GOAL) if large == 10 * small else None,
                details={"sizes": [small, large]},
            )
        )
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
