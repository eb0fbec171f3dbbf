"""Each issued code's disposition, recorded as it happens, and the AAPOR rates per group.

Recorded here: "started" when a code is redeemed, "partial" when its respondent has completed the
partial threshold of their pages (FIELDWORK_PARTIAL_SHARE of the pages their answers lead to, default
one half), "withdrawn" when the code withdraws, "undeliverable" when the letter came back. "Complete"
is never recorded: a sealed response for the code's wave is the complete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..participants.models import IssuedCode
from ..respond.models import Paradata
from ..vault.models import SealedResponse
from .models import CodeDisposition, SampleMember
from .rates import Dispositions

PARTIAL_SHARE = 0.5
STATES = ("issued", "undeliverable", "started", "partial", "complete", "withdrawn")


def _tracking() -> bool:
    return not has_app_context() or bool(current_app.config.get("FIELDWORK_TRACK_PROGRESS", True))


def _row(db: Session, issued_code_id: int) -> CodeDisposition:
    found = db.get(CodeDisposition, issued_code_id)
    if found is None:
        found = CodeDisposition(issued_code_id=issued_code_id, progress=None, withdrawn=False, undeliverable=False)
        db.add(found)
    return found


def _issued_id(db: Session, questionnaire_id: str, pseudonym: str) -> int | None:
    return db.scalar(
        select(IssuedCode.id).where(IssuedCode.questionnaire_id == questionnaire_id, IssuedCode.pseudonym == pseudonym)
    )


def note_started(db: Session, questionnaire_id: str, pseudonym: str) -> None:
    """A code was redeemed (the caller commits)."""
    if not _tracking():
        return
    issued = _issued_id(db, questionnaire_id, pseudonym)
    if issued is not None:
        row = _row(db, issued)
        row.progress = row.progress or "started"


def note_pages(db: Session, questionnaire_id: str, pseudonym: str | None, completed: int, route: int) -> None:
    """After a page is saved: mark the code partial once the threshold is reached (the caller commits)."""
    if pseudonym is None or route <= 0 or not _tracking():
        return
    share = current_app.config.get("FIELDWORK_PARTIAL_SHARE", PARTIAL_SHARE) if has_app_context() else PARTIAL_SHARE
    if completed / route < share:
        return
    issued = _issued_id(db, questionnaire_id, pseudonym)
    if issued is not None:
        row = _row(db, issued)
        if row.progress != "partial":
            row.progress = "partial"


def note_withdrawn(db: Session, pseudonym: str) -> None:
    """Every issued code with this pseudonym is withdrawn (the caller commits)."""
    for issued in db.scalars(select(IssuedCode.id).where(IssuedCode.pseudonym == pseudonym)):
        _row(db, issued).withdrawn = True


def mark_undeliverable(db: Session, questionnaire_id: str, pseudonyms: Iterable[str]) -> tuple[int, list[str]]:
    """Record returned letters; returns how many were marked and the pseudonyms not found."""
    marked, unknown = 0, []
    for pseudonym in pseudonyms:
        issued = _issued_id(db, questionnaire_id, pseudonym)
        if issued is None:
            unknown.append(pseudonym)
            continue
        _row(db, issued).undeliverable = True
        marked += 1
    return marked, unknown


@dataclass(frozen=True)
class CodeState:
    """One issued code as the rates see it."""

    issued_code_id: int
    wave: str
    batch: str
    stratum: str
    language: str
    disposition: str  # one of STATES
    mode: str  # "self", "assisted" for responses, "" otherwise
    member: int | None  # SampleMember.id


def final(complete: bool, row: CodeDisposition | None) -> str:
    """One disposition per code: complete, then withdrawn, partial, started, undeliverable, issued."""
    if complete:
        return "complete"
    if row is None:
        return "issued"
    if row.withdrawn:
        return "withdrawn"
    if row.progress in ("partial", "started"):
        return row.progress
    return "undeliverable" if row.undeliverable else "issued"


def code_states(db: Session, questionnaire_id: str, draw_id: str | None = None) -> list[CodeState]:
    query = (
        select(IssuedCode, CodeDisposition, SampleMember, SealedResponse.id, Paradata.mode)
        .join(CodeDisposition, CodeDisposition.issued_code_id == IssuedCode.id, isouter=True)
        .join(SampleMember, SampleMember.issued_code_id == IssuedCode.id, isouter=True)
        .join(
            SealedResponse,
            and_(
                SealedResponse.questionnaire_id == IssuedCode.questionnaire_id,
                SealedResponse.wave == IssuedCode.wave,
                SealedResponse.pseudonym == IssuedCode.pseudonym,
            ),
            isouter=True,
        )
        .join(Paradata, Paradata.response_id == SealedResponse.id, isouter=True)
        .where(IssuedCode.questionnaire_id == questionnaire_id)
        .order_by(IssuedCode.id)
    )
    if draw_id is not None:
        query = query.where(SampleMember.draw_id == draw_id)
    states = []
    for issued, row, member, response_id, mode in db.execute(query).all():
        states.append(
            CodeState(
                issued_code_id=issued.id,
                wave=issued.wave,
                batch=issued.batch,
                stratum=member.stratum if member else "-",
                language=member.language if member else "-",
                disposition=final(response_id is not None, row),
                mode=(mode or "self") if response_id is not None else "",
                member=member.id if member else None,
            )
        )
    return states


def tally(states: Iterable[CodeState]) -> Dispositions:
    counts = dict.fromkeys(STATES, 0)
    for state in states:
        counts[state.disposition] += 1
    total = sum(counts.values())
    return Dispositions(
        issued=total,
        undeliverable=counts["undeliverable"],
        started=counts["started"],
        partial=counts["partial"],
        complete=counts["complete"],
        withdrawn=counts["withdrawn"],
    )


GROUPINGS = ("wave", "batch", "stratum", "language")


def by_group(states: list[CodeState], grouping: str) -> dict[str, Dispositions]:
    """Disposition counts per wave, batch, stratum or letter language."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    groups: dict[str, list[CodeState]] = defaultdict(list)
    for state in states:
        groups[getattr(state, grouping)].append(state)
    return {key: tally(members) for key, members in sorted(groups.items())}


def completes_by_mode(states: list[CodeState]) -> dict[str, int]:
    """Complete interviews per mode (self-completion, assisted); their sum is RR1's numerator."""
    counts: dict[str, int] = defaultdict(int)
    for state in states:
        if state.disposition == "complete":
            counts[state.mode] += 1
    return dict(sorted(counts.items()))
