"""The run's tables as CSV files and one XLSX workbook: published values only (withheld ones are '.')."""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import zipfile
from pathlib import Path
from typing import Any

from .estimates import Test
from .run import Result
from .words import WITHHELD

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entry times: the same bytes for the same input


def _value(value: float | None, digits: int = 6) -> Any:
    if value is None or math.isnan(value):
        return WITHHELD
    return round(value, digits)


def _test(test: Test | None) -> list[Any]:
    if test is None:
        return [WITHHELD] * 5
    return [_value(test.value), _value(test.se), _value(test.lower), _value(test.upper), _value(test.p, 8)]


def build(result: Result) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the run: name -> (header, rows)."""
    kinds = {i.id: ("share" if i.is_share else "mean") for i in result.indicators.indicators}
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    rows = []
    for row in result.rows:
        e = row.estimate
        hidden = row.suppressed
        rows.append(
            [row.indicator, kinds[row.indicator], row.breakdown or "all", row.group or "all", row.wave]
            + (
                [WITHHELD] * 6 + ["withheld"]
                if hidden
                else [_value(e.value), _value(e.se), _value(e.lower), _value(e.upper), e.n, _value(e.weighted, 2), ""]
            )
        )
    tables["estimates"] = (
        [
            "indicator",
            "kind",
            "breakdown",
            "group",
            "wave",
            "estimate",
            "se",
            "lower_95",
            "upper_95",
            "n",
            "weighted_n",
            "note",
        ],
        rows,
    )
    header = ["indicator", "breakdown", "group", "earlier", "later", "difference", "se", "lower_95", "upper_95", "p"]
    tables["changes"] = (
        header,
        [
            [c.indicator, c.breakdown or "all", c.group or "all", c.earlier, c.later, *_test(c.test)]
            for c in result.changes
        ],
    )
    tables["trends"] = (
        ["indicator", "breakdown", "group", "first", "last", "slope_per_wave", "se", "lower_95", "upper_95", "p"],
        [
            [c.indicator, c.breakdown or "all", c.group or "all", c.earlier, c.later, *_test(c.test)]
            for c in result.trends
        ],
    )
    tables["panel"] = (
        ["indicator", "first", "last", "mean_change", "se", "lower_95", "upper_95", "p", "persons"],
        [[c.indicator, c.earlier, c.later, *_test(c.test), c.test.n if c.test else WITHHELD] for c in result.panel],
    )
    tables["targets"] = (
        ["indicator", "wave", "direction", "target", "estimate", "lower_95", "upper_95", "n", "status"],
        [
            [t.indicator, t.wave, t.direction, t.target]
            + (
                [_value(t.estimate.value), _value(t.estimate.lower), _value(t.estimate.upper), t.estimate.n]
                if t.estimate
                else [WITHHELD] * 4
            )
            + [t.status]
            for t in result.targets
        ],
    )
    tables["weighting"] = (
        [
            "wave",
            "converged",
            "iterations",
            "max_relative_deviation",
            "trimmed",
            "trim_low",
            "trim_high",
            "n",
            "deff_kish",
            "effective_n",
            "total",
        ],
        [
            [
                wave,
                r.converged,
                r.iterations,
                float(f"{r.max_deviation:.3g}"),
                r.trimmed,
                r.bounds[0],
                r.bounds[1],
                r.n,
                _value(r.deff, 4),
                _value(r.effective_n, 1),
                _value(r.total, 2),
            ]
            for wave, r in result.weighting.items()
        ],
    )
    tables["margins"] = (
        ["wave", "variable", "category", "population", "weighted_total"],
        [
            [wave, v, c, target, _value(reached, 2)]
            for wave, found in result.weighted_margins.items()
            for v, c, target, reached in found
        ],
    )
    tables["withheld"] = (
        ["indicator", "breakdown", "wave", "group", "cell", "status"],
        [[w.indicator, w.breakdown or "all", w.wave, w.group or "all", w.cell, w.status] for w in result.withheld],
    )
    tables["response_rates"] = (
        ["wave", "batch", "issued", "undeliverable", "started", "partial", "complete", "withdrawn", "RR1", "RR2"],
        [
            [
                r.wave,
                r.batch or "all",
                r.counts.issued,
                r.counts.undeliverable,
                r.counts.started,
                r.counts.partial,
                r.counts.complete,
                r.counts.withdrawn,
                _value(r.rates.rr1),
                _value(r.rates.rr2),
            ]
            for r in result.rates
        ],
    )
    return tables


def write_csv(folder: Path, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in tables.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written


def write_xlsx(path: Path, tables: dict[str, tuple[list[str], list[list[Any]]]], title: str) -> Path:
    """One sheet per table. openpyxl stamps creation times: they are fixed, and the zip rewritten with
    fixed entry times, so the same run gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    fixed = datetime.datetime(2000, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "wetterau-survey"
    book.properties.title = title
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    _fix_zip_times(buffer.getvalue(), path)
    return path


def _fix_zip_times(data: bytes, path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _strip_modified(content)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)


def _strip_modified(content: bytes) -> bytes:
    # openpyxl writes the save time as "modified" whatever the property says.
    return re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", content)
