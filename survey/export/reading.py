"""The reading stage of an export: unseal every stored response and turn it into its row, in batches,
in this process or in worker processes (one per core), with the same columns in the same order either
way.

The private key is never written anywhere: worker processes are forked from this one and inherit it
in memory; only ciphertexts go to them and only cells come back. Batches are taken back in the order
they were handed out, so the rows (and the files made from them) do not depend on how many workers
ran or which finished first. Everything random in an export (respondent ids, interviewer codes) is
derived from one secret made per export, so it too is the same whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Any

from ..fieldwork import quality
from ..questionnaires.model import Questionnaire
from ..vault.keys import StudyPrivateKey
from ..vault.responses import unseal_response
from . import forking
from .members import MemberPart, MemberRecords
from .source import Source, Stored, StoredParadata
from .table import ColumnStore, RowMaker

# Responses per batch handed to a worker: large enough that sending it costs little beside unsealing
# it, small enough that the last batches keep both cores busy.
BATCH = 200
INTERVIEW_DATE = "_interview_date"  # read, never written

PARADATA_VARIABLES = {
    # name: (German label, English label, privacy)
    "mode": ("Befragungsart (selbst/assistiert)", "Mode (self/assisted)", "none"),
    "language": ("Sprache der Befragung", "Language of the interview", "quasi"),
    "device": ("Geräteklasse", "Device class", "quasi"),
    "start_month": ("Monat der Teilnahme", "Month of participation", "quasi"),
    "duration_min": ("Dauer in Minuten", "Duration in minutes", "none"),
    "interviewer": ("Interviewer-Code (nur in diesem Export)", "Interviewer code (this export only)", "none"),
    # fieldwork.review: pending, approved, on_hold, rejected; empty for self-completion
    "review": ("Prüfstatus des assistierten Interviews", "Review status of the assisted interview", "none"),
}


def usable_cores() -> int:
    """The cores this process may run on (what a worker pool should fill)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _derived_key(export_key: bytes, purpose: bytes) -> bytes:
    return hmac.new(export_key, purpose, hashlib.sha256).digest()


@dataclass(frozen=True)
class RowPlan:
    """What making a row needs, worked out once per export and shared with every worker."""

    questionnaire: Questionnaire
    maker: RowMaker
    keys: Mapping[str, StudyPrivateKey]
    export_key: bytes  # the per-export secret the ids derive from; never stored
    spans_waves: bool
    numeric: frozenset[str]  # the columns that hold numbers

    @property
    def names(self) -> list[str]:
        """The columns a row holds, in order (the interview date last)."""
        return ["respondent", "wave", *self.maker.names, *PARADATA_VARIABLES, *quality.VARIABLES, INTERVIEW_DATE]

    def respondent_id(self, stored: Stored) -> str:
        """A per-export id: keyed with a key made for this export only, so two exports cannot be
        linked; across waves the same pseudonym gets the same id, otherwise every response its own."""
        if self.spans_waves and stored.pseudonym:
            return hmac.new(self.export_key, stored.pseudonym.encode(), hashlib.sha256).hexdigest()[:12]
        return hmac.new(self._response_key, stored.id.encode(), hashlib.sha256).hexdigest()[:12]

    @cached_property
    def _response_key(self) -> bytes:
        return _derived_key(self.export_key, b"response")


@dataclass
class Batch:
    """The cells of a batch of responses, per column (in the order of `RowPlan.names`), and each
    response's seconds per page (for the speeding flags, which need every response's)."""

    columns: list[list[Any]]
    timings: list[dict[str, int]]
    # For questionnaires with rosters: the batch's member rows per roster, made beside its rows (in the
    # worker) from the same walk, and appended in the export's process in the order of the rows.
    members: list[MemberPart] = field(default_factory=list)


def paradata_cells(item: StoredParadata | None) -> list[Any]:
    """The paradata columns of one response (in the order of PARADATA_VARIABLES); `interviewer` still
    holds the stored pseudonym."""
    if item is None:
        return ["", "", "", "", -4, "", ""]
    return [
        item.mode,
        item.languages.split(",")[0],
        item.device_class,
        item.started_hour.strftime("%Y-%m"),
        item.duration_minutes,
        item.interviewer or "",
        item.review,
    ]


