"""A bounded map whose entries are forgotten after a while: for what a worker keeps between one
respondent's requests (their opened session cookie, the skip logic walked over their answers), so
that its memory holds only respondents active in the last minutes, never a growing history."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

SWEEP_EVERY = 256  # insertions between sweeps of expired entries


class Recent(Generic[V]):
    def __init__(self, entries: int, seconds: float) -> None:
        self.entries = entries
        self.seconds = seconds
        self._items: dict[Hashable, tuple[float, V]] = {}
        self._inserted = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return self.get(key) is not None

    def get(self, key: Hashable) -> V | None:
        entry = self._items.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[0] > self.seconds:
            self._items.pop(key, None)
            return None
        return entry[1]

    def put(self, key: Hashable, value: V) -> None:
        now = time.monotonic()
        self._inserted += 1
        if self._inserted % SWEEP_EVERY == 0 or len(self._items) >= self.entries:
            self._items = {found: entry for found, entry in self._items.items() if now - entry[0] <= self.seconds}
            if len(self._items) >= self.entries:
                self._items = {}  # simpler than least-recently-used; the next requests work again
        self._items[key] = (now, value)

    def clear(self) -> None:
        self._items = {}
