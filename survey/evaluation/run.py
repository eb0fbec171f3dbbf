"""One evaluation run: weight each wave, estimate every indicator overall and by its breakdowns, protect
the published tables, compare waves and check the integration concept's targets."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..questionnaires.model import Questionnaire
from . import estimates as est
from . import groups
from .conditions import Frame, holds, numeric
from .exports import EvaluationInputError, Responses
from .indicators import Indicator, Indicators
from .responserates import ResponseRate
from .suppression import SECONDARY, SafeTable, protect
from .weights import Margins, RakingReport, rake

ALL = ""  # the breakdown/group id of "all respondents"


@dataclass(frozen=True)
class Options:
    min_n: int | None = None  # None: the indicators file's
    trim: tuple[float, float] = (0.2, 5.0)  # weights are kept within these multiples of the mean weight
    strata: str | None = None  # a breakdown id whose groups are strata


@dataclass(frozen=True)
class Design:
    """The units behind every variance: each wave's respondents (in strata, if given), and the persons
    across two waves (a panel member is one unit in both)."""

    units: dict[str, est.Units]
    persons: np.ndarray  # an integer code per row: the same for the same respondent id
    persons_in: dict[tuple[str, str], int]  # distinct persons in two waves together


@dataclass(frozen=True)
class Row:
    indicator: str
    breakdown: str
    group: str
    wave: str
    estimate: est.Estimate
    suppressed: bool


@dataclass(frozen=True)
class Comparison:
    indicator: str
    breakdown: str
    group: str
    earlier: str
    later: str
    test: est.Test | None  # None when suppressed or not estimable


@dataclass(frozen=True)
class Withheld:
    indicator: str
    breakdown: str
    wave: str
    group: str
    cell: str  # "yes", "no", "n" or "total"
    status: str  # "primary" or "secondary"
    n: int


@dataclass(frozen=True)
class TargetCheck:
    indicator: str
    wave: str
    target: float
    direction: str
    estimate: est.Estimate | None
    status: str  # "reached", "missed", "open", "not measured", "suppressed"


@dataclass
class Result:
    indicators: Indicators
    questionnaire: Questionnaire
    responses: Responses
    options: Options
    min_n: int
    weighting: dict[str, RakingReport] = field(default_factory=dict)
    weighted_margins: dict[str, list[tuple[str, str, float, float]]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    changes: list[Comparison] = field(default_factory=list)
    trends: list[Comparison] = field(default_factory=list)
    panel: list[Comparison] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    targets: list[TargetCheck] = field(default_factory=list)
    rates: list[ResponseRate] = field(default_factory=list)
    margins_source: str = ""

    index: dict[tuple[str, str, str, str], Row] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        self.index[(row.indicator, row.breakdown, row.group, row.wave)] = row

    def row(self, indicator: str, breakdown: str, group: str, wave: str) -> Row | None:
        return self.index.get((indicator, breakdown, group, wave))


def _weights(
    data: pd.DataFrame,
    waves: tuple[str, ...],
    indicators: Indicators,
    margins: Margins | None,
    options: Options,
    result: Result,
) -> np.ndarray:
    weights = np.ones(len(data))
    if margins is None:
        return weights
    wave_of = data["wave"].to_numpy()
    for wave in waves:
        rows = wave_of == wave
        subset = data.loc[rows]
        used = margins.for_wave(wave)
        codes = [groups.codes(subset, indicators.breakdown(margin.variable)) for margin in used]
        targets = [np.asarray(margin.population, dtype=float) for margin in used]
        for margin, index in zip(used, codes, strict=True):
            counts = np.bincount(index[index >= 0], minlength=len(margin.categories))
            for category, count, population, line in zip(
                margin.categories, counts, margin.population, margin.rows, strict=True
            ):
                if count == 0 and population > 0:
                    raise EvaluationInputError(
                        f"{margins.source}: row {line}: no respondent of wave {wave} is in '{margin.variable}' "
                        f"'{category}', so no weight can reach its population; merge it with another group"
                    )
        wave_weights, report = rake(codes, targets, bounds=options.trim)
        weights[rows] = wave_weights
        result.weighting[wave] = report
        reached = []
        for margin, index in zip(used, codes, strict=True):
            sums = np.bincount(index[index >= 0], wave_weights[index >= 0], minlength=len(margin.categories))
            reached += [
                (margin.variable, category, population, float(total))
                for category, population, total in zip(margin.categories, margin.population, sums, strict=True)
            ]
        result.weighted_margins[wave] = reached
    return weights


def evaluate(
    responses: Responses,
    questionnaire: Questionnaire,
    indicators: Indicators,
    margins: Margins | None,
    options: Options,
    rates: list[ResponseRate] | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> Result:
    """Every estimate, comparison and target check of the run."""
    result = Result(indicators, questionnaire, responses, options, options.min_n or indicators.min_n)
    result.rates = rates or []
    result.margins_source = margins.source if margins else ""
    data = responses.data
    waves = responses.waves
    progress(f"weighting {len(waves)} wave(s)")
    weights = _weights(data, waves, indicators, margins, options, result)
    frame = Frame(data, questionnaire)
    wave_of = data["wave"].to_numpy()
    in_wave = {wave: wave_of == wave for wave in waves}
    strata = None
    if options.strata:
        strata = groups.codes(data, indicators.breakdown(options.strata))
    breakdown_codes = {b.id: groups.codes(data, b) for b in indicators.breakdowns}
    persons = np.unique(data["respondent"].to_numpy(dtype=str), return_inverse=True)[1].reshape(-1)
    design = Design(
        {wave: est.Units.of(in_wave[wave], strata) for wave in waves},
        persons,
        {(a, b): len(np.unique(persons[in_wave[a] | in_wave[b]])) for a in waves for b in waves if a != b},
    )
    for number, indicator in enumerate(indicators.indicators, start=1):
        progress(f"indicator {number}/{len(indicators.indicators)}: {indicator.id}")
        population = holds(indicator.population, frame)
        if indicator.numerator is not None:
            y = np.where(population, holds(indicator.numerator, frame).astype(float), np.nan)
        else:
            assert indicator.mean is not None
            y = np.where(population, numeric(data[indicator.mean]), np.nan)
        _indicator(result, indicator, y, weights, design, in_wave, breakdown_codes)
    progress("checking targets")
    _targets(result, waves)
    return result


def _indicator(
    result: Result,
    indicator: Indicator,
    y: np.ndarray,
    weights: np.ndarray,
    design: Design,
    in_wave: dict[str, np.ndarray],
    breakdown_codes: dict[str, np.ndarray],
) -> None:
    waves = list(in_wave)
    share = indicator.is_share
    known = ~np.isnan(y)
    splits: list[tuple[str, list[str], list[np.ndarray]]] = [(ALL, [ALL], [known])]
    for breakdown_id in indicator.breakdowns:
        breakdown = result.indicators.breakdown(breakdown_id)
        codes = breakdown_codes[breakdown_id]
        splits.append(
            (
                breakdown_id,
                [g.id for g in breakdown.groups],
                [known & (codes == k) for k in range(len(breakdown.groups))],
            )
        )
    found: dict[tuple[str, str], list[est.Estimate]] = {}
    for wave in waves:
        for breakdown_id, _group_ids, domains in splits:
            inside = [domain & in_wave[wave] for domain in domains]
            found[breakdown_id, wave] = [
                est.estimate(y, domain, weights, share=share, units=design.units[wave]) for domain in inside
            ]
        hidden = _protect_wave(result, indicator, wave, splits, found, share)
        for breakdown_id, group_ids, _domains in splits:
            for group_id, estimate, secret in zip(
                group_ids, found[breakdown_id, wave], hidden[breakdown_id], strict=True
            ):
                result.add(Row(indicator.id, breakdown_id, group_id, wave, estimate, secret))
    for breakdown_id, group_ids, domains in splits:
        per_wave = {wave: found[breakdown_id, wave] for wave in waves}
        for index, group_id in enumerate(group_ids):
            pairs = list(itertools.pairwise(waves))
            if result.indicators.baseline_wave in waves and len(waves) > 2:
                pairs.append((result.indicators.baseline_wave, waves[-1]))
            for earlier, later in dict.fromkeys(pairs):
                test = None
                if not _hidden(result, indicator.id, breakdown_id, group_id, (earlier, later)):
                    domain = domains[index]
                    test = est.change(
                        y,
                        domain & in_wave[earlier],
                        domain & in_wave[later],
                        weights,
                        design.persons,
                        design.persons_in[(earlier, later)],
                    )
                result.changes.append(Comparison(indicator.id, breakdown_id, group_id, earlier, later, test))
            if len(waves) >= 3:
                points = [per_wave[wave][index] for wave in waves]
                withheld = _hidden(result, indicator.id, breakdown_id, group_id, tuple(waves))
                slope = None if withheld else est.trend(points)
                result.trends.append(Comparison(indicator.id, breakdown_id, group_id, waves[0], waves[-1], slope))
    if result.responses.panel and len(waves) >= 2:
        frame = pd.DataFrame({"respondent": design.persons, "y": y, "weight": weights})
        first, last = frame[in_wave[waves[0]]], frame[in_wave[waves[-1]]]
        test = est.within_person(first, last, share)
        if test is not None and test.n < result.min_n:
            test = None
        result.panel.append(Comparison(indicator.id, ALL, ALL, waves[0], waves[-1], test))


def _protect_wave(
    result: Result,
    indicator: Indicator,
    wave: str,
    splits: list[tuple[str, list[str], list[np.ndarray]]],
    found: dict[tuple[str, str], list[est.Estimate]],
    share: bool,
) -> dict[str, list[bool]]:
    """Protect every table of one indicator and wave together: the overall table and one per breakdown.

    They share one line: the overall figures are the total line (column totals and grand total) of every
    breakdown table. Each table is protected on its own with that line as its margin; when any of them
    withholds a cell of it (or the overall table withholds its figures), the shared total could be worked
    out from a table that publishes all its groups and then used against the table that hid it, so every
    group of every table of the indicator and wave is withheld (secondary). Otherwise the total is
    published in all of them, each table's protection holds with it fixed, and the tables share no other
    cell. A group's figures are withheld whenever any of its cells or its total is."""
    hidden: dict[str, list[bool]] = {}
    total_hidden = False
    for breakdown_id, group_ids, _domains in splits:
        table = _protect(result, indicator, breakdown_id, group_ids, wave, found[breakdown_id, wave], share)
        mask = table.suppressed()
        hidden[breakdown_id] = [bool(mask[r].any()) for r in range(len(group_ids))]
        if breakdown_id == ALL:
            total_hidden |= hidden[ALL][0]
        else:
            total_hidden |= bool(mask[-1].any())
    if total_hidden:
        for breakdown_id, group_ids, _domains in splits:
            for group_id, estimate, secret in zip(
                group_ids, found[breakdown_id, wave], hidden[breakdown_id], strict=True
            ):
                if not secret and estimate.n > 0:
                    result.withheld.append(
                        Withheld(indicator.id, breakdown_id, wave, group_id, "total", SECONDARY, estimate.n)
                    )
            hidden[breakdown_id] = [True] * len(group_ids)
    return hidden


