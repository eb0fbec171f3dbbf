"""The benchmark suite: one command, one table, every figure beside a baseline measured in the same run.

    .venv/bin/python bench/run.py                      # everything (takes a while: see docs/performance.md)
    .venv/bin/python bench/run.py --quick              # a fast smoke version of everything
    .venv/bin/python bench/run.py --sections weight,network

Sections: weight (page weight vs the SurveyJS runtime), serving (gunicorn as in the Procfile vs a
bare Flask app), export (10k and 100k sealed responses vs unsealing alone), anonymiser (the Adult
optimum), network (first question page on a throttled connection in Chromium), size (CPU per question
page and answer for 50 / 500 / 2,000 questions vs 50), startup (create_app with 1 / 16 / 64
questionnaires vs one, in the first process and every later one), sqlite (draft writes from 4
processes x 4 threads for SQLite journal/sync/checkpoint settings vs the app's). The table goes to
stdout, progress to stderr, the same results as JSON to bench/results-latest.json. Every server,
process and temporary folder the run starts is stopped or removed at the end, also on Ctrl+C.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import figures as table
import servers
from figures import Figure

SECTIONS = ("weight", "serving", "network", "size", "startup", "sqlite", "anonymiser", "export")
NEEDS_PLATFORM = {"weight", "serving", "network"}
NEEDS_BARE = {"serving", "network"}
RESULTS = Path(__file__).resolve().parent / "results-latest.json"
QUESTIONNAIRE = servers.ROOT / "questionnaires" / "wetterau-integration.json"


def _sections(text: str) -> list[str]:
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return [name for name in SECTIONS if name in chosen]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes and shorter runs (1k/10k export)")
    parser.add_argument("--sections", type=_sections, default=list(SECTIONS), help=", ".join(SECTIONS))
    parser.add_argument("--connections", type=int, default=None, help="load generator connections (default 16)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS.relative_to(servers.ROOT)}")
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        "0",
    )
    versions = {}
    for package in ("flask", "gunicorn", "sqlalchemy", "cryptography", "pandas", "playwright"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "packages": versions,
        "wrk": shutil.which("wrk"),  # not used: the Python load generator runs everywhere
        "load_average_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run_section(name: str, measure: Callable[[], list[Figure]], found: list[Figure]) -> None:
    started = time.monotonic()
    try:
        found += measure()
    except Exception as error:  # one broken section must not hide the others' figures
        traceback.print_exc()
        found.append(Figure(name, f"{name}: not measured", None, "", note=f"failed: {error}".splitlines()[0][:300]))
    print(f"{name}: done in {time.monotonic() - started:,.0f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    from survey.questionnaires.loader import load_file

    questionnaire, problems = load_file(QUESTIONNAIRE)
    if questionnaire is None:
        raise SystemExit(f"{QUESTIONNAIRE}: {problems}")
    chosen = set(options.sections)
    folder = Path(tempfile.mkdtemp(prefix="survey-bench-"))
    started = datetime.datetime.now(datetime.UTC)
    host = machine()  # before anything runs: the load average says whether the machine was quiet
    found: list[Figure] = []
    running: list[servers.Gunicorn] = []
    try:
        print(f"setting up a temporary instance in {folder} ...", file=sys.stderr)
        instance = servers.prepare_instance(folder / "instance")
        if chosen & NEEDS_PLATFORM:
            site = servers.Gunicorn(instance)
            running.append(site)
            site.start()
            bare = servers.Gunicorn(instance, servers.BARE_APP)
            if chosen & NEEDS_BARE:
                running.append(bare)
                bare.start()
            if "weight" in chosen:
                import weight

                run_section("weight", lambda: weight.measure(site, questionnaire, folder), found)
            if "serving" in chosen:
                import serving

                settings = serving.QUICK if options.quick else serving.FULL
                if options.connections:
                    settings = dataclasses.replace(settings, connections=options.connections)
                run_section("serving", lambda: serving.measure(site, bare, questionnaire, settings), found)
            if "network" in chosen:
                import slow_network

                runs = 1 if options.quick else 5
                run_section("network", lambda: slow_network.measure(site, bare, questionnaire, runs), found)
            for server in running:
                server.stop()
        if "size" in chosen or "startup" in chosen:
            import questionnaire_size

            quick = options.quick
            if "size" in chosen:
                run_section("size", lambda: questionnaire_size.page_costs(instance.path, folder, quick), found)
            if "startup" in chosen:
                run_section("startup", lambda: questionnaire_size.startup(instance.path, folder, quick), found)
        if "sqlite" in chosen:
            import sqlite_writers

            run_section("sqlite", lambda: sqlite_writers.measure(options.quick), found)
        if "anonymiser" in chosen:
            import anonymiser_speed

            run_section("anonymiser", lambda: anonymiser_speed.measure(1 if options.quick else 3), found)
        if "export" in chosen:
            import export_cost

            sizes = (1_000, 10_000) if options.quick else (10_000, 100_000)
            env = {**instance.environment(), "SURVEY_KEY_PASSPHRASE": servers.PASSPHRASE}
            run_section("export", lambda: export_cost.measure(env, sizes, folder), found)
    finally:
        for server in running:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)

    finished = datetime.datetime.now(datetime.UTC)
    run = {
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "mode": "quick" if options.quick else "full",
        "sections": options.sections,
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "procfile_web": servers.procfile_web_command(),
        "machine": host,
    }
    print(table.render(found))
    table.write_json(options.json, found, run)
    print(f"\n{len(found)} figures; JSON in {options.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
