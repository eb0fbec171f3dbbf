"""The issue's acceptance test: on the synthetic three waves the three-respondent cell and its complements
are withheld, and an attacker who reads the published CSV tables cannot work out any withheld cell.

The published tables are rebuilt from tables/estimates.csv as the command wrote it: for every indicator
and wave, one table per breakdown (groups x weighted yes/no for a share, groups x weighted count for a
mean; a group's row total is its weighted n) whose line of totals is the overall row, shared by all of
them. Respondents in no group of a breakdown form one more row that is never published. The values of
the withheld cells come from the same run in this process; which cells are published comes only from the
CSV. tests/evaluation/recovery.py then solves the linear programmes (nothing of the module is used).
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from survey.evaluation.estimates import Estimate
from survey.evaluation.exports import read_exports
from survey.evaluation.indicators import load_file
from survey.evaluation.run import ALL, Options, Result, _protect_wave, evaluate
from survey.evaluation.suppression import protect
from survey.evaluation.synthetic import POPULATION, SMALL_GROUP, WAVES
from survey.evaluation.weights import read_margins

from .conftest import STUDY_INDICATORS, folders
from .recovery import linked_intervals
from .test_report import run

PROTECTION = 0.1  # suppression.protect's default share of a withheld cell's value on either side
WITHHELD = "."
SIZE = 800  # respondents per synthetic wave (conftest.three_waves)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def published(study_runner, three_waves, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("safe") / "out"
    run(study_runner, three_waves, out, "--no-pdf")
    return out / "tables"


@pytest.fixture(scope="module")
def truth(study, three_waves) -> Result:
    responses = read_exports(folders(three_waves))
    indicators = load_file(STUDY_INDICATORS, study)
    margins = read_margins(three_waves / "margins.csv", indicators)
    return evaluate(responses, study, indicators, margins, Options())


def _cells(estimate, share: bool) -> list[float]:
    if share:
        return [estimate.weighted_yes, estimate.weighted - estimate.weighted_yes]
    return [estimate.weighted]


def _published_cells(row: dict[str, str], share: bool) -> list[float]:
    value, weighted = float(row["estimate"]), float(row["weighted_n"])
    return [value * weighted, (1 - value) * weighted] if share else [weighted]


def test_the_three_respondent_cell_and_its_complements_are_withheld(published, truth):
    estimates = {(r["indicator"], r["breakdown"], r["group"], r["wave"]): r for r in rows(published / "estimates.csv")}
    withheld = rows(published / "withheld.csv")
    tables = {(w["indicator"], w["wave"]) for w in withheld if w["group"] == "diverse"}
    with_sex = {key[0] for key in estimates if key[1] == "sex"}
    assert len(with_sex) > 10
    answered = {  # indicators whose population leaves out the small group have no cell of it
        (indicator, wave)
        for indicator in with_sex
        for wave in WAVES
        if truth.row(indicator, "sex", "diverse", wave).estimate.n  # type: ignore[union-attr]
    }
    assert len(answered) > 30
    assert tables == answered
    for indicator, wave in tables:
        here = [w for w in withheld if (w["indicator"], w["wave"], w["breakdown"]) == (indicator, wave, "sex")]
        primary = {w["group"] for w in here if w["status"] == "primary"}
        secondary = {w["group"] for w in here if w["status"] == "secondary"}
        assert "diverse" in primary, (indicator, wave)
        assert secondary - {"diverse"}, f"{indicator} {wave}: no complement withheld beside 'diverse'"
        for group in primary | secondary:
            row = estimates[(indicator, "sex", group, wave)]
            shown = [row[k] for k in ("estimate", "se", "lower_95", "upper_95", "n", "weighted_n")]
            assert shown == [WITHHELD] * 6, row
    # A share, interval or change of the small group is never published in any wave.
    for change in rows(published / "changes.csv") + rows(published / "trends.csv"):
        if change["group"] == "diverse":
            assert {change["difference" if "difference" in change else "slope_per_wave"], change["p"]} == {WITHHELD}


def test_no_withheld_cell_can_be_recovered_from_the_published_tables(published, truth):
    estimates = {(r["indicator"], r["breakdown"], r["group"], r["wave"]): r for r in rows(published / "estimates.csv")}
    primaries = {
        (w["indicator"], w["breakdown"], w["group"], w["wave"])
        for w in rows(published / "withheld.csv")
        if w["status"] == "primary"
    }
    checked = small = raked_checked = 0
    for indicator in truth.indicators.indicators:
        share = indicator.is_share
        for wave in WAVES:
            overall = truth.row(indicator.id, ALL, ALL, wave)
            assert overall is not None
            total_shown = estimates[(indicator.id, "all", "all", wave)]["estimate"] != WITHHELD
            tables, labels = [], []
            for breakdown_id in indicator.breakdowns:
                breakdown = truth.indicators.breakdown(breakdown_id)
                inner, hidden, names = [], [], []
                for group in breakdown.groups:
                    row = truth.row(indicator.id, breakdown_id, group.id, wave)
                    assert row is not None
                    shown = estimates[(indicator.id, breakdown_id, group.id, wave)]
                    values = _cells(row.estimate, share)
                    secret = shown["estimate"] == WITHHELD
                    if not secret and row.estimate.n:
                        # What the CSV shows is what the attacker fixes: it must be the true cells.
                        assert _published_cells(shown, share) == pytest.approx(values, abs=0.05)
                    inner.append(values)
                    # margins.csv publishes each raking group's weighted size: for an indicator about
                    # everybody that is the group's row total, withheld or not.
                    raked = breakdown_id in POPULATION and overall.estimate.n == SIZE
                    hidden.append([secret] * len(values) + [secret and not raked])
                    names.append(group.id)
                rest = np.array(_cells(overall.estimate, share)) - np.sum(inner, axis=0)
                if rest.sum() > 1e-6:  # respondents in no group of this breakdown: never published
                    inner.append(list(np.maximum(rest, 0.0)))
                    hidden.append([True] * (len(rest) + 1))
                    names.append("(none)")
                hidden.append([not total_shown] * (len(inner[0]) + 1))
                tables.append((inner, hidden))
                labels.append((breakdown_id, names))
            if not any(any(map(any, hidden)) for _inner, hidden in tables):
                continue
            for (t, i, j), (low, high) in linked_intervals(tables).items():
                inner = tables[t][0]
                breakdown_id, names = labels[t]
                full = np.vstack([np.column_stack([inner, np.sum(inner, axis=1)]), np.zeros(len(inner[0]) + 1)])
                full[-1] = full[:-1].sum(axis=0)
                value = full[i, j]
                known = i < len(tables[t][1]) - 1 and not tables[t][1][i][-1]
                if value == 0 or (known and full.shape[1] == 2):
                    continue  # nobody, or a mean's weighted count that margins.csv publishes anyway
                where = (indicator.id, wave, breakdown_id, names[i] if i < len(names) else "total", j, value)
                assert high - low > 1e-6 * max(1.0, value), (*where, low, high)
                key = (indicator.id, breakdown_id, names[i] if i < len(names) else "", wave)
                if key in primaries:
                    assert low <= value * (1 - PROTECTION) + 1e-6, (*where, low)
                    # Upwards a cell can reach no further than its row total when that is public (a raking
                    # group's weighted size): there the whole a-priori range is the protection.
                    ceiling = full[i, -1] if known else np.inf
                    assert high >= min(value * (1 + PROTECTION), ceiling) - 1e-6, (*where, high)
                    small += names[i] == "diverse"
                checked += 1
                raked_checked += breakdown_id in POPULATION and overall.estimate.n == SIZE
    assert checked > 100
    assert raked_checked > 10
    assert small >= 3  # the small group's cells, in every wave, have their protection interval
    assert truth.min_n > SMALL_GROUP


def _share(n_yes: int, yes: float, n_no: int, no: float) -> Estimate:
    return Estimate(yes / (yes + no), 0.0, 0.0, 0.0, n_yes + n_no, yes + no, n_yes, yes)


def test_a_total_line_one_table_hides_is_hidden_in_every_table_of_the_wave():
    # Group A's three respondents weigh 30; B's six weigh only 2, too little to hide A's cell behind,
    # so the breakdown table protects A through its column totals: the overall row.
    groups = {ALL: [_share(9, 32.0, 110, 1100.0)], "b": [_share(3, 30.0, 50, 500.0), _share(6, 2.0, 60, 600.0)]}
    groups["c"] = list(groups[ALL])  # a breakdown whose one group is everybody
    inner = [[30.0, 500.0], [2.0, 600.0]]
    alone = protect([[3, 50], [6, 60]], inner, min_n=5)
    assert alone.status[0, 0] == "primary" and alone.suppressed()[-1].any()
    # Published one table at a time (the overall row by its own table, which protects nothing), A's
    # cell is the overall row minus B's:
    hidden_a = [[True] * 3, [False] * 3, [False] * 3]
    low, high = linked_intervals([(inner, hidden_a)])[0, 0, 0]
    assert high - low < 1e-6

    result = SimpleNamespace(min_n=5, withheld=[])
    splits = [(key, [f"{key}{k}" for k in range(len(found))], [None] * len(found)) for key, found in groups.items()]
    hidden = _protect_wave(result, SimpleNamespace(id="x"), "w", splits, {(k, "w"): v for k, v in groups.items()}, True)
    assert hidden == {ALL: [True], "b": [True, True], "c": [True]}
    assert {(w.breakdown, w.group, w.status) for w in result.withheld if w.cell == "total"} >= {
        (ALL, ALL + "0", "secondary"),
        ("b", "b1", "secondary"),
        ("c", "c0", "secondary"),
    }
    everything = [[True] * 3] * 3
    for (_t, i, j), (low, high) in linked_intervals(
        [(inner, everything), ([[32.0, 1100.0]], [[True] * 3] * 2)]
    ).items():
        assert high - low > 1e-6, (i, j)


def test_tables_whose_total_line_is_published_keep_their_groups():
    groups = {
        ALL: [_share(40, 400.0, 110, 1100.0)],
        "b": [_share(3, 30.0, 50, 500.0), _share(37, 370.0, 60, 600.0)],
        "c": [_share(20, 200.0, 55, 550.0), _share(20, 200.0, 55, 550.0)],
    }
    result = SimpleNamespace(min_n=5, withheld=[])
    splits = [(key, [f"{key}{k}" for k in range(len(found))], [None] * len(found)) for key, found in groups.items()]
    hidden = _protect_wave(result, SimpleNamespace(id="x"), "w", splits, {(k, "w"): v for k, v in groups.items()}, True)
    assert hidden == {ALL: [False], "b": [True, True], "c": [False, False]}
    assert {w.status for w in result.withheld} == {"primary", "secondary"}


def test_withheld_groups_are_dots_in_the_report_charts_and_workbook(published, truth):
    from openpyxl import load_workbook

    out = published.parent
    latest = WAVES[-1]
    hidden = {
        (w["indicator"], w["group"])
        for w in rows(published / "withheld.csv")
        if (w["breakdown"], w["wave"]) == ("sex", latest)
    }
    assert ("german_b1", "female") in hidden or ("german_b1", "male") in hidden  # a complement, not only 'diverse'
    sex = truth.indicators.breakdown("sex")
    for lang in ("en", "de"):
        html = (out / f"monitoring.{lang}.html").read_text(encoding="utf-8")
        assert ("protected together" if lang == "en" else "gemeinsam geschützt") in html  # the methods appendix
        for indicator in ("german_b1", "employed"):
            desc = (out / "charts" / f"{indicator}-sex.{lang}.svg").read_text(encoding="utf-8")
            section = html[html.index(f'id="{indicator}"') :]
            section = section[: section.index("</article>")]
            for group in sex.groups:
                title = group.title.get(lang)
                row = f'<td>{title}</td><td class="num">.</td><td class="num">.</td><td class="num">.</td>'
                assert ((indicator, group.id) in hidden) == (row in section), (lang, indicator, group.id)
                assert ((indicator, group.id) in hidden) == (f"{title}: . (.)" in desc), (lang, indicator, group.id)
    workbook = load_workbook(out / "tables.xlsx", read_only=True)  # holds the file open until closed
    try:
        rows_read = workbook["estimates"].iter_rows(values_only=True)
        written = [[("" if v is None else str(v)) for v in row] for row in rows_read]
    finally:
        workbook.close()
    with (published / "estimates.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert len(written) == len(table)
    for got, want in zip(written[1:], table[1:], strict=True):
        assert [g == "." for g in got] == [w == "." for w in want], want
