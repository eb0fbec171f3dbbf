"""The shipped study (questionnaires/wetterau-integration.json) as a source of random whole interviews
compared between Python and Node (tests/offline/vectors.py `random_roster_interviews`): its computed
values, `valid_if` rule, filtered list, year in other calendars, piped texts and household roster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

QUESTIONNAIRE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8")
)
LANGS = ("de", "ar", "fa", "uk", "ti")
ROUTES: list[dict[str, Any]] = []
PAGES: list[dict[str, Any]] = []
# Likelier answers than the question's range gives: households of one to four (not up to twenty),
# birth and arrival years that sometimes break `arrival_year >= birth_year`.
POSTS: dict[str, list[str]] = {
    "household_size": ["1", "2", "2", "3", "4"],
    "birth_year": ["1950", "1988", "2001", "2008"],
    "member_birth_year": ["1950", "1988", "2015", "2024"],
}
