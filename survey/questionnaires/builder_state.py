"""What the loader's builder offers its checker mixins (derived_checks.py, roster_checks.py):
its state and the helpers they call, declared once for the type checker. The builder itself is
`loader._Builder`, which inherits the mixins and defines these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import expressions as ex
from .model import Computed, Page, Text
from .questions import Question


class BuilderState:
    data: Mapping[str, Any]
    default: str
    seen: dict[str, Question]  # questions on earlier pages, in order
    raw: dict[str, Mapping[str, Any]]  # their JSON objects
    computed_specs: dict[str, int]
    computed_where: dict[str, tuple[Mapping[str, Any], str, str]]
    computed: dict[str, Computed | None]
    # Per finished roster: every name its members' conditions may use (outer questions and its own).
    roster_scopes: dict[str, dict[str, Question]]
    roster_members: dict[str, str]  # question or computed value id -> the roster asking it
    roster_maxima: dict[str, int]
    current_roster: str

    def error(self, pointer: str, message: str) -> None:
        raise NotImplementedError

    def warning(self, pointer: str, message: str) -> None:
        raise NotImplementedError

    def text(self, value: Mapping[str, str] | None, pointer: str) -> Text:
        raise NotImplementedError

    def condition(
        self,
        source: str | None,
        pointer: str,
        on_page: Mapping[str, Question] | None = None,
        own: Mapping[str, ex.Symbol] | None = None,
    ) -> ex.Condition | None:
        raise NotImplementedError

    def page(self, spec: Mapping[str, Any], pointer: str) -> Page:
        raise NotImplementedError

    def computed_value(self, name: str, used_at: str) -> Computed | None:
        raise NotImplementedError

    def _later_ids(self) -> Iterable[str]:
        raise NotImplementedError
