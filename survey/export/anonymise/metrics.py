"""The disclosure report of an anonymisation: what was generalised and suppressed, what it cost, and
how the re-identification risk changed. Computed plainly from the input and output tables, so it
checks the search rather than repeating it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# Violations of these k are reported before and after, whatever k was asked for.
VIOLATION_KS = (2, 3, 5)
EXAMPLES_PER_LEVEL = 3


@dataclass(frozen=True)
class ReportInput:
    """Everything the report is computed from."""

    original: pd.DataFrame
    output: pd.DataFrame
    suppressed: np.ndarray
    quasi: Sequence[str]
    sensitive: Sequence[str]
    k: int
    l_diversity: int | None
    max_suppression: float
    suppression_limit: int
    levels: Mapping[str, int]
    heights: Mapping[str, int]
    loss: float
    top_loss: float
    search: Mapping[str, Any]


def class_sizes(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Per row: how many rows share its values in `columns` (its equivalence class's size)."""
    if frame.empty:
        return np.zeros(0, dtype=np.int64)
    keys = frame[list(columns)].astype(str)
    return keys.groupby(list(columns), sort=False, dropna=False)[columns[0]].transform("size").to_numpy(np.int64)


def _risk(sizes: np.ndarray) -> dict[str, float | None]:
    """Prosecutor model: a record's risk is 1 / its class size."""
    if not len(sizes):
        return {"highest": None, "average": None}
    risks = 1.0 / sizes
    return {"highest": float(risks.max()), "average": float(risks.mean())}


def _examples(values: pd.Series) -> list[str]:
    """The most frequent released values (ties alphabetically, so reports are reproducible)."""
    counts = values.astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [value for value, _ in ranked[:EXAMPLES_PER_LEVEL]]


def build_report(data: ReportInput) -> dict[str, Any]:
    """The disclosure report as a JSON-serialisable dict."""
    quasi = list(data.quasi)
    records = len(data.original)
    kept = ~np.asarray(data.suppressed, dtype=bool)
    released = data.output.loc[kept]
    before = class_sizes(data.original, quasi)
    after = class_sizes(released, quasi)
    original_cells = data.original[quasi].astype(str).to_numpy()
    output_cells = data.output[quasi].astype(str).to_numpy()
    changed = int((original_cells != output_cells).sum())
    suppressed = int(records - kept.sum())

    report: dict[str, Any] = {
        "records": records,
        "quasi_identifiers": quasi,
        "k_requested": data.k,
        "k_reached": int(after.min()) if len(after) else None,
        "equivalence_classes": int(released[quasi].drop_duplicates().shape[0]) if len(released) else 0,
        "suppressed": {
            "records": suppressed,
            "share": suppressed / records if records else 0.0,
            "limit": data.suppression_limit,
            "max_share": data.max_suppression,
        },
        "generalisation": {
            name: {
                "level": data.levels[name],
                "height": data.heights[name],
                "examples": _examples(released[name]),
            }
            for name in quasi
        },
        "information_loss": {
            "non_uniform_entropy": data.loss,
            "normalised": data.loss / data.top_loss if data.top_loss else 0.0,
        },
        "cells_changed_share": changed / original_cells.size if original_cells.size else 0.0,
        "violations": [
            {"k": k, "before": int((before < k).sum()), "after": int((after < k).sum())} for k in VIOLATION_KS
        ],
        "risk": {"model": "prosecutor", "before": _risk(before), "after": _risk(after)},
        "l_diversity": None,
        "search": dict(data.search),
    }
    if data.l_diversity is not None:
        report["l_diversity"] = {
            "l_requested": data.l_diversity,
            "l_reached": {name: _least_distinct(released, quasi, name) for name in data.sensitive},
        }
    return report


def _least_distinct(released: pd.DataFrame, quasi: list[str], sensitive: str) -> int | None:
    """The fewest distinct values of `sensitive` in any released equivalence class."""
    if released.empty:
        return None
    distinct = released.astype({name: str for name in quasi}).groupby(quasi, sort=False, dropna=False)[sensitive]
    return int(distinct.nunique(dropna=False).min())


def render_report(report: Mapping[str, Any]) -> str:
    """A short human-readable summary of a report from `build_report`."""
    suppressed = report["suppressed"]
    loss = report["information_loss"]
    levels = ", ".join(f"{name} {item['level']}/{item['height']}" for name, item in report["generalisation"].items())
    reached = report["k_reached"]
    lines = [
        f"{report['records']} records, {len(report['quasi_identifiers'])} quasi-identifiers: "
        f"{report['k_requested']}-anonymity requested, smallest class "
        f"{reached if reached is not None else '-'} ({report['equivalence_classes']} classes).",
        f"Suppressed {suppressed['records']} records ({suppressed['share']:.2%}; limit {suppressed['limit']}).",
        f"Levels: {levels}.",
        f"Information loss {loss['non_uniform_entropy']:.2f} (non-uniform entropy), "
        f"{loss['normalised']:.1%} of full generalisation; {report['cells_changed_share']:.1%} of QI cells changed.",
    ]
    risk = report["risk"]
    lines.append(
        f"Prosecutor risk: highest {_share(risk['before']['highest'])} -> {_share(risk['after']['highest'])}, "
        f"average {_share(risk['before']['average'])} -> {_share(risk['after']['average'])}."
    )
    violations = "; ".join(f"k={item['k']}: {item['before']} -> {item['after']}" for item in report["violations"])
    lines.append(f"Records violating k-anonymity before -> after: {violations}.")
    diversity = report.get("l_diversity")
    if diversity:
        reached_l = ", ".join(f"{name} {value}" for name, value in diversity["l_reached"].items())
        lines.append(f"{diversity['l_requested']}-diversity requested; fewest distinct values: {reached_l}.")
    search = report.get("search") or {}
    if search:
        lines.append(
            f"Searched {search['lattice_size']} transformations, checked {search['nodes_checked']}, "
            f"in {search['seconds']:.2f} s."
        )
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"
