"""Safe tables: primary and secondary cell suppression for published two-way tables with margins.

A table is its r x c inner cells plus the margins (row totals, column totals, grand total), held as one
(r + 1) x (c + 1) array whose last row and column are the margins. Every equation an attacker can use is
"a line of cells adds up to its total", and every cell is at least zero.

Primary suppression marks the sensitive cells: 0 < unweighted n < ``min_n`` (margins included: a row
total made of two respondents is as sensitive as a cell of two), and, when ``dominance=(k, p)`` is
given, cells whose k largest contributions exceed the share p of the cell's value. Cells without
respondents (n == 0) are published as zero, never suppressed: an empty cell discloses nobody, and a
reader who knows which cells are structurally empty could undo a protection that leaned on them.

Secondary suppression: the table is the network of its equations (a node per row, per column and per
line of totals; a cell is an arc, moving up along it or down against it), so every cycle of suppressed
arcs is a change of the hidden cells that keeps all published values. For each sensitive cell, from the
largest required protection down, the cheapest cycle through it (Dijkstra on scipy's csgraph; cells
already suppressed cost nothing, others their value or one each) is suppressed, choosing only cells that
can fall by the protection level where the cycle makes them fall. The cycle therefore moves the sensitive
cell up by its upper and down by its lower protection level without breaking any published value: its
feasible interval is at least [x - lower, x + upper], and every secondary cell, lying on such a cycle,
cannot be recomputed. When no single cycle can carry the protection (a total whose cells are all smaller
than its protection level), a min-cost flow LP (scipy.optimize.linprog with HiGHS) spreads it over
several. This is the network heuristic of cell suppression (Kelly, Golden and Assad; Fischetti and
Salazar), a relative of the hypercube method of the German statistical offices; it is not proven minimal
but never under-protects. A last pass publishes again the secondary cells no sensitive cell needs.

Why not pytauargus: its PyPI wheel (0.6.0) does bundle a Tau-Argus engine with HiGHS and runs headless,
but it is a young single-maintainer beta with 14 MB of native code that starts from microdata or batch
files in a working directory and does not validate concurrent calls in one process. The tables here are
small and already aggregated; this solves them in milliseconds, hid as much value as Tau-Argus' OPT on ten of
fourteen test tables (less on three, 3% more on one), and the tests check its protection independently. See
docs/evaluation-suppression.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import dijkstra

PUBLISHED = ""
PRIMARY = "primary"
SECONDARY = "secondary"


class SuppressionError(ValueError):
    """The table or the rule given to :func:`protect` cannot be used; the message names the cell."""


@dataclass(frozen=True)
class SafeTable:
    """Which cells of a table with margins may be published.

    ``status`` has shape (r + 1, c + 1); its last row and column are the margins. Each entry is
    ``''`` (published), ``'primary'`` (sensitive itself) or ``'secondary'`` (hidden so that a sensitive
    cell cannot be recomputed or narrowed from the published ones).
    """

    status: np.ndarray

    def suppressed(self) -> np.ndarray:
        """Boolean mask of the hidden cells, same shape as ``status``."""
        return np.asarray(self.status != PUBLISHED)

    def primary(self) -> np.ndarray:
        """Boolean mask of the cells that are sensitive themselves."""
        return np.asarray(self.status == PRIMARY)

    def secondary(self) -> np.ndarray:
        """Boolean mask of the cells hidden only to protect sensitive ones."""
        return np.asarray(self.status == SECONDARY)


def protect(
    n: ArrayLike,
    values: ArrayLike,
    *,
    min_n: int = 5,
    dominance: tuple[int, float] | None = None,
    contributions: Sequence[Sequence[ArrayLike]] | None = None,
    protection: float = 0.1,
    cost: Literal["value", "count"] = "value",
) -> SafeTable:
    """Choose the cells of a table to suppress.

    ``n`` holds the unweighted respondents per inner cell (r x c), ``values`` the published additive
    values (weighted counts or weighted totals, never negative) per inner cell; a 1-D array is one
    column. Margins are computed from ``values``. ``dominance=(k, p)`` makes a cell sensitive when its
    k largest ``contributions`` (per inner cell, one value per respondent, adding up to the cell's
    value) exceed the share p of its value; it needs ``contributions`` and raises without them rather
    than publish cells the rule was meant to catch. Each sensitive cell keeps a feasible interval of at
    least ``protection`` times its value on either side (more upwards under the dominance rule, so that
    the interval reaches the k largest contributions divided by p). ``cost`` is what the secondary
    suppression keeps small: the suppressed ``value`` (default) or the ``count`` of suppressed cells.
    """
    counts, amounts = _validated(n, values)
    if min_n < 1:
        raise SuppressionError(f"min_n must be at least 1, not {min_n}")
    if not 0 < protection <= 1:
        raise SuppressionError(f"protection must be a share in (0, 1], not {protection}")
    if cost not in ("value", "count"):
        raise SuppressionError(f"cost must be 'value' or 'count', not {cost!r}")
    x = _extended(amounts)
    n_ext = _extended(counts)
    respondents = n_ext > 0
    primary = respondents & (n_ext < min_n)
    lower = protection * x
    upper = protection * x
    if dominance is not None:
        largest = _largest_contributions(dominance, contributions, counts, amounts)
        share = dominance[1]
        dominated = respondents & (largest > share * x)
        primary |= dominated
        upper = np.where(dominated, np.maximum(upper, largest / share - x), upper)
    positive = x[x > 0]
    upper = np.where(x > 0, upper, protection * (positive.min() if positive.size else 1.0))
    network = _Network(x, respondents, cost)
    suppressed = primary.reshape(-1).copy()
    cells = np.flatnonzero(suppressed)
    witnesses: dict[int, list[np.ndarray]] = {}
    for cell in cells[np.argsort(-upper.flat[cells], kind="stable")]:
        found = network.witness(int(cell), float(upper.flat[cell]), float(lower.flat[cell]), suppressed)
        if found is None:  # pragma: no cover - hiding every cell with respondents always protects
            raise SuppressionError(f"cell {divmod(int(cell), x.shape[1])} cannot be protected")
        for path in found:
            suppressed[path] = True
        witnesses[int(cell)] = found
    _drop_needless(network, suppressed, witnesses, upper.reshape(-1), lower.reshape(-1))
    status = np.full(x.shape, PUBLISHED, dtype="<U9")
    status[suppressed.reshape(x.shape)] = SECONDARY
    status[primary] = PRIMARY
    status.flags.writeable = False
    return SafeTable(status=status)


def publishable(values: ArrayLike, table: SafeTable, *, mark: str = ".") -> list[list[str | float]]:
    """The table as published: suppressed cells shown as ``mark`` ("." in German official tables).

    ``values`` are the inner cells (r x c, margins are added) or the whole table with its margins.
    """
    status = table.status
    amounts = np.asarray(values, dtype=float)
    if amounts.ndim == 1:
        amounts = amounts.reshape(-1, 1)
    if amounts.shape == (status.shape[0] - 1, status.shape[1] - 1):
        amounts = _extended(amounts)
    elif amounts.shape != status.shape:
        raise SuppressionError(f"values of shape {amounts.shape} do not fit a table of shape {status.shape}")
    hidden = table.suppressed()
    return [
        [mark if hidden[i, j] else float(amounts[i, j]) for j in range(status.shape[1])] for i in range(status.shape[0])
    ]


def _drop_needless(
    network: _Network,
    suppressed: np.ndarray,
    witnesses: dict[int, list[np.ndarray]],
    upper: np.ndarray,
    lower: np.ndarray,
) -> None:
    """Publish again each secondary cell, dearest first, that the sensitive cells can do without.

    Each sensitive cell keeps a witness (the cells of its protecting cycles); only those whose witness
    runs through the candidate are searched again, among the cells still suppressed. A cell kept is one
    that some sensitive cell cannot do without, so it lies on that cell's cycles and cannot be recomputed.
    """
    secondary = np.flatnonzero(suppressed)
    secondary = secondary[[int(cell) not in witnesses for cell in secondary]]
    for candidate in secondary[np.argsort(-network.cost[secondary], kind="stable")]:
        dependent = [cell for cell, found in witnesses.items() if any(np.any(path == candidate) for path in found)]
        suppressed[candidate] = False
        replaced: dict[int, list[np.ndarray]] = {}
        for cell in dependent:
            found = network.witness(cell, float(upper[cell]), float(lower[cell]), suppressed, only_suppressed=True)
            if found is None:
                suppressed[candidate] = True
                break
            replaced[cell] = found
        else:
            witnesses.update(replaced)


def _validated(n: ArrayLike, values: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    counts = np.asarray(n)
    amounts = np.asarray(values, dtype=float)
    if counts.ndim == 1:
        counts = counts.reshape(-1, 1)
    if amounts.ndim == 1:
        amounts = amounts.reshape(-1, 1)
    if counts.ndim != 2 or counts.shape != amounts.shape or counts.size == 0:
        raise SuppressionError(f"n {counts.shape} and values {amounts.shape} must be the same non-empty table")
    if not np.issubdtype(counts.dtype, np.number) or np.any(counts != np.round(counts)) or np.any(counts < 0):
        raise SuppressionError("n must hold whole numbers of respondents, none negative")
    problems = (
        (~np.isfinite(amounts), "is not a finite number"),
        (amounts < 0, "is negative"),
        ((counts == 0) & (amounts != 0), "has a value but no respondents"),
    )
    for mask, what in problems:
        if np.any(mask):
            i, j = np.argwhere(mask)[0]
            raise SuppressionError(f"value of cell (row {i + 1}, column {j + 1}) {what}: {amounts[i, j]}")
    return counts.astype(float), amounts


def _extended(inner: np.ndarray) -> np.ndarray:
    """The inner cells with their margins: row totals as last column, column totals as last row."""
    r, c = inner.shape
    table = np.zeros((r + 1, c + 1))
    table[:r, :c] = inner
    table[:r, c] = inner.sum(axis=1)
    table[r, :c] = inner.sum(axis=0)
    table[r, c] = inner.sum()
    return table


def _largest_contributions(
    dominance: tuple[int, float],
    contributions: Sequence[Sequence[ArrayLike]] | None,
    counts: np.ndarray,
    amounts: np.ndarray,
) -> np.ndarray:
    """Sum of the k largest contributions of every cell and margin."""
    k, share = dominance
    if int(k) != k or k < 1 or not 0 < share <= 1:
        raise SuppressionError(f"dominance must be (k >= 1, share in (0, 1]), not {dominance}")
    if contributions is None:
        raise SuppressionError("the dominance rule needs the contributions of every cell")
    r, c = amounts.shape
    if len(contributions) != r or any(len(row) != c for row in contributions):
        raise SuppressionError(f"contributions must be given for every cell of the {r} x {c} table")
    cell: list[list[np.ndarray]] = []
    for i in range(r):
        cell.append([])
        for j in range(c):
            parts = np.asarray(contributions[i][j], dtype=float).reshape(-1)
            where = f"contributions of cell (row {i + 1}, column {j + 1})"
            if parts.size != counts[i, j]:
                raise SuppressionError(f"{where}: {parts.size} values for {int(counts[i, j])} respondents")
            if not np.all(np.isfinite(parts)) or np.any(parts < 0):
                raise SuppressionError(f"{where} must be finite and not negative")
            if not np.isclose(parts.sum(), amounts[i, j], rtol=1e-6, atol=1e-9):
                raise SuppressionError(f"{where} add up to {parts.sum()}, not to the cell's value {amounts[i, j]}")
            cell[i].append(-np.sort(-parts)[:k])
    largest = np.zeros((r + 1, c + 1))

    def top(parts: list[np.ndarray]) -> float:
        joined = np.concatenate(parts) if parts else np.zeros(0)
        return float(np.sort(joined)[::-1][:k].sum())

    for i in range(r):
        for j in range(c):
            largest[i, j] = cell[i][j].sum()
        largest[i, c] = top(cell[i])
    for j in range(c):
        largest[r, j] = top([cell[i][j] for i in range(r)])
    largest[r, c] = top([part for row in cell for part in row])
    return largest


class _Network:
    """A table with margins as a directed graph: rows, columns and the two lines of totals are nodes.

    Inner cell (i, j) runs from row i to column j, row total i from the row-totals node to row i,
    column total j from column j to the column-totals node, the grand total from the column-totals node
    to the row-totals node. Conservation at every node is exactly the table's additivity, so a cycle
    (an arc walked forwards raises its cell, backwards lowers it) is a change that keeps every total.
    """

    def __init__(self, x: np.ndarray, movable: np.ndarray, cost: str) -> None:
        rows, cols = x.shape
        r, c = rows - 1, cols - 1
        self.x = x.reshape(-1)
        self.movable = movable.reshape(-1)
        self.size = r + c + 2
        i, j = np.divmod(np.arange(self.x.size), cols)
        row_totals, col_totals = r + c, r + c + 1
        self.tail = np.where(j == c, np.where(i == r, col_totals, row_totals), np.where(i == r, r + j, i))
        self.head = np.where(j == c, np.where(i == r, row_totals, i), np.where(i == r, col_totals, r + j))
        if cost == "count":
            self.cost = np.ones(self.x.size)
        else:
            inner = x[:r, :c][movable[:r, :c]]
            floor = 1e-3 * inner.mean() if inner.size and inner.mean() > 0 else 1.0
            self.cost = self.x + floor
        self.free = float(self.cost.min()) / (10.0 * self.x.size)
        self.tolerance = 1e-9 * max(1.0, float(self.x.max()))
        self.cell_at = np.full((self.size, self.size), -1)
        self.cell_at[self.tail, self.head] = np.arange(self.x.size)
        self.cell_at[self.head, self.tail] = np.arange(self.x.size)
        self._equations: sparse.csr_array | None = None

    def witness(
        self, cell: int, upper: float, lower: float, suppressed: np.ndarray, *, only_suppressed: bool = False
    ) -> list[np.ndarray] | None:
        """Cells whose suppression lets ``cell`` move up by ``upper`` and down by ``lower``, cheapest
        first. With ``only_suppressed`` only cycles of cells already suppressed count, and no flow is
        tried (a flow LP per candidate would be slow; missing one only keeps a cell hidden): None when
        there is no such cycle."""
        usable = self.movable & suppressed if only_suppressed else self.movable
        tail, head = int(self.tail[cell]), int(self.head[cell])
        # One cycle for both directions: walked forwards the cell rises, backwards it falls, so every
        # cell the cycle lowers must hold `upper` and every cell it raises must hold `lower`.
        both = self._path(head, tail, cell, usable, suppressed, rising=lower, falling=upper)
        if both is not None:
            return [both]
        found = []
        for start, end, amount, sign in ((head, tail, upper, 1), (tail, head, lower, -1)):
            if amount <= 0:
                continue
            path = self._path(start, end, cell, usable, suppressed, rising=0.0, falling=amount)
            if path is None and not only_suppressed:
                path = self._flow(cell, sign * amount, usable, suppressed)
            if path is None:
                return None
            found.append(path)
        return found

    def _path(
        self,
        start: int,
        end: int,
        cell: int,
        usable: np.ndarray,
        suppressed: np.ndarray,
        *,
        rising: float,
        falling: float,
    ) -> np.ndarray | None:
        """Cells of the cheapest path from ``start`` to ``end`` that avoids ``cell``, or None."""
        weight = np.where(suppressed, self.free, self.cost)
        rises = usable & (self.x >= rising - self.tolerance)
        falls = usable & (self.x >= falling - self.tolerance)
        rises[cell] = falls[cell] = False
        graph = sparse.csr_array(
            (
                np.concatenate([weight[rises], weight[falls]]),
                (
                    np.concatenate([self.tail[rises], self.head[falls]]),
                    np.concatenate([self.head[rises], self.tail[falls]]),
                ),
            ),
            shape=(self.size, self.size),
        )
        distance, previous = dijkstra(graph, directed=True, indices=start, return_predecessors=True)
        if not np.isfinite(distance[end]):
            return None
        path = []
        node = end
        while node != start:
            before = int(previous[node])
            path.append(int(self.cell_at[before, node]))
            node = before
        return np.array(path, dtype=int)

    def _flow(self, cell: int, change: float, usable: np.ndarray, suppressed: np.ndarray) -> np.ndarray | None:
        """Cells of the cheapest flow moving ``cell`` by ``change`` (split over several cycles), or None."""
        if self._equations is None:
            nodes = np.concatenate([self.tail, self.head])
            arcs = np.concatenate([np.arange(self.x.size)] * 2)
            signs = np.concatenate([-np.ones(self.x.size), np.ones(self.x.size)])
            self._equations = sparse.csr_array((signs, (nodes, arcs)), shape=(self.size, self.x.size))
        size = self.x.size
        weight = np.where(suppressed, self.free, self.cost)
        usable = usable.copy()
        usable[cell] = True
        rise_bound = np.where(usable, np.inf, 0.0)
        fall_bound = np.where(usable, self.x, 0.0)
        bounds = np.column_stack([np.zeros(2 * size), np.concatenate([rise_bound, fall_bound])])
        rise, fall = (cell, size + cell) if change > 0 else (size + cell, cell)
        bounds[rise] = abs(change)
        bounds[fall] = 0.0
        result = linprog(
            np.concatenate([weight, weight]),
            A_eq=sparse.hstack([self._equations, -self._equations]),
            b_eq=np.zeros(self.size),
            bounds=bounds,
            method="highs",
        )
        if result.status != 0:
            return None
        moved = result.x[:size] + result.x[size:]
        moved[cell] = 0.0
        return np.flatnonzero(moved > self.tolerance)