def rows_of(plan: RowPlan, batch: Sequence[Stored]) -> Batch:
    """Unseal each response of `batch` and make its row; a response that does not open stops the
    export (ResponseUnreadable names it)."""
    questionnaire, maker = plan.questionnaire, plan.maker
    columns: list[list[Any]] = [[] for _ in plan.names]
    timings: list[dict[str, int]] = []
    members = MemberRecords(questionnaire) if questionnaire.rosters else None
    for stored in batch:
        record = unseal_response(
            stored.id, stored.questionnaire_id, stored.questionnaire_version, stored.content, plan.keys
        )
        timings.append(record.get("page_seconds") or {})
        answers = record.get("answers", {})
        day = stored.submitted_hour.date()
        cells, shown, by_member = maker.walked_row(answers, day)
        # Older responses carry no route: the walk just made (on the day of submission) gives it.
        pages = record.get("pages")
        row = [
            plan.respondent_id(stored),
            stored.wave,
            *cells,
            *paradata_cells(stored.paradata),
            *quality.answer_cells(questionnaire, answers, maker.pages_shown(shown) if pages is None else pages),
            day.isoformat(),
        ]
        for column, cell in zip(columns, row, strict=True):
            column.append(cell)
        if members is not None:
            members.add(row[0], answers, day, by_member)
    return Batch(columns, timings, members.parts() if members is not None else [])


_PLAN: RowPlan | None = None  # in a worker process: the plan it inherited


def _start_worker(plan: RowPlan) -> None:
    global _PLAN
    _PLAN = plan


def _rows_in_worker(batch: list[Stored]) -> Batch:
    assert _PLAN is not None, "worker started without a plan"
    return rows_of(_PLAN, batch)


def _batches(source: Iterable[Stored]) -> Iterator[list[Stored]]:
    responses = iter(source)
    while batch := list(islice(responses, BATCH)):
        yield batch


def _in_order(plan: RowPlan, source: Iterable[Stored], workers: int) -> Iterator[Batch]:
    """The batches' rows in the order of `source`, made by `workers` forked processes (here when 1)."""
    if workers <= 1 or not forking.can_fork():
        for batch in _batches(source):
            yield rows_of(plan, batch)
        return
    # The workers inherit the plan (and the key in it): it is not pickled.
    with forking.pool(workers, _start_worker, (plan,)) as pool:
        # A few batches in flight per worker: enough to keep them busy, few enough that ciphertexts
        # do not pile up while the database is read faster than they are opened.
        pending: deque[AsyncResult[Batch]] = deque()
        for batch in _batches(source):
            pending.append(pool.apply_async(_rows_in_worker, (batch,)))
            if len(pending) >= 3 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        # Leaving the `with` terminates the workers, also when a batch raised.


def read_responses(
    source: Source, plan: RowPlan, workers: int = 1, members: MemberRecords | None = None
) -> dict[str, Any]:
    """Every column of every response of `source` (ids, answers, paradata, quality flags, and the
    interview date), rows in the order of `source`; interviewer pseudonyms replaced by their codes.
    Roster members go to `members`, under the same respondent ids."""
    store = ColumnStore(plan.names, plan.numeric)
    timings: list[dict[str, int]] = []
    for batch in _in_order(plan, source, workers):
        store.extend(batch.columns)
        timings += batch.timings
        if members is not None:
            members.extend(batch.members)
    columns = store.columns()
    columns.update(quality.timing_columns(timings))
    codes = interviewer_codes(plan.export_key, columns["interviewer"])
    columns["interviewer"] = [codes.get(pseudonym, "") for pseudonym in columns["interviewer"]]
    return columns


def interviewer_codes(export_key: bytes, pseudonyms: Iterable[str]) -> dict[str, str]:
    """Per-export interviewer codes (I01, I02, ...) in an order keyed by the export's secret: for
    interviewer-effect analysis, never a name, an email or anything that links two exports."""
    order_key = _derived_key(export_key, b"interviewer")
    found = sorted(
        {pseudonym for pseudonym in pseudonyms if pseudonym},
        key=lambda pseudonym: hmac.new(order_key, pseudonym.encode(), hashlib.sha256).digest(),
    )
    return {pseudonym: f"I{index:02d}" for index, pseudonym in enumerate(found, start=1)}
