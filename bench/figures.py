"""A benchmark figure beside the baseline measured in the same run, its goal, and the one table
(and JSON file) that every section's figures end up in."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    section: str
    name: str
    value: float | None  # None: not measured (the note says why)
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""  # as printed, e.g. "<= 20 KB"
    met: bool | None = None  # None: no goal for this figure, or not measured
    higher_is_better: bool = False  # only decides how the ratio reads
    baseline_missing: str = ""  # why a baseline that should be there is not (printed as n/a)
    note: str = ""  # printed under the table
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


def amount(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "bytes":
        return f"{value / 1000:,.1f} KB"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "s":
        return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"
    if unit == "ms":
        return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if unit == "x":
        return f"{value:,.2f}x"
    return f"{value:,.4g} {unit}".strip()


def rows(figures: Sequence[Figure]) -> list[list[str]]:
    table = [["figure", "value", "baseline", "ratio", "goal", "met"]]
    for figure in figures:
        if figure.baseline is not None:
            baseline = amount(figure.baseline, figure.unit)
            if figure.baseline_name:
                baseline += f" ({figure.baseline_name})"
        else:
            baseline = "n/a" if figure.baseline_missing else "—"
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else "—"
        met = "—" if figure.met is None else ("yes" if figure.met else "no")
        table.append([figure.name, amount(figure.value, figure.unit), baseline, ratio, figure.goal or "—", met])
    return table


def notes(figures: Sequence[Figure]) -> list[str]:
    found: list[str] = []
    for figure in figures:
        for text in (figure.baseline_missing and f"baseline n/a: {figure.baseline_missing}", figure.note):
            if text and f"{figure.section}: {text}" not in found:
                found.append(f"{figure.section}: {text}")
    return found


def render(figures: Sequence[Figure]) -> str:
    """A Markdown table (readable as plain text, pasteable into docs/performance.md)."""
    table = rows(figures)
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    right = {1, 2, 3}

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join(("-" * (w - 1) + ":") if i in right else "-" * w for i, w in enumerate(widths)) + " |"
    text = "\n".join([line(table[0]), rule, *(line(row) for row in table[1:])])
    remarks = notes(figures)
    return text + ("\n\n" + "\n".join(f"- {remark}" for remark in remarks) if remarks else "")


def write_json(path: Path, figures: Sequence[Figure], run: dict[str, Any]) -> None:
    document = {
        "run": run,
        "figures": [{**asdict(figure), "ratio": figure.ratio} for figure in figures],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
