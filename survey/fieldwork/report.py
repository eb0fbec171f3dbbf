"""Disposition counts and AAPOR rates as table rows: for the researcher pages and CSV (counts from 1
to 4 shown as "<5" there), and exact for the command line on the server."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy.orm import Session

from .dispositions import by_group, code_states, completes_by_mode, tally
from .rates import Dispositions, OutcomeRates, outcome_rates

SMALL = 5
COUNTS = ("issued", "undeliverable", "started", "partial", "complete", "withdrawn", "no_return")
RATES = ("RR1", "RR2", "RR3", "RR4", "COOP1", "COOP2", "REF1", "CON1")
TOTAL = "all"


@dataclass(frozen=True)
class RateRow:
    group: str
    counts: Dispositions
    rates: OutcomeRates


def rate_rows(
    db: Session, questionnaire_id: str, grouping: str, e: float = 1.0, undeliverable_eligible: bool = True
) -> list[RateRow]:
    """One row per group, then the total."""
    states = code_states(db, questionnaire_id)
    groups = by_group(states, grouping)
    rows = [RateRow(key, counts, outcome_rates(counts, e, undeliverable_eligible)) for key, counts in groups.items()]
    total = tally(states)
    rows.append(RateRow(TOTAL, total, outcome_rates(total, e, undeliverable_eligible)))
    return rows


def mode_rows(db: Session, questionnaire_id: str) -> list[tuple[str, int, float | None]]:
    """Completes per mode and each mode's share of RR1 (completes in the mode / RR1's denominator)."""
    states = code_states(db, questionnaire_id)
    total = outcome_rates(tally(states))
    completes = completes_by_mode(states)
    overall = sum(completes.values())
    return [
        (mode, count, (total.rr1 or 0.0) * count / overall if overall else None) for mode, count in completes.items()
    ]


def count_shown(count: int, small: bool) -> str:
    return f"<{SMALL}" if small and 0 < count < SMALL else str(count)


def rate_shown(value: float | None, issued: int, small: bool, digits: int = 1) -> str:
    """A percentage; none for groups under 5 codes where small counts are hidden (it would give them away)."""
    if value is None or (small and issued < SMALL):
        return ""
    return f"{100 * value:.{digits}f}"


def cells(row: RateRow, small: bool, digits: int = 1) -> list[str]:
    counts = [count_shown(getattr(row.counts, name), small) for name in COUNTS]
    values = row.rates.as_dict()
    return [row.group, *counts, *(rate_shown(values[name], row.counts.issued, small, digits) for name in RATES)]


def header(grouping: str) -> list[str]:
    return [grouping, *COUNTS, *(f"{name}_percent" for name in RATES)]


def write_csv(handle: TextIO, rows: list[RateRow], grouping: str, small: bool = False) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header(grouping))
    for row in rows:
        writer.writerow(cells(row, small, digits=2))
