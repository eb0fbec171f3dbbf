"""Raking and linearised intervals against published figures of R's survey package (version 4.1-1).

Raking: `rake()`'s documented example on the California API cluster sample (apiclus1, 183 schools in
15 districts, every weight 6194/183 = 33.847), raked to school type (E 4421, H 755, M 1018) and to
"met the school-wide growth target" (No 1072, Yes 5122). Its 183 schools fall into six cells, so the
counts below are all the data raking needs; R's converged weights per cell (control = list(maxit = 100,
epsilon = 1e-9)) are the reference.

Linearisation: tests/data/evaluation/linearisation.csv (240 made-up rows: stratum, weight, group, y, b),
estimated in R with svydesign(id = ~1, strata = ~stratum, weights = ~weight) and svymean / svyby.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey.evaluation import estimates as est
from survey.evaluation.weights import kish, rake

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluation" / "linearisation.csv"
API_CELLS = {("E", "No"): 12, ("E", "Yes"): 132, ("H", "No"): 3, ("H", "Yes"): 11, ("M", "No"): 8, ("M", "Yes"): 17}
R_RAKED_WEIGHTS = {
    ("E", "No"): 39.8392362447,
    ("H", "No"): 67.1255292420,
    ("M", "No"): 49.0690721672,
    ("E", "Yes"): 29.8706754920,
    ("H", "Yes"): 50.3294011186,
    ("M", "Yes"): 36.7910248679,
}


def api_sample():
    types, wide, cells = [], [], []
    for (stype, target), count in API_CELLS.items():
        types += ["EHM".index(stype)] * count
        wide += [["No", "Yes"].index(target)] * count
        cells += [(stype, target)] * count
    return np.array(types), np.array(wide), cells


def test_raking_reproduces_r_surveys_rake_example():
    types, wide, cells = api_sample()
    weights, report = rake(
        [types, wide],
        [np.array([4421.0, 755, 1018]), np.array([1072.0, 5122])],
        base=np.full(183, 33.847),
        tolerance=1e-12,
    )
    assert report.converged and report.total == pytest.approx(6194)
    for weight, cell in zip(weights, cells, strict=True):
        assert weight == pytest.approx(R_RAKED_WEIGHTS[cell], abs=5e-9)
    assert report.deff == pytest.approx(kish(weights)[0]) and report.effective_n == pytest.approx(183 / report.deff)


def test_trimming_keeps_every_weight_inside_its_bounds_and_reports_it():
    types, wide, _ = api_sample()
    weights, report = rake([types, wide], [np.array([4421.0, 755, 1018]), np.array([1072.0, 5122])], bounds=(0.9, 1.5))
    mean = 6194 / 183
    assert weights.min() >= 0.9 * mean - 1e-9 and weights.max() <= 1.5 * mean + 1e-9
    assert report.trimmed > 0 and report.bounds == (0.9, 1.5)
    # Bounds this tight cannot meet both margins: the report says so instead of hiding it.
    assert not report.converged and report.max_deviation > 1e-3


def test_kish_design_effect_of_known_weights():
    deff, effective = kish(np.array([1.0, 1.0, 2.0, 4.0]))
    assert deff == pytest.approx(4 * 22 / 64) and effective == pytest.approx(4 / deff)


@pytest.fixture(scope="module")
def sample():
    data = pd.read_csv(DATA)
    return data, data["weight"].to_numpy(), data["stratum"].to_numpy()


def test_mean_and_share_match_r_svymean_with_strata(sample):
    data, weights, strata = sample
    everyone = np.ones(len(data), dtype=bool)
    mean = est.estimate(data["y"].to_numpy(float), everyone, weights, strata, share=False)
    assert mean.value == pytest.approx(53.3623119175, abs=1e-9)
    assert mean.se == pytest.approx(0.830739032512, abs=1e-11)
    share = est.estimate(data["b"].to_numpy(float), everyone, weights, strata)
    assert share.value == pytest.approx(0.4870197871, abs=1e-9)
    assert share.se == pytest.approx(0.0397838004332, abs=1e-12)
    # R's svyciprop(method = "logit") gives 0.40959 - 0.56507 with a t quantile (237 df); ours uses 1.96.
    assert share.lower == pytest.approx(0.409594, abs=5e-4) and share.upper == pytest.approx(0.565074, abs=5e-4)
    assert share.n == 240 and share.n_yes == int(data["b"].sum())


def test_domain_estimate_matches_r_svyby(sample):
    data, weights, strata = sample
    group_x = data["group"].to_numpy() == "x"
    share = est.estimate(data["b"].to_numpy(float), group_x, weights, strata)
    assert share.value == pytest.approx(0.526563801667, abs=1e-9)
    assert share.se == pytest.approx(0.0548617177731, abs=1e-12)
    mean = est.estimate(data["y"].to_numpy(float), ~group_x, weights, strata, share=False)
    assert mean.value == pytest.approx(51.2569616680, abs=1e-9) and mean.se == pytest.approx(0.869441906046, abs=1e-11)


def test_without_strata_matches_r_svymean(sample):
    data, weights, _ = sample
    mean = est.estimate(data["y"].to_numpy(float), np.ones(len(data), dtype=bool), weights, share=False)
    assert mean.se == pytest.approx(0.825641347027, abs=1e-11)


def test_change_of_independent_samples_adds_variances_and_panel_pairs_covary():
    rng = np.random.default_rng(5)
    n = 400
    y = np.concatenate([rng.random(n) < 0.3, rng.random(n) < 0.4]).astype(float)
    weights = np.ones(2 * n)
    first = np.arange(2 * n) < n
    independent = est.change(y, first, ~first, weights, np.arange(2 * n))
    one = est.estimate(y, first, weights)
    two = est.estimate(y, ~first, weights)
    assert independent.value == pytest.approx(two.value - one.value)
    assert independent.se == pytest.approx(math.hypot(one.se, two.se), rel=0.01)
    # The same 400 people twice, most answering as before: the change is known much more precisely.
    stable = np.concatenate([y[:n], np.where(rng.random(n) < 0.9, y[:n], 1 - y[:n])])
    persons = np.concatenate([np.arange(n), np.arange(n)])
    paired = est.change(stable, first, ~first, weights, persons)
    apart = est.change(stable, first, ~first, weights, np.arange(2 * n))
    assert paired.value == pytest.approx(apart.value) and paired.se < 0.6 * apart.se


def test_trend_is_the_least_squares_slope_with_its_error():
    points = [est.Estimate(v, 0.01, v - 0.02, v + 0.02, 100, 100.0) for v in (0.30, 0.35, 0.40)]
    slope = est.trend(points)
    assert slope.value == pytest.approx(0.05) and slope.se == pytest.approx(0.01 / math.sqrt(2))
    assert slope.p < 0.001
    assert math.isnan(est.trend(points[:2]).value)


def test_within_person_change_of_panel_members():
    first = pd.DataFrame({"respondent": [1, 2, 3, 4], "y": [0.0, 0.0, 1.0, 0.0], "weight": 1.0})
    last = pd.DataFrame({"respondent": [1, 2, 3, 5], "y": [1.0, 0.0, 1.0, 1.0], "weight": [2.0, 1.0, 1.0, 1.0]})
    change = est.within_person(first, last)
    assert change is not None and change.n == 3 and change.value == pytest.approx(2 / 4)
