"""What a worker keeps between a respondent's requests is forgotten after a while and bounded
(survey/recent.py)."""

from __future__ import annotations

import time

from survey import recent
from survey.recent import Recent


def test_an_entry_is_found_until_it_is_too_old(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    kept: Recent[str] = Recent(entries=10, seconds=60)
    kept.put("cookie", "what it held")
    now[0] += 59
    assert kept.get("cookie") == "what it held" and "cookie" in kept
    now[0] += 2
    assert kept.get("cookie") is None and len(kept) == 0


def test_old_entries_are_swept_even_when_never_asked_for_again(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    kept: Recent[int] = Recent(entries=10_000, seconds=60)
    for number in range(100):
        kept.put(("old", number), number)
    now[0] += 120
    for number in range(recent.SWEEP_EVERY):
        kept.put(("new", number), number)
    assert len(kept) <= recent.SWEEP_EVERY
    assert all(kept.get(("old", number)) is None for number in range(100))


def test_the_number_of_entries_is_bounded():
    kept: Recent[int] = Recent(entries=5, seconds=3600)
    for number in range(23):
        kept.put(number, number)
        assert len(kept) <= 5
    assert kept.get(22) == 22
