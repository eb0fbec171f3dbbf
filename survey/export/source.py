"""Where an export reads stored responses from: the database, or a sealed bundle written from it.

Either way a response arrives as the vault holds it (answers sealed under the study key, metadata and
coarsened paradata in the clear) and is read one at a time, so an export never holds every ciphertext.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fieldwork.models import InterviewReview
from ..respond.models import Paradata
from ..vault.models import SealedResponse

# Rows fetched from the database per round trip while streaming.
BATCH = 1000


@dataclass(frozen=True, slots=True)
class StoredParadata:
    """How a response came about, as stored (already coarsened to the hour)."""

    mode: str
    languages: str
    device_class: str
    started_hour: datetime.datetime
    duration_minutes: int
    interviewer: str | None
    review: str = ""  # review status of an assisted interview (fieldwork.review), "" if none


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored response: its sealed answers and what is kept beside them."""

    id: str
    questionnaire_id: str
    questionnaire_version: str
    wave: str
    pseudonym: str | None
    submitted_hour: datetime.datetime
    content: bytes
    paradata: StoredParadata | None


class Source(Protocol):
    """The stored responses of one questionnaire (and optionally one wave), in a stable order."""

    def waves(self) -> set[str]:
        """The waves the responses belong to."""
        ...

    def __iter__(self) -> Iterator[Stored]: ...


_COLUMNS = (
    SealedResponse.id,
    SealedResponse.questionnaire_id,
    SealedResponse.questionnaire_version,
    SealedResponse.wave,
    SealedResponse.pseudonym,
    SealedResponse.submitted_hour,
    SealedResponse.content,
    Paradata.response_id,
    Paradata.mode,
    Paradata.languages,
    Paradata.device_class,
    Paradata.started_hour,
    Paradata.duration_minutes,
    Paradata.interviewer,
    InterviewReview.status,
)


@dataclass(frozen=True)
class DatabaseSource:
    """The responses in the database, streamed in batches with their paradata joined."""

    db: Session
    questionnaire_id: str
    wave: str | None = None

    def _where(self, query):  # type: ignore[no-untyped-def]
        query = query.where(SealedResponse.questionnaire_id == self.questionnaire_id)
        return query if self.wave is None else query.where(SealedResponse.wave == self.wave)

    def waves(self) -> set[str]:
        return set(self.db.scalars(self._where(select(SealedResponse.wave).distinct())))

    def __iter__(self) -> Iterator[Stored]:
        query = self._where(
            select(*_COLUMNS)
            .outerjoin(Paradata, Paradata.response_id == SealedResponse.id)
            .outerjoin(InterviewReview, InterviewReview.response_id == SealedResponse.id)
        ).order_by(SealedResponse.submitted_hour, SealedResponse.id)
        for row in self.db.execute(query.execution_options(yield_per=BATCH)):
            paradata = None
            if row.response_id is not None:
                paradata = StoredParadata(
                    row.mode,
                    row.languages,
                    row.device_class,
                    row.started_hour,
                    row.duration_minutes,
                    row.interviewer,
                    row.status or "",
                )
            yield Stored(
                row.id,
                row.questionnaire_id,
                row.questionnaire_version,
                row.wave,
                row.pseudonym,
                row.submitted_hour,
                bytes(row.content),
                paradata,
            )
