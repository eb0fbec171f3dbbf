"""What an attacker can learn about each suppressed cell from a published table: plain LP, nothing shared.

Deliberately written without the module under test: the margins, the additivity equations and the
bounds are rebuilt here from the inner values and the published mask.
"""

import numpy as np
from scipy.optimize import linprog


def with_margins(inner):
    """Inner values plus row totals (last column), column totals (last row) and the grand total."""
    inner = np.asarray(inner, dtype=float)
    rows, cols = inner.shape
    full = np.zeros((rows + 1, cols + 1))
    for i in range(rows):
        for j in range(cols):
            full[i, j] = inner[i, j]
            full[i, cols] += inner[i, j]
            full[rows, j] += inner[i, j]
            full[rows, cols] += inner[i, j]
    return full


def feasible_intervals(inner, hidden):
    """For every hidden cell of the table with margins, (min, max) over all tables that agree with the
    published cells, add up along every row and column (margins included) and have no negative cell."""
    full = with_margins(inner)
    rows, cols = full.shape
    index = {(i, j): i * cols + j for i in range(rows) for j in range(cols)}
    equations = []
    for i in range(rows):  # every row, the line of column totals too, adds up to its last cell
        line = np.zeros(rows * cols)
        for j in range(cols - 1):
            line[index[i, j]] = 1.0
        line[index[i, cols - 1]] = -1.0
        equations.append(line)
    for j in range(cols):  # every column, the column of row totals too, adds up to its last cell
        line = np.zeros(rows * cols)
        for i in range(rows - 1):
            line[index[i, j]] = 1.0
        line[index[rows - 1, j]] = -1.0
        equations.append(line)
    bounds = []
    for i in range(rows):
        for j in range(cols):
            bounds.append((0.0, None) if hidden[i][j] else (full[i, j], full[i, j]))
    intervals = {}
    for i in range(rows):
        for j in range(cols):
            if not hidden[i][j]:
                continue
            objective = np.zeros(rows * cols)
            objective[index[i, j]] = 1.0
            low = linprog(objective, A_eq=np.array(equations), b_eq=np.zeros(len(equations)), bounds=bounds)
            high = linprog(-objective, A_eq=np.array(equations), b_eq=np.zeros(len(equations)), bounds=bounds)
            assert low.status == 0, low.message
            assert high.status in (0, 3), high.message  # 3: unbounded above
            intervals[i, j] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return intervals


def assert_protected(inner, table, *, protection, largest=None, share=None):
    """Every primary cell keeps protection x value on either side (and up to largest / share under the
    dominance rule); every hidden cell has a feasible interval wider than zero."""
    full = with_margins(inner)
    status = np.asarray(table.status)
    hidden = status != ""
    scale = max(1.0, float(full.max()))
    tolerance = 1e-6 * scale
    for (i, j), (low, high) in feasible_intervals(inner, hidden).items():
        value = full[i, j]
        assert low <= value + tolerance and high >= value - tolerance, (i, j, low, value, high)
        assert high - low > tolerance, f"cell ({i}, {j}) = {value} can be recomputed: [{low}, {high}]"
        if status[i, j] == "primary":
            assert low <= value * (1 - protection) + tolerance, (i, j, low, value)
            assert high >= value * (1 + protection) - tolerance, (i, j, value, high)
            if largest is not None and largest[i, j] > share * value:
                assert high >= largest[i, j] / share - tolerance, (i, j, value, high)


def linked_intervals(tables):
    """Like feasible_intervals, for tables published together that share their line of column totals
    (the same cells in every table). ``tables`` is a list of (inner, hidden) with ``hidden`` the mask of
    the table with margins; the shared line counts as hidden if any table hides a cell of it. Returns
    {(table, i, j): (min, max)} for every hidden cell."""
    fulls = [with_margins(inner) for inner, _hidden in tables]
    rows = [full.shape[0] for full in fulls]
    cols = fulls[0].shape[1]
    offsets = np.cumsum([0] + [r * cols for r in rows])
    size = int(offsets[-1])
    shared = np.zeros(cols, dtype=bool)
    for (_inner, hidden), r in zip(tables, rows, strict=True):
        shared |= np.asarray(hidden, dtype=bool)[r - 1]
    equations = []
    bounds = []
    for t, ((_inner, hidden), full) in enumerate(zip(tables, fulls, strict=True)):
        r = rows[t]
        cell = lambda i, j, t=t: int(offsets[t]) + i * cols + j  # noqa: E731
        for i in range(r):
            line = np.zeros(size)
            line[[cell(i, j) for j in range(cols - 1)]] = 1.0
            line[cell(i, cols - 1)] = -1.0
            equations.append(line)
        for j in range(cols):
            line = np.zeros(size)
            line[[cell(i, j) for i in range(r - 1)]] = 1.0
            line[cell(r - 1, j)] = -1.0
            equations.append(line)
            if t:  # the shared line: the same unknowns in every table
                line = np.zeros(size)
                line[cell(r - 1, j)] = 1.0
                line[int(offsets[1]) - cols + j] = -1.0
                equations.append(line)
        for i in range(r):
            for j in range(cols):
                secret = shared[j] if i == r - 1 else bool(hidden[i][j])
                bounds.append((0.0, None) if secret else (full[i, j], full[i, j]))
    a_eq = np.array(equations)
    intervals = {}
    for t, r in enumerate(rows):
        for i in range(r):
            for j in range(cols):
                k = int(offsets[t]) + i * cols + j
                if bounds[k][1] is not None:
                    continue
                objective = np.zeros(size)
                objective[k] = 1.0
                low = linprog(objective, A_eq=a_eq, b_eq=np.zeros(len(equations)), bounds=bounds)
                high = linprog(-objective, A_eq=a_eq, b_eq=np.zeros(len(equations)), bounds=bounds)
                assert low.status == 0, low.message
                assert high.status in (0, 3), high.message
                intervals[t, i, j] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return intervals
