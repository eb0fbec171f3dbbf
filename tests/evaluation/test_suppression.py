"""Safe tables: primary and secondary suppression, proven by an independent recovery check."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.evaluation.suppression import SafeTable, SuppressionError, protect, publishable
from tests.evaluation.recovery import assert_protected, feasible_intervals, with_margins

WEIGHT = 87.5  # a typical design weight: weighted counts are respondents times their weights


def weighted(n, rng=None):
    n = np.asarray(n)
    if rng is None:
        return n * WEIGHT
    return n * rng.uniform(40.0, 160.0, size=n.shape)


def test_three_respondent_subgroup_and_its_complements_are_suppressed():
    # German at B1 or better (yes, no) by country group; one group has only three respondents.
    n = np.array([[40, 61], [2, 1], [25, 30], [18, 22]])
    values = weighted(n)
    table = protect(n, values, min_n=3)
    status = table.status
    assert status.shape == (5, 3)
    assert list(status[1, :2]) == ["primary", "primary"]
    assert status[1, 2] == ""  # three respondents reach min_n = 3: the group's total is published
    # Each column total would give a primary cell away: another group's cells are hidden too.
    assert table.secondary()[[0, 2, 3], :2].sum() >= 2
    assert not table.suppressed()[4].any()  # the cheapest complements are cells, not the totals
    assert_protected(values, table, protection=0.1)


def test_small_subgroup_total_is_itself_primary_under_the_default_rule():
    n = np.array([[40, 61], [2, 1], [25, 30]])
    table = protect(n, weighted(n))
    assert list(table.status[1]) == ["primary", "primary", "primary"]
    assert_protected(weighted(n), table, protection=0.1)


def test_one_dimensional_table_hides_the_small_cell_and_a_complement():
    n = np.array([[12], [3], [20], [9]])
    values = weighted(n)
    table = protect(n, values)
    assert table.status.shape == (5, 2)
    assert table.status[1, 0] == "primary" and table.status[1, 1] == "primary"  # the row total is the cell
    hidden = table.suppressed()
    assert hidden[:4, 0].sum() == 2 and not hidden[4].any()
    assert (hidden[:, 0] == hidden[:, 1]).all()
    assert hidden[3, 0]  # the smallest other cell is the cheapest complement
    assert_protected(values, table, protection=0.1)


def test_flat_list_is_read_as_one_column():
    table = protect([12, 3, 20, 9], [12.0, 3.0, 20.0, 9.0])
    assert table.status.shape == (5, 2)
    assert table.status[1, 0] == "primary"


def test_row_with_a_single_respondent_cell_hides_its_row_total():
    # The row total equals the only nonzero cell: it has as few respondents, so it is primary too.
    n = np.array([[0, 4, 0], [10, 12, 9], [7, 0, 11]])
    values = weighted(n)
    table = protect(n, values)
    assert table.status[0, 1] == "primary"
    assert table.status[0, 3] == "primary"
    assert_protected(values, table, protection=0.1)


def test_row_total_is_hidden_when_no_other_cell_of_the_row_can_fall():
    # Weighted totals (say, income): six respondents in the row earn nothing, four earn 300 in all. The
    # zero cell can only rise, so the small cell can only be kept from being narrowed upwards by hiding
    # the row total as a complement.
    n = np.array([[6, 4, 0], [10, 12, 9], [7, 8, 11]])
    values = np.array([[0.0, 300.0, 0.0], [900.0, 1100.0, 700.0], [650.0, 720.0, 1000.0]])
    table = protect(n, values)
    assert table.status[0, 1] == "primary"
    assert table.status[0, 3] == "secondary"
    assert_protected(values, table, protection=0.1)


def test_empty_cells_are_published_as_zero_and_never_used_as_complements():
    n = np.array([[0, 2, 9], [0, 8, 7], [6, 0, 10]])
    values = weighted(n)
    table = protect(n, values)
    assert not table.suppressed()[:3, :3][n == 0].any()
    assert_protected(values, table, protection=0.1)


def test_table_without_small_cells_is_published_whole():
    n = np.full((4, 3), 20)
    table = protect(n, weighted(n))
    assert not table.suppressed().any()
    assert table.status.dtype.kind == "U"


def test_tiny_table_hides_everything_it_must():
    n = np.array([[2]])
    table = protect(n, weighted(n))
    assert table.primary().all()


def test_publishable_renders_suppressed_cells_as_a_dot():
    n = np.array([[12], [3], [20], [9]])
    values = np.array([[12.0], [3.0], [20.0], [9.0]])
    table = protect(n, values)
    rows = publishable(values, table)
    assert rows[0] == [12.0, 12.0]
    assert rows[1] == [".", "."]
    assert rows[3] == [".", "."]
    assert rows[4] == [44.0, 44.0]
    assert publishable(with_margins(values), table, mark="x")[1] == ["x", "x"]
    with pytest.raises(SuppressionError, match="do not fit"):
        publishable(np.zeros((2, 2)), table)


def test_dominance_rule_hides_a_cell_one_respondent_dominates():
    n = np.array([[6, 7], [8, 5]])
    contributions = [
        [[900.0, 20.0, 20.0, 20.0, 20.0, 20.0], [50.0] * 7],
        [[40.0] * 8, [60.0] * 5],
    ]
    values = np.array([[sum(cell) for cell in row] for row in contributions])
    table = protect(n, values, min_n=3, dominance=(1, 0.85), contributions=contributions)
    assert table.status[0, 0] == "primary"
    assert table.primary().sum() == 1
    largest = np.zeros((3, 3))
    largest[0, 0] = 900.0
    assert_protected(values, table, protection=0.1, largest=largest, share=0.85)


def test_dominance_rule_applies_to_margins():
    n = np.array([[3, 3], [4, 4]])
    contributions = [[[500.0, 1.0, 1.0], [400.0, 1.0, 1.0]], [[10.0] * 4, [10.0] * 4]]
    values = np.array([[sum(cell) for cell in row] for row in contributions])
    table = protect(n, values, min_n=3, dominance=(2, 0.85), contributions=contributions)
    assert table.status[0, 2] == "primary"  # 500 + 400 of 904
    assert_protected(values, table, protection=0.1)


def test_dominance_rule_without_contributions_is_refused():
    with pytest.raises(SuppressionError, match="needs the contributions"):
        protect([[5, 6]], [[5.0, 6.0]], dominance=(1, 0.85))


@pytest.mark.parametrize(
    ("n", "values", "contributions", "message"),
    [
        ([[1, 2]], [[1.0]], None, "must be the same"),
        ([[1, -2]], [[1.0, 2.0]], None, "whole numbers"),
        ([[1, 2.5]], [[1.0, 2.0]], None, "whole numbers"),
        ([[1, 2]], [[1.0, -2.0]], None, r"cell \(row 1, column 2\) is negative"),
        ([[1, 2]], [[1.0, np.nan]], None, r"cell \(row 1, column 2\) is not a finite number"),
        ([[1, 0]], [[1.0, 2.0]], None, r"cell \(row 1, column 2\) has a value but no respondents"),
        ([[1, 2]], [[1.0, 2.0]], [[[1.0], [1.0, 0.5]]], r"cell \(row 1, column 2\) add up to 1.5"),
        ([[1, 2]], [[1.0, 2.0]], [[[1.0], [2.0]]], r"cell \(row 1, column 2\): 1 values for 2 respondents"),
        ([[1, 2]], [[1.0, 2.0]], [[[1.0]]], "every cell"),
    ],
)
def test_bad_tables_get_an_error_naming_the_cell(n, values, contributions, message):
    rule = (1, 0.9) if contributions is not None else None
    with pytest.raises(SuppressionError, match=message):
        protect(n, values, dominance=rule, contributions=contributions)


@pytest.mark.parametrize(
    "options",
    [{"min_n": 0}, {"protection": 0.0}, {"protection": 1.5}, {"cost": "size"}, {"dominance": (0, 0.5)}],
)
def test_bad_rules_are_refused(options):
    contributions = [[[1.0, 1.0], [3.0]]]
    with pytest.raises(SuppressionError):
        protect([[2, 1]], [[2.0, 3.0]], contributions=contributions, **options)


def test_primary_cells_are_exactly_the_small_ones_margins_included():
    rng = np.random.default_rng(7)
    n = rng.poisson(4, size=(9, 5))
    table = protect(n, weighted(n, rng), min_n=5)
    full = with_margins(n)
    assert (table.primary() == ((full > 0) & (full < 5))).all()
    assert not table.suppressed()[full == 0].any()


def random_tables():
    rng = np.random.default_rng(2026)
    for number in range(48):
        rows, cols = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        mean = [0.7, 2.0, 4.0, 9.0, 25.0][number % 5]
        n = rng.poisson(mean, size=(rows, cols))
        if number % 7 == 3:  # sparse: most cells empty
            n = n * (rng.random((rows, cols)) < 0.3)
        if number % 7 == 5:  # one small cell in a well-filled table
            n = rng.integers(15, 60, size=(rows, cols))
            n[rng.integers(rows), rng.integers(cols)] = int(rng.integers(1, 3))
        yield pytest.param(n, weighted(n, rng), id=f"{number}-{rows}x{cols}")


@pytest.mark.parametrize(("n", "values"), list(random_tables()))
@pytest.mark.parametrize("cost", ["value", "count"])
def test_random_tables_cannot_be_recomputed(n, values, cost):
    table = protect(n, values, min_n=5, protection=0.15, cost=cost)
    assert_protected(values, table, protection=0.15)


def test_large_sparse_table_cannot_be_recomputed():
    rng = np.random.default_rng(40)
    n = rng.poisson(6, size=(40, 10)) * (rng.random((40, 10)) < 0.7)
    values = weighted(n, rng)
    table = protect(n, values, min_n=3)
    assert table.primary().sum() >= 10
    assert_protected(values, table, protection=0.1)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 12), min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    ),
    st.floats(0.05, 1.0),
)
def test_any_small_table_cannot_be_recomputed(n, protection):
    counts = np.array(n)
    values = counts * (1.0 + np.arange(counts.size).reshape(counts.shape) % 3)  # uneven weights
    table = protect(counts, values, min_n=4, protection=protection)
    assert_protected(values, table, protection=protection)


def test_recovery_check_catches_an_unprotected_table():
    # The check itself must fail on a table that only hides the small cell: the margins give it away.
    n = np.array([[12, 3], [20, 9]])
    status = np.full((3, 3), "", dtype="<U9")
    status[0, 1] = "primary"
    with pytest.raises(AssertionError, match="can be recomputed"):
        assert_protected(weighted(n), SafeTable(status=status), protection=0.1)
    intervals = feasible_intervals(weighted(n), status != "")
    assert intervals[0, 1] == pytest.approx((3 * WEIGHT, 3 * WEIGHT))


def test_recovery_check_catches_a_cell_narrowed_below_its_protection():
    # The four inner cells are hidden, but the small cell can rise only as far as the cell of 1 can fall.
    values = np.array([[1.0, 100.0], [50.0, 60.0]])
    status = np.full((3, 3), "", dtype="<U9")
    status[:2, :2] = "secondary"
    status[0, 1] = "primary"
    with pytest.raises(AssertionError):
        assert_protected(values, SafeTable(status=status), protection=0.1)
    low, high = feasible_intervals(values, status != "")[0, 1]
    assert (low, high) == (pytest.approx(50.0), pytest.approx(101.0))


def test_sensitive_total_larger_than_each_of_its_cells_is_protected_over_several_cycles():
    # The row total must be able to fall by half its value, but each of its cells holds less than
    # that: no single cycle carries the protection, it is spread over several.
    n = np.array([[1, 1, 2], [10, 12, 9], [8, 7, 11]])
    values = np.array([[30.0, 30.0, 40.0], [900.0, 1100.0, 700.0], [650.0, 720.0, 1000.0]])
    table = protect(n, values, protection=0.5)
    assert table.status[0, 3] == "primary"
    assert_protected(values, table, protection=0.5)


def test_same_table_gets_the_same_pattern_and_the_pattern_is_read_only():
    rng = np.random.default_rng(3)
    n = rng.poisson(6, size=(12, 6))
    values = weighted(n, rng)
    first, second = protect(n, values), protect(n.copy(), values.copy())
    assert first.secondary().any()
    assert (first.status == second.status).all()
    with pytest.raises(ValueError, match="read-only"):
        first.status[0, 0] = ""
