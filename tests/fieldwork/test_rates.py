"""AAPOR outcome rates from disposition counts, checked against hand counts."""

from __future__ import annotations

import pytest

from survey.fieldwork.rates import DispositionError, Dispositions, outcome_rates


def test_rates_match_a_hand_count():
    # 1,000 letters: 40 returned, 60 began and stopped early, 50 partial, 300 complete, 10 withdrew;
    # 540 sent nothing back.
    counts = Dispositions(issued=1000, undeliverable=40, started=60, partial=50, complete=300, withdrawn=10)
    rates = outcome_rates(counts)
    assert rates.rr1 == pytest.approx(300 / 1000)
    assert rates.rr2 == pytest.approx(350 / 1000)
    assert rates.ref1 == pytest.approx(70 / 1000)
    assert rates.coop1 == pytest.approx(300 / 420)
    assert rates.coop2 == pytest.approx(350 / 420)


def test_e_and_undeliverable_change_only_the_rates_they_should():
    counts = Dispositions(issued=1000, undeliverable=40, started=60, partial=50, complete=300, withdrawn=10)
    half = outcome_rates(counts, e=0.5)
    assert half.rr1 == pytest.approx(0.3)
    assert half.rr3 == pytest.approx(300 / (420 + 0.5 * 580))
    moved = outcome_rates(counts, undeliverable_eligible=False)
    assert moved.rr1 == pytest.approx(300 / 960)


def test_counts_that_cannot_be_one_sample_are_refused():
    with pytest.raises(DispositionError, match="only 10 codes issued"):
        Dispositions(issued=10, complete=11)
    with pytest.raises(DispositionError, match="negative"):
        Dispositions(issued=10, partial=-1)
    with pytest.raises(DispositionError, match="e must be"):
        outcome_rates(Dispositions(issued=1), e=1.5)


def test_no_codes_give_no_rate_rather_than_a_division_by_zero():
    assert outcome_rates(Dispositions(issued=0)).rr1 is None


def test_groups_add_up():
    total = Dispositions(10, complete=3) + Dispositions(20, partial=2, complete=5)
    assert (total.issued, total.partial, total.complete) == (30, 2, 8)
