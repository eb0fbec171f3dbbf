"""The exact search for the best transformation in the generalisation lattice (full-domain
generalisation, as ARX's optimal algorithm does it).

A node of the lattice is a level per quasi-identifier. Nodes are ranked by information loss, then by
the sum of their levels, then lexicographically; the answer is the best-ranked valid node. Two facts
make the search fast and keep it exact:

- validity is monotone: a node more general than a valid node is valid, so a node more specific than
  an invalid node is invalid;
- the loss is a sum of per-(attribute, level) terms that never fall when a level rises, so a node
  ranks after every node more specific than itself.

A greedy walk down from the top node finds a valid node quickly; its rank bounds the answer. Then the
nodes ranked before the bound are visited from the bound downwards. By the time a node is reached,
everything more general than it and ranked before the bound has been settled invalid, so a visited
node is either already known invalid (skipped) or one of the most general candidates left (checked).
A valid one moves the bound down; an invalid one marks its whole box of specialisations invalid.
When the walk reaches rank 0, every node ranked before the bound is invalid: the bound is optimal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import AnonymisationError, NoValidTransformation

# The lattice is ranked in memory; a few million nodes take some tens of MB.
MAX_LATTICE_SIZE = 1 << 22

_UNKNOWN, _INVALID, _VALID = 0, 1, 2
_CHUNK = 1 << 14  # nodes per step of the walk down from the bound
_EXACT_KEY = float(1 << 52)  # a rank key below this is exact in a float64 (and far from int64's limit)


@dataclass(frozen=True)
class SearchOutcome:
    """The optimal node, its loss, and what the search cost."""

    node: tuple[int, ...]
    loss: float
    lattice_size: int
    nodes_checked: int


def node_losses(losses: Sequence[Sequence[float]]) -> tuple[tuple[int, ...], np.ndarray, np.ndarray]:
    """The lattice's shape, and for every node (in C order of its levels) its loss and level sum."""
    shape = tuple(len(levels) for levels in losses)
    size = int(np.prod(shape, dtype=np.int64))
    if size > MAX_LATTICE_SIZE:
        raise AnonymisationError(
            f"the generalisation lattice has {size:,} transformations, more than {MAX_LATTICE_SIZE:,}: "
            "use fewer quasi-identifiers or hierarchies with fewer levels"
        )
    loss = np.zeros(shape, dtype=np.float64)
    level_sum = np.zeros(shape, dtype=np.int64)
    for axis, levels in enumerate(losses):
        along_axis = [1] * len(shape)
        along_axis[axis] = -1  # broadcast this attribute's terms along its own axis of the lattice
        # In place (the same additions in the same order): no new lattice-sized array per attribute.
        loss += np.asarray(levels, dtype=np.float64).reshape(along_axis)
        level_sum += np.arange(len(levels)).reshape(along_axis)
    return shape, loss.ravel(), level_sum.ravel()


def rank_order(loss: np.ndarray, level_sum: np.ndarray) -> np.ndarray:
    """Flat node indices from best to worst: lower loss, then lower level sum, then lexicographically
    smaller levels (the flat index itself, as nodes are in C order and the sort is stable)."""
    # Rounding makes sums of the same terms in a different order tie, as they should. np.round(loss, 6)
    # is rint(loss * 1e6) / 1e6, so the whole numbers rint(loss * 1e6) order and tie alike; with the
    # level sum they make one int64 key, and one stable sort of it costs less than half a lexsort.
    micro = np.rint(loss * 1e6)
    sums = int(level_sum.max(initial=0)) + 1
    if len(loss) and float(np.abs(micro).max()) * sums < _EXACT_KEY:
        key = micro.astype(np.int64)
        key *= sums
        key += level_sum
        return np.argsort(key, kind="stable")
    return np.lexsort((level_sum, np.round(loss, 6)))


def find_optimum(losses: Sequence[Sequence[float]], is_valid: Callable[[tuple[int, ...]], bool]) -> SearchOutcome:
    """The valid node of least loss (ties as in `rank_order`). `losses[a][level]` is attribute a's loss at
    that level; `is_valid(node)` must be monotone. Raises NoValidTransformation when no node is valid."""
    shape, loss, level_sum = node_losses(losses)
    order = rank_order(loss, level_sum)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    status = np.zeros(shape, dtype=np.int8)
    checked = 0

    def check(node: tuple[int, ...]) -> bool:
        nonlocal checked
        known = status[node]
        if known != _UNKNOWN:
            return bool(known == _VALID)
        checked += 1
        if is_valid(node):
            status[tuple(slice(level, None) for level in node)] = _VALID
            return True
        status[tuple(slice(0, level + 1) for level in node)] = _INVALID
        return False

    def rank_of(node: tuple[int, ...]) -> int:
        return int(rank[np.ravel_multi_index(node, shape)])

    top = tuple(size - 1 for size in shape)
    if not check(top):
        raise NoValidTransformation("no transformation is valid, not even the most general one")
    # Greedy: step down to the best-ranked valid child while there is one. Invalid children checked on
    # the way are not wasted: they settle their specialisations.
    current = top
    while True:
        children = [(*current[:axis], level - 1, *current[axis + 1 :]) for axis, level in enumerate(current) if level]
        valid = [child for child in children if check(child)]
        if not valid:
            break
        current = min(valid, key=rank_of)
    bound = rank_of(current)

    # Walk down in chunks: one vectorised lookup drops the nodes already settled when the chunk starts
    # (most of them, by the boxes invalid checks have marked), and only the rest is looked at one by
    # one, in order, since checks inside the chunk settle more of it.
    flat_status = status.reshape(-1)
    top_end = bound
    while top_end > 0:
        start = max(0, top_end - _CHUNK)
        chunk = order[start:top_end]
        open_positions = np.flatnonzero(flat_status[chunk] == _UNKNOWN)
        if len(open_positions):
            levels = np.stack(np.unravel_index(chunk[open_positions], shape), axis=1).astype(np.int16)
            for index in range(len(open_positions) - 1, -1, -1):
                if check(tuple(int(level) for level in levels[index])):
                    bound = start + int(open_positions[index])
        top_end = start
    best = int(order[bound])
    node = tuple(int(level) for level in np.unravel_index(best, shape))
    return SearchOutcome(node=node, loss=float(loss[best]), lattice_size=len(order), nodes_checked=checked)
