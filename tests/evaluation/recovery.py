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
