"""Plain reference implementations for the anonymiser tests: slow, simple, and sharing no code with
survey.export.anonymise, so that they check it rather than repeat it."""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

ADULT = Path(__file__).resolve().parent.parent / "data" / "adult"
ADULT_COLUMNS = [
    "sex",
    "age",
    "race",
    "marital-status",
    "education",
    "native-country",
    "workclass",
    "occupation",
    "salary-class",
]


def read_adult() -> pd.DataFrame:
    return pd.read_csv(ADULT / "adult.csv", sep=";", dtype=str, keep_default_na=False)


def read_arx_levels(path: Path) -> dict[str, list[str]]:
    """An ARX hierarchy file as original value -> [level 0, level 1, ..., top]."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[0]: row for row in csv.reader(handle, delimiter=";") if row}


def adult_levels() -> dict[str, dict[str, list[str]]]:
    return {name: read_arx_levels(ADULT / f"adult_hierarchy_{name}.csv") for name in ADULT_COLUMNS}


def generalised(values: pd.Series, levels: dict[str, list[str]], level: int) -> pd.Series:
    return values.map({value: row[level] for value, row in levels.items()})


def attribute_loss(values: pd.Series, levels: dict[str, list[str]], level: int) -> float:
    """ARX's non-uniform entropy of one attribute at one level, record by record:
    sum of -log2(count of the record's value / count of records with its generalised value)."""
    general = generalised(values, levels, level)
    own_count = values.map(values.value_counts()).to_numpy(dtype=float)
    group_count = general.map(general.value_counts()).to_numpy(dtype=float)
    return float(np.sum(-np.log2(own_count / group_count)))


def loss_table(
    df: pd.DataFrame, quasi: Sequence[str], hierarchies: dict[str, dict[str, list[str]]]
) -> list[list[float]]:
    """Loss per attribute and level (the loss of a node is the sum of its attributes' terms)."""
    return [
        [
            attribute_loss(df[name], hierarchies[name], level)
            for level in range(len(next(iter(hierarchies[name].values()))))
        ]
        for name in quasi
    ]


def coded_levels(
    df: pd.DataFrame, quasi: Sequence[str], hierarchies: dict[str, dict[str, list[str]]]
) -> list[list[np.ndarray]]:
    """Per attribute and level: an integer code per record (equal codes = equal generalised values)."""
    coded = []
    for name in quasi:
        height = len(next(iter(hierarchies[name].values())))
        per_level = []
        for level in range(height):
            labels = generalised(df[name], hierarchies[name], level).to_numpy()
            _, codes = np.unique(labels.astype(str), return_inverse=True)
            per_level.append(codes.astype(np.int64))
        coded.append(per_level)
    return coded


def suppressed_by_node(coded: list[list[np.ndarray]], node: Sequence[int], k: int) -> int:
    """Records in classes smaller than k: one tuple of codes per record, counted with np.unique."""
    columns = [coded[attribute][level] for attribute, level in enumerate(node)]
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * (int(column.max()) + 1) + column
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return int((counts[inverse] < k).sum())


def plain_suppressed_mask(
    df: pd.DataFrame,
    quasi: Sequence[str],
    hierarchies: dict[str, dict[str, list[str]]],
    node: Sequence[int],
    k: int,
    sensitive: Sequence[str] = (),
    l_diversity: int | None = None,
) -> np.ndarray:
    """Which records a transformation suppresses, with a pandas groupby on the generalised values."""
    general = pd.DataFrame(
        {name: generalised(df[name], hierarchies[name], level) for name, level in zip(quasi, node, strict=True)}
    )
    groups = general.groupby(list(quasi), sort=False)
    failing = groups[quasi[0]].transform("size").to_numpy() < k
    if l_diversity is not None:
        for name in sensitive:
            general[name] = df[name].to_numpy()
            distinct = general.groupby(list(quasi), sort=False)[name].transform("nunique").to_numpy()
            failing |= distinct < l_diversity
    return failing


def exhaustive_optimum(
    df: pd.DataFrame,
    quasi: Sequence[str],
    hierarchies: dict[str, dict[str, list[str]]],
    k: int,
    max_suppression: float,
    sensitive: Sequence[str] = (),
    l_diversity: int | None = None,
) -> tuple[tuple[int, ...], float] | None:
    """Every node of the lattice, checked one by one: the valid node of least loss (then least level sum,
    then lexicographically least), or None."""
    losses = loss_table(df, quasi, hierarchies)
    limit = math.floor(max_suppression * len(df))
    best: tuple[tuple[float, int, tuple[int, ...]], float] | None = None
    for node in itertools.product(*(range(len(levels)) for levels in losses)):
        loss = sum(losses[attribute][level] for attribute, level in enumerate(node))
        rank = (round(loss, 6), sum(node), node)
        if best is not None and rank >= best[0]:
            continue
        mask = plain_suppressed_mask(df, quasi, hierarchies, node, k, sensitive, l_diversity)
        if mask.sum() <= limit:
            best = (rank, loss)
    return None if best is None else (best[0][2], best[1])
