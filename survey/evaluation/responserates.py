"""Response rates per wave and code batch (AAPOR, survey/fieldwork/rates.py) from a dispositions CSV
or from the dispositions fieldwork records in the database. Nothing here is linked to a person."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ..fieldwork.rates import DispositionError, Dispositions, OutcomeRates, outcome_rates
from .errors import EvaluationInputError

if TYPE_CHECKING:
    from ..fieldwork.dispositions import CodeState

COLUMNS = ("issued", "undeliverable", "started", "partial", "complete", "withdrawn")


@dataclass(frozen=True)
class ResponseRate:
    wave: str
    batch: str  # "" for the whole wave
    counts: Dispositions
    rates: OutcomeRates


def _with_totals(per_batch: dict[tuple[str, str], Dispositions]) -> list[ResponseRate]:
    waves: dict[str, Dispositions] = {}
    for (wave, _batch), counts in sorted(per_batch.items()):
        waves[wave] = waves[wave] + counts if wave in waves else counts
    rows = []
    for wave, total in sorted(waves.items()):
        rows.append(ResponseRate(wave, "", total, outcome_rates(total)))
        batches = [(key, counts) for key, counts in sorted(per_batch.items()) if key[0] == wave and key[1]]
        if len(batches) > 1:
            rows += [ResponseRate(wave, batch, counts, outcome_rates(counts)) for (_w, batch), counts in batches]
    return rows


def read_dispositions(path: Path) -> list[ResponseRate]:
    """A CSV with columns wave, batch (may be empty) and the counts of Dispositions; errors name the row."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise EvaluationInputError(f"{path}: not found") from None
    per_batch: dict[tuple[str, str], Dispositions] = {}
    with handle:
        reader = csv.DictReader(handle)
        missing = [name for name in ("wave", "issued") if name not in (reader.fieldnames or [])]
        if missing:
            raise EvaluationInputError(f"{path}: row 1: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            key = ((row.get("wave") or "").strip(), (row.get("batch") or "").strip())
            try:
                counts = Dispositions(**{name: int(row.get(name) or 0) for name in COLUMNS})
            except ValueError as error:
                raise EvaluationInputError(f"{path}: row {line}: {error}") from None
            except DispositionError as error:
                raise EvaluationInputError(f"{path}: row {line}: {error}") from None
            if key in per_batch:
                raise EvaluationInputError(f"{path}: row {line}: wave {key[0]} batch {key[1]!r} given twice")
            per_batch[key] = counts
    return _with_totals(per_batch)


def from_database(db: Session, questionnaire_id: str) -> list[ResponseRate]:
    """Each issued code's disposition as fieldwork records it (returned letter, started, partial,
    complete, withdrawn: survey/fieldwork/dispositions.py), counted per wave and batch."""
    from ..fieldwork.dispositions import code_states, tally

    groups: dict[tuple[str, str], list[CodeState]] = defaultdict(list)
    for state in code_states(db, questionnaire_id):
        groups[(state.wave, state.batch)].append(state)
    return _with_totals({key: tally(states) for key, states in groups.items()})
