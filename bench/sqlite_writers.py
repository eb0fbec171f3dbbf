"""SQLite with concurrent writers: what the draft writes of page posts cost under several processes
(as gunicorn workers) with several threads each, for the journal, synchronous and checkpoint
settings worth considering. Each variant runs on a fresh database file with the app's own engine
(`survey.db.make_engine`, whose settings are the baseline) plus the variant's PRAGMAs.

    .venv/bin/python bench/sqlite_writers.py [--seconds 6] [--processes 4] [--threads 4]

One "post" is what an answer POST does to the database: read the draft row by id, write its sealed
content (4 KB) and time, commit. Prints posts per second, p50/p95 latency and "database is locked"
errors per variant, as a table and JSON."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = 2_000
CONTENT_BYTES = 4_096
# name -> PRAGMAs run on each new connection after the app's own (WAL, synchronous=NORMAL, 30 s busy wait)
VARIANTS: dict[str, tuple[str, ...]] = {
    "rollback journal, synchronous=FULL (SQLite's defaults)": ("PRAGMA journal_mode=DELETE", "PRAGMA synchronous=FULL"),
    "WAL, synchronous=FULL": ("PRAGMA synchronous=FULL",),
    "WAL, synchronous=NORMAL (the app's settings)": (),
    "WAL, synchronous=NORMAL, checkpoint every 10,000 pages": ("PRAGMA wal_autocheckpoint=10000",),
    "WAL, synchronous=NORMAL, busy wait 0.1 s": ("PRAGMA busy_timeout=100",),
}


def _engine(path: Path, pragmas: tuple[str, ...]) -> Any:
    from sqlalchemy import event

    from survey.db import make_engine

    engine = make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _variant(connection: Any, record: Any) -> None:
        cursor = connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    return engine


def _prepare(path: Path) -> None:
    from survey.db import Base
    from survey.respond import models

    engine = _engine(path, ())
    Base.metadata.create_all(engine, tables=[models.Draft.__table__])  # type: ignore[list-item]
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO draft (id, questionnaire_id, questionnaire_version, language, created_at, updated_at, content)"
            " VALUES (?, 'q', '1', 'de', '2026-01-01 00:00:00', '2026-01-01 00:00:00', ?)",
            [(f"d{index}", os.urandom(CONTENT_BYTES)) for index in range(DRAFTS)],
        )
    engine.dispose()


def _worker(path: str, pragmas: tuple[str, ...], threads: int, seconds: float, seed: int, out: Any) -> None:
    import random

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    engine = _engine(Path(path), pragmas)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(number: int) -> None:
        rng = random.Random(seed * 100 + number)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            draft = f"d{rng.randrange(DRAFTS)}"
            started = time.perf_counter()
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT content FROM draft WHERE id = :id"), {"id": draft}).one()
                    connection.execute(
                        text("UPDATE draft SET content = :content, updated_at = :now WHERE id = :id"),
                        {"content": os.urandom(CONTENT_BYTES), "now": "2026-01-01 00:00:01", "id": draft},
                    )
                    connection.commit()
            except OperationalError:
                failed += 1
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    pool = [threading.Thread(target=run, args=(number,)) for number in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    engine.dispose()
    out.put((latencies, errors[0]))


def measure_variant(pragmas: tuple[str, ...], processes: int, threads: int, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="survey-sqlite-") as folder:
        path = Path(folder) / "bench.sqlite3"
        _prepare(path)
        queue: Any = multiprocessing.get_context("spawn").Queue()
        workers = [
            multiprocessing.get_context("spawn").Process(
                target=_worker, args=(str(path), pragmas, threads, seconds, index, queue)
            )
            for index in range(processes)
        ]
        for worker in workers:
            worker.start()
        results = [queue.get(timeout=seconds + 120) for _ in workers]
        for worker in workers:
            worker.join()
    latencies = sorted(latency for found, _ in results for latency in found)
    errors = sum(failed for _, failed in results)
    return {
        "posts_per_second": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000 if latencies else None,
        "locked_errors": errors,
    }


APP_SETTINGS = "WAL, synchronous=NORMAL (the app's settings)"


def measure(quick: bool) -> list[Any]:
    """The rows of `bench/run.py --sections sqlite`: posts per second per variant beside the app's
    settings, with p95 latency and lock errors in the note."""
    from figures import Figure

    seconds = 3.0 if quick else 6.0
    found = {name: measure_variant(pragmas, 4, 4, seconds) for name, pragmas in VARIANTS.items()}
    app = found[APP_SETTINGS]["posts_per_second"]
    return [
        Figure(
            "sqlite",
            f"sqlite, 4 processes x 4 threads posting: {name}",
            row["posts_per_second"],
            "posts/s",
            baseline=app if name != APP_SETTINGS else None,
            baseline_name="the app's settings",
            higher_is_better=True,
            note=f"p95 {row['p95_ms']:.0f} ms, {row['locked_errors']} 'database is locked'",
            details=row,
        )
        for name, row in found.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    options = parser.parse_args(argv)
    found = {}
    for name, pragmas in VARIANTS.items():
        print(f"{name} ...", file=sys.stderr)
        found[name] = measure_variant(pragmas, options.processes, options.threads, options.seconds)
    print(
        f"| variant ({options.processes} processes x {options.threads} threads) | posts/s | p50 ms | p95 ms | locked |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in found.items():
        speed, p50, p95 = row["posts_per_second"], row["p50_ms"], row["p95_ms"]
        print(f"| {name} | {speed:,.0f} | {p50:.1f} | {p95:.1f} | {row['locked_errors']} |")
    print(json.dumps({"load_average": os.getloadavg(), "variants": found}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
