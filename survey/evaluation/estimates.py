"""Weighted shares and means with 95% intervals by Taylor linearisation (with-replacement design, strata
if given), changes between waves, trends over waves and within-person change of panel members.

The estimator is a ratio, R = sum(w z y) / sum(w z), for the domain z (population and group). Its
linearised values u = z (y - R) / sum(w z) give the variance
    V = sum_h n_h / (n_h - 1) * sum_(i in h) (w_i u_i - mean_h(w u))^2,
the formula of R's survey package for `svydesign(id = ~1, strata = ..., weights = ...)`. Weights are
treated as fixed (the raking's small gain in precision is not claimed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    value: float  # a share (0..1) or a mean; NaN when nobody is in the domain
    se: float
    lower: float
    upper: float
    n: int  # respondents in the domain (unweighted)
    weighted: float  # the domain's weighted size
    n_yes: int = 0  # for shares: respondents in the numerator
    weighted_yes: float = 0.0


@dataclass(frozen=True)
class Test:
    """A difference (later minus earlier, or a slope per wave) with its interval and two-sided p-value."""

    value: float
    se: float
    lower: float
    upper: float
    p: float
    n: int = 0


@dataclass(frozen=True)
class Units:
    """The primary units of one sample (a wave's respondents): each row's stratum code and the number
    of units per stratum. Rows outside the sample never enter its variance."""

    strata: np.ndarray | None  # an integer code per row of the data; None: one stratum
    sizes: np.ndarray  # units per stratum

    @classmethod
    def of(cls, sample: np.ndarray, strata: np.ndarray | None = None) -> Units:
        """`sample`: which rows belong to the sample; `strata`: any labels per row, or None."""
        if strata is None:
            return cls(None, np.array([int(np.sum(sample))]))
        codes = np.unique(strata, return_inverse=True)[1].reshape(-1)
        return cls(codes, np.bincount(codes[sample], minlength=int(codes.max(initial=0)) + 1))


def _variance(scores: np.ndarray, rows: np.ndarray, units: Units) -> float:
    """With-replacement variance of the total of per-unit scores within strata; `scores` are those of
    `rows`, every other unit of the sample scores 0 (domain estimation)."""
    codes = units.strata[rows] if units.strata is not None else np.zeros(len(rows), dtype=np.int64)
    sizes = units.sizes.astype(float)
    first = np.bincount(codes, scores, minlength=len(sizes))
    second = np.bincount(codes, scores * scores, minlength=len(sizes))
    usable = sizes > 1
    spread = second[usable] - first[usable] ** 2 / sizes[usable]
    return float(np.sum(sizes[usable] / (sizes[usable] - 1) * spread))


def linearised(y: np.ndarray, domain: np.ndarray, weights: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, float]:
    """(R, the rows in the domain with a value, their w*u scores, weighted domain size) of the ratio
    estimator."""
    rows = np.flatnonzero(domain & ~np.isnan(y))
    w = weights[rows]
    size = float(np.sum(w))
    if size <= 0:
        return math.nan, rows, np.zeros(len(rows)), 0.0
    values = y[rows]
    ratio = float(np.sum(w * values) / size)  # not np.dot: BLAS threads cost more than they save here
    return ratio, rows, w * (values - ratio) / size, size


def estimate(
    y: np.ndarray,
    domain: np.ndarray,
    weights: np.ndarray,
    strata: np.ndarray | None = None,
    share: bool = True,
    units: Units | None = None,
) -> Estimate:
    """A share (y is 0/1) or mean in `domain`, with a 95% interval: logit-transformed for shares (stays
    inside 0..1, like R's svyciprop(method = "logit")), symmetric for means. `units` (default: every
    row, in `strata`) are the sample the domain is part of."""
    if units is None:
        units = Units.of(np.ones(len(y), dtype=bool), strata)
    ratio, rows, scores, size = linearised(y, domain, weights)
    n = len(rows)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0, 0.0)
    se = math.sqrt(_variance(scores, rows, units))
    if share:
        yes = rows[y[rows] == 1]
        lower, upper = _logit_interval(ratio, se)
        return Estimate(ratio, se, lower, upper, n, size, len(yes), float(np.sum(weights[yes])))
    return Estimate(ratio, se, ratio - Z95 * se, ratio + Z95 * se, n, size)


def _logit_interval(p: float, se: float) -> tuple[float, float]:
    if p <= 0 or p >= 1 or se == 0:
        return p, p
    centre = math.log(p / (1 - p))
    spread = Z95 * se / (p * (1 - p))
    return 1 / (1 + math.exp(-(centre - spread))), 1 / (1 + math.exp(-(centre + spread)))


def _p_value(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2)) if not math.isnan(z) else math.nan


def _test(value: float, se: float, n: int = 0) -> Test:
    z = value / se if se > 0 else math.nan
    return Test(value, se, value - Z95 * se, value + Z95 * se, _p_value(z), n)


def change(
    y: np.ndarray,
    earlier: np.ndarray,
    later: np.ndarray,
    weights: np.ndarray,
    persons: np.ndarray,
    units: int | None = None,
) -> Test:
    """Later minus earlier estimate. Respondents (`persons`: an integer code per row) are the primary
    units across both waves, so a panel member's two answers covary as they should; for independent
    samples this is the sum of the two variances. `units`: how many persons the two waves' samples hold
    (default: those in `earlier` or `later`)."""
    r1, rows1, s1, _ = linearised(y, earlier, weights)
    r2, rows2, s2, _ = linearised(y, later, weights)
    n = units if units is not None else len(np.unique(persons[earlier | later]))
    keys = np.concatenate([persons[rows1], persons[rows2]])
    inverse = np.unique(keys, return_inverse=True)[1].reshape(-1)
    difference = np.bincount(inverse, np.concatenate([-s1, s2]))
    if n < 2:
        return Test(r2 - r1, math.nan, math.nan, math.nan, math.nan, len(keys))
    variance = n / (n - 1) * (float(np.sum(difference**2)) - float(np.sum(difference)) ** 2 / n)
    return _test(r2 - r1, math.sqrt(max(variance, 0.0)), len(keys))


def trend(points: Sequence[Estimate]) -> Test:
    """The least-squares slope of the estimates over consecutive waves (per wave), treating the waves'
    estimates as independent."""
    values = np.array([point.value for point in points])
    errors = np.array([point.se for point in points])
    keep = ~np.isnan(values) & ~np.isnan(errors)
    if keep.sum() < 3:
        return Test(math.nan, math.nan, math.nan, math.nan, math.nan)
    x = np.arange(len(points), dtype=float)[keep]
    coefficients = (x - x.mean()) / np.sum((x - x.mean()) ** 2)
    slope = float(np.sum(coefficients * values[keep]))
    return _test(slope, math.sqrt(float(np.sum(coefficients**2 * errors[keep] ** 2))))


def within_person(first: pd.DataFrame, last: pd.DataFrame, share: bool = True) -> Test | None:
    """Mean change of the same persons between two waves. `first`/`last` have the columns respondent,
    y (value, NaN outside the population) and weight; the later wave's weight is used."""
    pairs = first[["respondent", "y"]].merge(
        last[["respondent", "y", "weight"]], on="respondent", suffixes=("_1", "_2")
    )
    pairs = pairs.dropna(subset=["y_1", "y_2"])
    if len(pairs) < 2:
        return None
    d = (pairs["y_2"] - pairs["y_1"]).to_numpy(dtype=float)
    weights = pairs["weight"].to_numpy(dtype=float)
    result = estimate(d, np.ones(len(d), dtype=bool), weights, share=False)
    return _test(result.value, result.se, len(d))