def _protect(
    result: Result,
    indicator: Indicator,
    breakdown_id: str,
    group_ids: list[str],
    wave: str,
    found: list[est.Estimate],
    share: bool,
) -> SafeTable:
    """Protect the table behind the published figures: weighted counts of groups x (yes, no) for a share,
    groups x (n) for a mean, with margins (the last row and column of the returned table's status)."""
    if share:
        n = np.array([[e.n_yes, e.n - e.n_yes] for e in found])
        values = np.array([[e.weighted_yes, e.weighted - e.weighted_yes] for e in found])
        cells: tuple[str, ...] = ("yes", "no")
    else:
        n = np.array([[e.n] for e in found])
        values = np.array([[e.weighted] for e in found])
        cells = ("n",)
    table = protect(n, values, min_n=result.min_n)
    mask = table.suppressed()
    for r, group_id in enumerate(group_ids):
        for c, cell in enumerate((*cells, "total")):
            if mask[r, c]:
                count = int(n[r].sum()) if cell == "total" else int(n[r, c])
                result.withheld.append(
                    Withheld(indicator.id, breakdown_id, wave, group_id, cell, str(table.status[r, c]), count)
                )
    return table


def _hidden(result: Result, indicator: str, breakdown: str, group: str, waves: tuple[str, ...]) -> bool:
    for wave in waves:
        row = result.row(indicator, breakdown, group, wave)
        if row is None or row.suppressed or row.estimate.n == 0:
            return True
    return False


def _targets(result: Result, waves: tuple[str, ...]) -> None:
    for indicator in result.indicators.indicators:
        target = indicator.target
        if target is None:
            continue
        row = result.row(indicator.id, ALL, ALL, target.wave)
        if row is None:
            status, estimate = "not measured", None
        elif row.suppressed or math.isnan(row.estimate.value):
            status, estimate = "suppressed", None
        else:
            estimate = row.estimate
            status = target.reached(estimate.lower, estimate.upper)
        result.targets.append(TargetCheck(indicator.id, target.wave, target.value, target.direction, estimate, status))
