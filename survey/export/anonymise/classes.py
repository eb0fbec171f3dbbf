"""Equivalence classes of one transformation, counted with numpy over the distinct rows, and which
rows k-anonymity (and l-diversity) would suppress."""

from __future__ import annotations

import itertools
import math
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .encoding import KEY_SPACE_LIMIT, DistinctRows, combine

# While the key space is at most this many times the number of rows, classes are counted with a
# bincount over the key itself: no hashing, and scanning the mostly empty counters stays cheaper than
# hashing every row.
DENSE_FACTOR = 4


# A node's key is put together from the keys of groups of this many attributes, each kept for the
# levels it was last asked at: the search checks nodes that share most of their levels, so most of a
# node's key is already made (at 100,000 records, 4 groups of about 3 of the study's 13 attributes,
# about 16 level combinations kept per group: 2 of 3 group keys were found kept).
GROUP = 3
CACHE_BYTES = 48 << 20  # all groups' kept keys together, at most


class ClassCounter:
    """Groups the distinct rows into the equivalence classes of any transformation (a level per QI)."""

    def __init__(self, rows: DistinctRows, k: int, l_diversity: int | None = None) -> None:
        self.rows = rows
        self.k = k
        self.l_diversity = l_diversity
        attributes = len(rows.codes)
        count = max(1, attributes // GROUP)
        bounds = [attribute * GROUP for attribute in range(count)] + [attributes]
        self._groups = list(itertools.pairwise(bounds))  # the last group takes the remainder
        self._kept: list[OrderedDict[tuple[int, ...], np.ndarray]] = [OrderedDict() for _ in self._groups]
        self._capacity = max(2, min(64, CACHE_BYTES // (len(self._groups) * 8 * max(rows.size, 1))))

    def _group_key(self, group: int, node: Sequence[int]) -> np.ndarray:
        """The mixed-radix key of one group of attributes at the node's levels (kept, never changed)."""
        start, stop = self._groups[group]
        levels = tuple(node[start:stop])
        kept = self._kept[group]
        found = kept.get(levels)
        if found is not None:
            kept.move_to_end(levels)
            return found
        rows = self.rows
        found, _ = combine(
            [rows.codes[start + offset][level] for offset, level in enumerate(levels)],
            [rows.cardinalities[start + offset][level] for offset, level in enumerate(levels)],
        )
        kept[levels] = found
        if len(kept) > self._capacity:
            kept.popitem(last=False)
        return found

    def key(self, node: Sequence[int]) -> tuple[np.ndarray, int]:
        """One int64 key per row for the node's classes and the size of the key space: exactly
        `combine` over every attribute, made from the groups' kept keys while the space fits."""
        rows = self.rows
        radices = [rows.cardinalities[attribute][level] for attribute, level in enumerate(node)]
        space = math.prod(int(radix) for radix in radices)
        if len(self._groups) == 1 or space >= KEY_SPACE_LIMIT:
            columns = [rows.codes[attribute][level] for attribute, level in enumerate(node)]
            return combine(columns, radices)
        # The mixed radix over all attributes is the mixed radix over the groups' own keys.
        key: np.ndarray | None = None
        for group, (start, stop) in enumerate(self._groups):
            part = self._group_key(group, node)
            if key is None:
                key = part.copy()
                continue
            key *= math.prod(int(radix) for radix in radices[start:stop])
            key += part
        assert key is not None
        return key, space

    def classes(self, node: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per row its class id, and per class id its size in records (ids may leave gaps of size 0)."""
        rows = self.rows
        key, space = self.key(node)
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
