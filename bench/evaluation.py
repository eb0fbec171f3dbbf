"""Benchmark of the evaluation: the reports for 100,000 responses x 3 waves x 20 indicators x 4
breakdowns, beside the time pandas needs just to read the same CSV files.

    .venv/bin/python bench/evaluation.py            # 100,000 responses per wave, reports with PDFs
    .venv/bin/python bench/evaluation.py --quick    # 10,000 per wave
    .venv/bin/python bench/evaluation.py --no-pdf   # HTML, charts and tables only

Prints both times and their ratio; the synthetic data are made first and not timed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from survey.evaluation import synthetic  # noqa: E402
from survey.evaluation.services import run_evaluation  # noqa: E402
from survey.questionnaires.loader import load_file  # noqa: E402

INDICATORS = 20
BREAKDOWNS = ("sex", "origin", "age", "arrival")


def indicators_file(folder: Path) -> Path:
    """The study's indicators, the first 20, each with the four breakdowns."""
    data = json.loads((ROOT / "questionnaires" / "wetterau-integration.indicators.json").read_text(encoding="utf-8"))
    data["indicators"] = [dict(item, breakdowns=list(BREAKDOWNS)) for item in data["indicators"][:INDICATORS]]
    path = folder / "bench.indicators.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 responses per wave")
    parser.add_argument("--no-pdf", action="store_true", help="leave out the four PDFs")
    parser.add_argument("--size", type=int, default=None, help="responses per wave (default 100,000)")
    options = parser.parse_args()
    size = options.size or (10_000 if options.quick else 100_000)
    questionnaire, _ = load_file(ROOT / "questionnaires" / "wetterau-integration.json")
    assert questionnaire is not None
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        print(f"making {size:,} synthetic responses x {len(synthetic.WAVES)} waves ...", file=sys.stderr)
        exports = synthetic.write_study(folder / "data", questionnaire, size=size)
        csv_files = [next(export.glob("*.csv")) for export in exports]
        indicators = indicators_file(folder)
        reads = []
        for _ in range(3):
            started = time.perf_counter()
            for path in csv_files:
                pd.read_csv(path, low_memory=False)
            reads.append(time.perf_counter() - started)
        read = statistics.median(reads)
        print("evaluating ...", file=sys.stderr)
        started = time.perf_counter()
        outcome = run_evaluation(
            exports,
            indicators,
            folder / "report",
            lambda qid: questionnaire if qid == questionnaire.id else None,
            folder / "data" / "margins.csv",
            pdf=not options.no_pdf,
            progress=lambda message: print(f"  {time.perf_counter() - started:6.1f} s  {message}", file=sys.stderr),
        )
        report = time.perf_counter() - started
    result = outcome.result
    print(
        f"evaluation of {size * len(synthetic.WAVES):,} responses ({len(synthetic.WAVES)} waves x {size:,}), "
        f"{len(result.indicators.indicators)} indicators x {len(BREAKDOWNS)} breakdowns: "
        f"{len(result.rows):,} estimates, {len(result.changes):,} changes, {len(outcome.files)} files"
        + (" (no PDF)" if options.no_pdf else " (with 4 PDFs)")
    )
    print(f"  report:                          {report:8.2f} s")
    print(f"  pandas.read_csv of the same CSV: {read:8.2f} s  (median of 3)")
    print(f"  ratio:                           {report / read:8.1f} x")


if __name__ == "__main__":
    main()
