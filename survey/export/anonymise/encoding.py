"""Integer codes for the anonymiser: every quasi-identifier coded once at every level of its hierarchy,
the records folded into distinct rows, and the information loss of every (attribute, level)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import HierarchyError
from .hierarchy import Hierarchy

# Keys are combined in a mixed radix; beyond this the product of the radices could overflow an int64.
KEY_SPACE_LIMIT = 1 << 62


@dataclass(frozen=True)
class QuasiColumn:
    """One quasi-identifier, coded at every level of its hierarchy."""

    name: str
    record_codes: np.ndarray  # per record: index into `originals`
    originals: np.ndarray  # the distinct original values (object array of str), in order of appearance
    labels: list[np.ndarray]  # per level: the generalised value of each original
    level_codes: list[np.ndarray]  # per level: a dense code (0..cardinality-1) for each original
    cardinalities: list[int]  # per level: how many distinct generalised values the data has
    loss: list[float]  # per level: non-uniform entropy summed over all records

    @property
    def height(self) -> int:
        """The top level of the column's hierarchy."""
        return len(self.labels) - 1


def as_strings(column: pd.Series) -> np.ndarray:
    """A column's values as an object array of str, whatever pandas made of them."""
    return column.astype(str).to_numpy(dtype=object)


def encode_quasi(name: str, values: np.ndarray, hierarchy: Hierarchy) -> QuasiColumn:
    """Code one column at every level of `hierarchy`; a value the hierarchy lacks is an error."""
    record_codes, originals = pd.factorize(values, sort=False)
    originals = np.asarray(originals, dtype=object)
    missing = [value for value in originals if value not in hierarchy]
    if missing:
        more = f" (nor are {len(missing) - 1} other values)" if len(missing) > 1 else ""
        raise HierarchyError(f"{name}: value {missing[0]!r} is not in the hierarchy{more}")
    counts = np.bincount(record_codes, minlength=len(originals)).astype(np.float64)
    rows = [hierarchy.levels_of(value) for value in originals]
    labels: list[np.ndarray] = []
    level_codes: list[np.ndarray] = []
    cardinalities: list[int] = []
    loss: list[float] = []
    for level in range(hierarchy.height + 1):
        generalised = np.array([row[level] for row in rows], dtype=object)
        codes, distinct = pd.factorize(generalised, sort=False)
        codes = codes.astype(np.int64)
        labels.append(generalised)
        level_codes.append(codes)
        cardinalities.append(len(distinct))
        loss.append(non_uniform_entropy(counts, codes, len(distinct)))
    return QuasiColumn(name, record_codes.astype(np.int64), originals, labels, level_codes, cardinalities, loss)


def non_uniform_entropy(counts: np.ndarray, group: np.ndarray, groups: int) -> float:
    """ARX's non-uniform entropy of one attribute at one level: summed over records,
    -log2(count of the record's original value / count of records sharing its generalised value).
    `counts[v]` is how often original value v occurs, `group[v]` its generalised value's code."""
    group_counts = np.bincount(group, weights=counts, minlength=groups)
    return float(np.sum(counts * np.log2(group_counts[group] / counts)))


def combine(columns: Sequence[np.ndarray], radices: Sequence[int]) -> tuple[np.ndarray, int]:
    """One int64 key per row for a tuple of coded columns, and the size of the key space. Mixed radix
    while it fits; when it would overflow, the key so far is renumbered densely first."""
    key = np.array(columns[0], dtype=np.int64)  # a copy: updated in place below
    space = int(radices[0])
    for column, radix in zip(columns[1:], radices[1:], strict=True):
        if space * radix >= KEY_SPACE_LIMIT:
            codes, distinct = pd.factorize(key, sort=False)
            key, space = codes.astype(np.int64), len(distinct)
        # In place: this runs for every attribute of every node checked.
        key *= radix
        key += column
        space *= int(radix)
    return key, space


@dataclass(frozen=True)
class DistinctRows:
    """The records folded into their distinct combinations of original QI (and sensitive) values: every
    transformation is evaluated on these rows, weighted by how many records each stands for."""

    record_row: np.ndarray  # per record: its distinct row
    weights: np.ndarray  # per row: number of records (float64, exact for any realistic count)
    codes: list[list[np.ndarray]]  # [attribute][level]: code per row
    cardinalities: list[list[int]]  # [attribute][level]: number of codes
    sensitive: list[tuple[np.ndarray, int]]  # per sensitive attribute: code per row, number of codes

    @property
    def size(self) -> int:
        """The number of distinct rows."""
        return len(self.weights)


def distinct_rows(quasi: Sequence[QuasiColumn], sensitive: Sequence[np.ndarray]) -> DistinctRows:
    """Fold records with equal original QI values (and equal sensitive values, which l-diversity needs)."""
    bottom = [column.record_codes for column in quasi]
    radices = [len(column.originals) for column in quasi]
    sensitive_codes = []
    for values in sensitive:
        codes, distinct = pd.factorize(values, sort=False)
        sensitive_codes.append(codes.astype(np.int64))
        radices.append(len(distinct))
    key, _ = combine([*bottom, *sensitive_codes], radices)
    record_row, representatives = pd.factorize(key, sort=False)
    record_row = record_row.astype(np.int64)
    weights = np.bincount(record_row).astype(np.float64)
    # Any one record of a row tells the row's codes (its records share them), so whichever record the
    # assignment keeps for a row is fine.
    first = np.zeros(len(representatives), dtype=np.int64)
    first[record_row] = np.arange(len(record_row))
    codes = [[level[column.record_codes[first]] for level in column.level_codes] for column in quasi]
    return DistinctRows(
        record_row=record_row,
        weights=weights,
        codes=codes,
        cardinalities=[list(column.cardinalities) for column in quasi],
        sensitive=[(values[first], int(values.max(initial=-1)) + 1) for values in sensitive_codes],
    )
