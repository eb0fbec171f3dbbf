"""The anonymiser's search made cheaper without changing its answer: the lattice ranked with one
stable sort of an integer key (the same order as the lexsort it replaces), and class keys put
together from kept keys of groups of attributes (the same keys as combining every attribute)."""

from __future__ import annotations

import numpy as np

from survey.export.anonymise.classes import ClassCounter
from survey.export.anonymise.encoding import combine, distinct_rows, encode_quasi
from survey.export.anonymise.hierarchy import Hierarchy
from survey.export.anonymise.lattice import rank_order


def test_rank_order_is_loss_then_level_sum_then_index():
    rng = np.random.default_rng(5)
    # Losses with ties that only rounding makes (sums of the same terms in another order).
    terms = rng.random(6) * 1000
    loss = np.array([terms[rng.permutation(6)[:3]].sum() for _ in range(4000)])
    loss[::7] = terms[0] + terms[1] + terms[2]
    loss[1::7] = terms[2] + terms[1] + terms[0]
    level_sum = rng.integers(0, 20, size=len(loss))
    assert np.array_equal(rank_order(loss, level_sum), np.lexsort((level_sum, np.round(loss, 6))))
    # Losses too large for an exact integer key are still ranked (by the lexsort).
    huge = loss * 1e12
    assert np.array_equal(rank_order(huge, level_sum), np.lexsort((level_sum, np.round(huge, 6))))


def _counter(attributes: int, records: int = 3000) -> ClassCounter:
    rng = np.random.default_rng(attributes)
    columns = []
    for index in range(attributes):
        values = [str(value) for value in rng.integers(0, 40, size=records)]
        # Level 1: tens; level 2: everything.
        hierarchy = Hierarchy.from_levels(
            [{value: value[:-1] + "x" for value in set(values)}, {value[:-1] + "x": "*" for value in set(values)}]
        )
        columns.append(encode_quasi(f"a{index}", np.asarray(values, dtype=object), hierarchy))
    return ClassCounter(distinct_rows(columns, []), k=3)


def test_class_keys_from_kept_group_keys_equal_combining_every_attribute():
    counter = _counter(7)
    rows = counter.rows
    rng = np.random.default_rng(1)
    for _ in range(60):  # nodes that share levels, as the search's do, and nodes that do not
        node = tuple(int(level) for level in rng.integers(0, 3, size=7))
        key, space = counter.key(node)
        expected = combine(
            [rows.codes[attribute][level] for attribute, level in enumerate(node)],
            [rows.cardinalities[attribute][level] for attribute, level in enumerate(node)],
        )
        assert space == expected[1] and np.array_equal(key, expected[0])
        counter.key(node)  # asked again: from the kept keys, which must not have changed
        assert np.array_equal(counter.key(node)[0], expected[0])
