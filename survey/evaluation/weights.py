"""Raking (iterative proportional fitting) of respondents to population margins, with trimming.

Margins come as a CSV file with the columns `variable,category,population` and optionally `wave`:
`variable` is a breakdown id of the indicators file, `category` one of its group ids, `population` the
register count. Without `wave` the same margins apply to every wave.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import EvaluationInputError
from .indicators import Indicators

# Margins of different variables must describe the same population: their totals may differ this much.
TOTAL_TOLERANCE = 0.001


@dataclass(frozen=True)
class Margin:
    variable: str  # breakdown id
    categories: tuple[str, ...]  # group ids, in the breakdown's order
    population: tuple[float, ...]
    rows: tuple[int, ...]  # line numbers in the CSV file, for messages


@dataclass(frozen=True)
class Margins:
    source: str
    by_wave: Mapping[str | None, tuple[Margin, ...]]  # None: for every wave

    def for_wave(self, wave: str) -> tuple[Margin, ...]:
        found = self.by_wave.get(wave, self.by_wave.get(None))
        if found is None:
            raise EvaluationInputError(f"{self.source}: no margins for wave {wave}")
        return found


@dataclass(frozen=True)
class RakingReport:
    converged: bool
    iterations: int
    max_deviation: float  # largest relative difference between a weighted margin and its target
    trimmed: int  # weights held at a trimming bound
    bounds: tuple[float, float]  # relative to the mean weight
    n: int
    deff: float  # Kish's design effect from unequal weights
    effective_n: float
    total: float
    weighted_margins: tuple[tuple[str, str, float, float], ...] = field(
        default=()
    )  # variable, category, target, reached


def read_margins(path: Path, indicators: Indicators) -> Margins:
    """Read and check a margins file; every error names the file and row."""
    source = str(path)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise EvaluationInputError(f"{source}: not found") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [name for name in ("variable", "category", "population") if name not in columns]
        if missing:
            raise EvaluationInputError(f"{source}: row 1: missing column(s) {', '.join(missing)}")
        breakdowns = {b.id: b for b in indicators.breakdowns}
        cells: dict[str | None, dict[str, dict[str, tuple[float, int]]]] = {}
        for line, row in enumerate(reader, start=2):
            variable, category = (row["variable"] or "").strip(), (row["category"] or "").strip()
            wave = (row.get("wave") or "").strip() or None
            if variable not in breakdowns:
                known = ", ".join(sorted(breakdowns))
                raise EvaluationInputError(f"{source}: row {line}: unknown variable '{variable}' (breakdowns: {known})")
            groups = [g.id for g in breakdowns[variable].groups]
            if category not in groups:
                raise EvaluationInputError(
                    f"{source}: row {line}: unknown category '{category}' of '{variable}' (groups: {', '.join(groups)})"
                )
            try:
                population = float(row["population"])
            except (TypeError, ValueError):
                raise EvaluationInputError(
                    f"{source}: row {line}: population {row['population']!r} is not a number"
                ) from None
            if not population >= 0:
                raise EvaluationInputError(f"{source}: row {line}: population must not be negative")
            per_variable = cells.setdefault(wave, {}).setdefault(variable, {})
            if category in per_variable:
                raise EvaluationInputError(f"{source}: row {line}: '{variable}' '{category}' given twice")
            per_variable[category] = (population, line)
    if not cells:
        raise EvaluationInputError(f"{source}: no margins")
    by_wave: dict[str | None, tuple[Margin, ...]] = {}
    for wave, variables in cells.items():
        margins = []
        for variable, given in variables.items():
            groups = [g.id for g in breakdowns[variable].groups]
            absent = [group for group in groups if group not in given]
            if absent:
                where = f" for wave {wave}" if wave else ""
                raise EvaluationInputError(f"{source}: '{variable}' has no row for {', '.join(absent)}{where}")
            margins.append(
                Margin(variable, tuple(groups), tuple(given[g][0] for g in groups), tuple(given[g][1] for g in groups))
            )
        totals = [sum(m.population) for m in margins]
        if max(totals) - min(totals) > TOTAL_TOLERANCE * max(totals):
            listed = "; ".join(f"{m.variable} {sum(m.population):g} (rows {m.rows[0]}-{m.rows[-1]})" for m in margins)
            where = f" of wave {wave}" if wave else ""
            raise EvaluationInputError(f"{source}: the margins{where} do not add up to one population: {listed}")
        by_wave[wave] = tuple(margins)
    return Margins(source, by_wave)


def kish(weights: np.ndarray) -> tuple[float, float]:
    """Kish's design effect due to unequal weights, n * sum(w^2) / sum(w)^2, and the effective n."""
    n = len(weights)
    deff = float(n * np.sum(weights**2) / np.sum(weights) ** 2) if n else 1.0
    return deff, n / deff if deff else 0.0


def rake(
    codes: Sequence[np.ndarray],
    targets: Sequence[np.ndarray],
    base: np.ndarray | None = None,
    bounds: tuple[float, float] = (0.0, np.inf),
    tolerance: float = 1e-7,
    max_iterations: int = 200,
) -> tuple[np.ndarray, RakingReport]:
    """Weights whose weighted counts by each variable meet `targets`.

    `codes[j]` holds each respondent's category index in variable j (-1: not known; such respondents
    keep their weight in that step and the known categories share the rest in the targets' proportions).
    `bounds` trims weights to [low, high] times the mean weight after each sweep."""
    n = len(codes[0]) if codes else len(base if base is not None else [])
    weights = np.ones(n) if base is None else np.asarray(base, dtype=float).copy()
    total = float(np.sum(targets[0])) if targets else float(weights.sum())
    weights *= total / weights.sum()
    deviation, iteration, trimmed = np.inf, 0, 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - the count is reported
        for index, target in zip(codes, targets, strict=True):
            known = index >= 0
            sums = np.bincount(index[known], weights[known], minlength=len(target))
            # Respondents not known in this variable keep their share of the total.
            wanted = target / target.sum() * (total - weights[~known].sum())
            factor = np.divide(wanted, sums, out=np.ones_like(sums), where=sums > 0)
            weights[known] *= factor[index[known]]
        if bounds != (0.0, np.inf):
            mean = total / n  # the mean weight once the margins are met
            low, high = bounds[0] * mean, bounds[1] * mean
            trimmed = int(np.sum((weights <= low) | (weights >= high)))
            weights = np.clip(weights, low, high)
        deviation = _deviation(codes, targets, weights)
        if deviation < tolerance:
            break
    deff, effective = kish(weights)
    report = RakingReport(
        converged=bool(deviation < tolerance),
        iterations=iteration,
        max_deviation=float(deviation),
        trimmed=trimmed,
        bounds=bounds,
        n=n,
        deff=deff,
        effective_n=effective,
        total=float(weights.sum()),
    )
    return weights, report


def _deviation(codes: Sequence[np.ndarray], targets: Sequence[np.ndarray], weights: np.ndarray) -> float:
    worst = 0.0
    for index, target in zip(codes, targets, strict=True):
        known = index >= 0
        sums = np.bincount(index[known], weights[known], minlength=len(target))
        expected = target / target.sum() * weights[known].sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(expected > 0, np.abs(sums - expected) / expected, np.abs(sums))
        worst = max(worst, float(relative.max(initial=0.0)))
    return worst
