"""Which group of a breakdown each response falls in (-1: not known, e.g. a missing code)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .indicators import Breakdown


def _as_text(column: pd.Series) -> np.ndarray:
    """Values as text, whole numbers without '.0' (CSV columns with gaps are read as floats)."""
    numbers = pd.to_numeric(column, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    text = column.astype(str).to_numpy(dtype=object, copy=True)
    text[whole.to_numpy()] = numbers[whole].astype(np.int64).astype(str).to_numpy()
    return text


def _leading_number(column: pd.Series) -> np.ndarray:
    """A number, or the first number of a generalised band ('1985-1989' -> 1985); NaN for missing codes."""
    numbers = pd.to_numeric(column, errors="coerce")
    if numbers.isna().any():
        banded = pd.to_numeric(column.astype(str).str.extract(r"^(\d+)-\d+$")[0], errors="coerce")
        numbers = numbers.fillna(banded)
    values = numbers.to_numpy(dtype=float, copy=True)
    values[values < 0] = np.nan
    return values


def _missing(text: np.ndarray) -> np.ndarray:
    return np.isin(text, ["-1", "-2", "-3", "-4", "-5", "", "nan", "*"])


def codes(data: pd.DataFrame, breakdown: Breakdown) -> np.ndarray:
    """The index of each row's group in `breakdown.groups`, or -1."""
    column = data[breakdown.variable]
    result = np.full(len(data), -1, dtype=np.int64)
    text: np.ndarray | None = None
    numbers: np.ndarray | None = None
    rest = -1
    for index, group in enumerate(breakdown.groups):
        if group.values:
            if text is None:
                text = _as_text(column)
            hit = np.isin(text, [str(value) for value in group.values])
        elif group.low is not None or group.high is not None:
            if numbers is None:
                numbers = _leading_number(column)
            hit = ~np.isnan(numbers)
            if group.low is not None:
                hit &= numbers >= group.low
            if group.high is not None:
                hit &= numbers < group.high
        else:
            rest = index
            continue
        result[(result < 0) & hit] = index
    if rest >= 0:
        if text is None:
            text = _as_text(column)
        result[(result < 0) & ~_missing(text)] = rest
    return result
