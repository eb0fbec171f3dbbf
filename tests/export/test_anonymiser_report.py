"""The disclosure report, on a tiny example worked out by hand."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from survey.export.anonymise import AnonymisationResult, Hierarchy, anonymise, render_report


def tiny() -> AnonymisationResult:
    """Eleven people, all unique on (age, sex): five women aged 21-26, five men aged 31-36 and a man of 50.
    With k=5 and one record allowed to be suppressed, ages become decades and the man of 50 is suppressed."""
    ages = ["21", "22", "23", "24", "26", "31", "32", "33", "34", "36", "50"]
    df = pd.DataFrame({"id": [str(n) for n in range(11)], "age": ages, "sex": ["F"] * 5 + ["M"] * 6})
    hierarchies = {
        "age": Hierarchy.from_bands(ages, [10], name="age"),
        "sex": Hierarchy.from_levels([{"F": "*", "M": "*"}], name="sex"),
    }
    return anonymise(df, ["age", "sex"], hierarchies, k=5, max_suppression=0.1)


def test_report_counts_classes_suppression_and_levels() -> None:
    report = tiny().report
    assert report["k_requested"] == 5
    assert report["k_reached"] == 5
    assert report["equivalence_classes"] == 2
    assert report["suppressed"] == {"records": 1, "share": pytest.approx(1 / 11), "limit": 1, "max_share": 0.1}
    assert report["generalisation"]["age"]["level"] == 1
    assert set(report["generalisation"]["age"]["examples"]) == {"20-29", "30-39"}
    assert report["generalisation"]["sex"] == {"level": 0, "height": 1, "examples": ["F", "M"]}  # a tie: alphabetical


def test_report_violations_before_and_after() -> None:
    # Before, everyone is unique; after, the released classes have 5 records each.
    assert tiny().report["violations"] == [
        {"k": 2, "before": 11, "after": 0},
        {"k": 3, "before": 11, "after": 0},
        {"k": 5, "before": 11, "after": 0},
    ]


def test_report_prosecutor_risk_before_and_after() -> None:
    risk = tiny().report["risk"]
    assert risk["before"] == {"highest": 1.0, "average": 1.0}
    assert risk["after"] == {"highest": pytest.approx(0.2), "average": pytest.approx(0.2)}


def test_report_counts_changed_cells_and_loss_shares() -> None:
    report = tiny().report
    # Every age changed (10 to a decade, 1 to `*`) and the suppressed man's sex: 12 of 22 cells.
    assert report["cells_changed_share"] == pytest.approx(12 / 22)
    loss = 10 * math.log2(5)
    top = 11 * math.log2(11) + 5 * math.log2(11 / 5) + 6 * math.log2(11 / 6)
    assert report["information_loss"]["non_uniform_entropy"] == pytest.approx(loss)
    assert report["information_loss"]["normalised"] == pytest.approx(loss / top)


def test_report_is_json_and_renders_as_short_text() -> None:
    report = tiny().report
    assert json.loads(json.dumps(report)) == report
    text = render_report(report)
    assert "5-anonymity requested, smallest class 5 (2 classes)" in text
    assert "Suppressed 1 records (9.09%; limit 1)" in text
    assert "Levels: age 1/2, sex 0/1." in text
    assert "highest 100.00% -> 20.00%" in text
    assert len(text.splitlines()) <= 8
