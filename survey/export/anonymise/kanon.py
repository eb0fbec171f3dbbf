"""k-anonymity (optionally with distinct l-diversity) by optimal full-domain generalisation and local
suppression: the entry point `anonymise()` and its result."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .classes import ClassCounter
from .encoding import QuasiColumn, as_strings, distinct_rows, encode_quasi
from .errors import AnonymisationError, NoValidTransformation
from .hierarchy import TOP, Hierarchy
from .lattice import find_optimum
from .metrics import ReportInput, build_report


@dataclass(frozen=True)
class AnonymisationResult:
    """The chosen transformation, the anonymised data (input rows, same order), and the disclosure report."""

    transformation: dict[str, int]  # quasi-identifier -> hierarchy level
    output: pd.DataFrame
    suppressed: np.ndarray  # per input row: were its QI values replaced by `*`?
    report: dict[str, Any] = field(repr=False)

    @property
    def loss(self) -> float:
        """Non-uniform entropy of the transformation (see the report for the normalised share)."""
        return float(self.report["information_loss"]["non_uniform_entropy"])


def anonymise(
    df: pd.DataFrame,
    quasi: Sequence[str],
    hierarchies: Mapping[str, Hierarchy],
    k: int,
    max_suppression: float,
    sensitive: Sequence[str] = (),
    l_diversity: int | None = None,
) -> AnonymisationResult:
    """Generalise the quasi-identifiers of `df` with the transformation of least information loss
    (ARX's non-uniform entropy) such that suppressing the records of classes smaller than `k` (or, with
    `l_diversity`, with fewer than l distinct values of a sensitive attribute) suppresses at most
    floor(max_suppression * records) records. Raises AnonymisationError on bad input or when no
    transformation is valid."""
    started = time.perf_counter()
    quasi = list(quasi)
    sensitive = list(sensitive)
    _check_arguments(df, quasi, hierarchies, k, max_suppression, sensitive, l_diversity)
    records = len(df)
    limit = math.floor(max_suppression * records)  # ARX's rule: a share of all records, rounded down

    columns = [encode_quasi(name, as_strings(df[name]), hierarchies[name]) for name in quasi]
    rows = distinct_rows(columns, [as_strings(df[name]) for name in sensitive] if l_diversity else [])
    counter = ClassCounter(rows, k, l_diversity)
    try:
        outcome = find_optimum(
            [column.loss for column in columns], lambda node: counter.suppressed_count(node) <= limit
        )
    except NoValidTransformation:
        diversity = f" and {l_diversity}-diversity" if l_diversity else ""
        raise NoValidTransformation(
            f"no transformation reaches {k}-anonymity{diversity} with at most {limit} of {records} records "
            f"suppressed ({max_suppression:.1%})"
        ) from None
    suppressed = counter.suppressed_rows(outcome.node)[rows.record_row]
    output = _generalise(df, columns, outcome.node, suppressed)
    transformation = {name: level for name, level in zip(quasi, outcome.node, strict=True)}
    seconds = time.perf_counter() - started

    report = build_report(
        ReportInput(
            original=df,
            output=output,
            suppressed=suppressed,
            quasi=quasi,
            sensitive=sensitive if l_diversity else [],
            k=k,
            l_diversity=l_diversity,
            max_suppression=max_suppression,
            suppression_limit=limit,
            levels=transformation,
            heights={column.name: column.height for column in columns},
            loss=outcome.loss,
            top_loss=float(sum(column.loss[-1] for column in columns)),
            search={
                "lattice_size": outcome.lattice_size,
                "nodes_checked": outcome.nodes_checked,
                "seconds": round(seconds, 4),
            },
        )
    )
    return AnonymisationResult(transformation=transformation, output=output, suppressed=suppressed, report=report)


def check_columns(df: pd.DataFrame, names: Sequence[str], role: str) -> None:
    """Every name is a column of `df`, and none is given twice."""
    for name in names:
        if name not in df.columns:
            columns = ", ".join(map(str, df.columns))
            raise AnonymisationError(f"unknown column {name!r} given as {role} (columns: {columns})")
    if len(set(names)) != len(names):
        raise AnonymisationError(f"a {role} is given twice: {', '.join(names)}")


def _check_arguments(
    df: pd.DataFrame,
    quasi: list[str],
    hierarchies: Mapping[str, Hierarchy],
    k: int,
    max_suppression: float,
    sensitive: list[str],
    l_diversity: int | None,
) -> None:
    if not quasi:
        raise AnonymisationError("no quasi-identifiers given")
    check_columns(df, quasi, "quasi-identifier")
    check_columns(df, sensitive, "sensitive attribute")
    for name in quasi:
        if name not in hierarchies:
            raise AnonymisationError(f"no hierarchy for quasi-identifier {name!r}")
    both = set(quasi) & set(sensitive)
    if both:
        raise AnonymisationError(f"{', '.join(sorted(both))}: both quasi-identifier and sensitive attribute")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise AnonymisationError(f"k must be a whole number of at least 1, not {k!r}")
    if not 0 <= max_suppression <= 1:  # also rejects NaN
        raise AnonymisationError(f"max_suppression must be between 0 and 1, not {max_suppression!r}")
    if l_diversity is not None:
        if l_diversity < 1:
            raise AnonymisationError(f"l-diversity needs l of at least 1, not {l_diversity!r}")
        if not sensitive:
            raise AnonymisationError("l-diversity needs at least one sensitive attribute")
    if len(df) == 0:
        raise AnonymisationError("the data has no records")
    if k > len(df):
        raise AnonymisationError(f"k={k} is larger than the number of records ({len(df)})")


def _generalise(
    df: pd.DataFrame, columns: list[QuasiColumn], node: Sequence[int], suppressed: np.ndarray
) -> pd.DataFrame:
    """The input with each QI at its level and suppressed rows' QIs replaced by `*`."""
    output = df.copy()
    for column, level in zip(columns, node, strict=True):
        values = column.labels[level][column.record_codes]
        values[suppressed] = TOP
        # Keep pandas' string dtype where the input had it; a numeric column becomes text (bands, `*`).
        dtype = df[column.name].dtype if pd.api.types.is_string_dtype(df[column.name].dtype) else object
        output[column.name] = pd.Series(values, index=df.index, dtype=dtype)
    return output
