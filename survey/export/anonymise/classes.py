"""Equivalence classes of one transformation, counted with numpy over the distinct rows, and which
rows k-anonymity (and l-diversity) would suppress."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .encoding import DistinctRows, combine

# While the key space is at most this many times the number of rows, classes are counted with a
# bincount over the key itself: no hashing, and scanning the mostly empty counters stays cheaper than
# hashing every row.
DENSE_FACTOR = 4


class ClassCounter:
    """Groups the distinct rows into the equivalence classes of any transformation (a level per QI)."""

    def __init__(self, rows: DistinctRows, k: int, l_diversity: int | None = None) -> None:
        self.rows = rows
        self.k = k
        self.l_diversity = l_diversity

    def classes(self, node: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per row its class id, and per class id its size in records (ids may leave gaps of size 0)."""
        rows = self.rows
        columns = [rows.codes[attribute][level] for attribute, level in enumerate(node)]
        radices = [rows.cardinalities[attribute][level] for attribute, level in enumerate(node)]
        key, space = combine(columns, radices)
        if space <= DENSE_FACTOR * max(rows.size, 256):
            return key, np.bincount(key, weights=rows.weights, minlength=space)
        ids, distinct = pd.factorize(key, sort=False)
        return ids, np.bincount(ids, weights=rows.weights, minlength=len(distinct))

    def failing_classes(self, ids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Per class id: does the class fail the criteria (fewer than k records or, with l-diversity,
        fewer than l distinct values of some sensitive attribute)?"""
        failing = sizes < self.k
        if self.l_diversity is not None:
            for values, radix in self.rows.sensitive:
                pairs = np.unique(ids * radix + values)
                distinct = np.bincount(pairs // radix, minlength=len(sizes))
                failing |= distinct < self.l_diversity
        return failing

    def suppressed_count(self, node: Sequence[int]) -> int:
        """How many records `node` would suppress."""
        ids, sizes = self.classes(node)
        if self.l_diversity is None:
            # Empty ids (size 0) fall below k too but add nothing.
            return int(sizes[sizes < self.k].sum())
        return int(sizes[self.failing_classes(ids, sizes)].sum())

    def suppressed_rows(self, node: Sequence[int]) -> np.ndarray:
        """Per distinct row: is it suppressed at `node`?"""
        ids, sizes = self.classes(node)
        return np.asarray(self.failing_classes(ids, sizes)[ids], dtype=bool)
