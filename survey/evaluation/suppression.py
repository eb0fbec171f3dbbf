"""Safe tables: which cells of a published table are withheld ('.').

Primary suppression only: an inner cell or a margin counted from fewer than `min_n` respondents (but at
least one) is withheld. Secondary suppression, so that no withheld cell can be worked out from the
published margins and the other cells, replaces this module (see docs/evaluation.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PUBLISHED, PRIMARY, SECONDARY = "", "primary", "secondary"


@dataclass(frozen=True)
class SafeTable:
    status: np.ndarray  # dtype object/str, shape (r + 1, c + 1): '', 'primary', 'secondary'; last row/col: margins

    def suppressed(self) -> np.ndarray:
        return self.status != PUBLISHED


def protect(
    n: np.ndarray, values: np.ndarray, *, min_n: int = 5, dominance: tuple[int, float] | None = None
) -> SafeTable:
    """The status of every cell and margin of the table with unweighted counts `n` (r x c) and published
    additive `values` (r x c)."""
    n = np.asarray(n, dtype=np.int64)
    if n.ndim != 2 or np.asarray(values).shape != n.shape:
        raise ValueError("n and values must be tables (r x c) of the same shape")
    full = np.zeros((n.shape[0] + 1, n.shape[1] + 1), dtype=np.int64)
    full[:-1, :-1] = n
    full[:-1, -1] = n.sum(axis=1)
    full[-1, :-1] = n.sum(axis=0)
    full[-1, -1] = n.sum()
    status = np.full(full.shape, PUBLISHED, dtype=object)
    status[(full > 0) & (full < min_n)] = PRIMARY
    return SafeTable(status)
