"""AAPOR outcome rates (Standard Definitions, 10th edition 2023) from disposition counts.

The platform knows, per issued code, only how far it got: never who it was. The counts map onto
AAPOR's final dispositions for a mail-to-web survey of named persons from a register:

- ``complete`` -> I (complete interview)
- ``partial`` -> P (partial: the respondent reached the partial threshold, then stopped)
- ``started`` (began, stopped before the partial threshold) and ``withdrawn`` -> R (break-off and
  refusal; a withdrawal after answering is a refusal of the data)
- ``undeliverable`` (letter returned) -> unknown eligibility by default (UO, AAPOR 3.3), or not
  eligible (4.x, left out of every denominator) when the study knows a returned letter means the person
  moved out of the county
- codes issued with nothing returned -> UO (AAPOR 3.19, "nothing ever returned")

``e``, the estimated share of unknown-eligibility cases that are eligible, defaults to 1: a register
sample of residents is eligible unless shown otherwise, which makes RR3 = RR1 (the conservative choice).
"""

from __future__ import annotations

from dataclasses import dataclass


class DispositionError(ValueError):
    """Counts that cannot describe one sample (negative, or more outcomes than codes issued)."""


@dataclass(frozen=True)
class Dispositions:
    issued: int
    undeliverable: int = 0
    started: int = 0
    partial: int = 0
    complete: int = 0
    withdrawn: int = 0

    def __post_init__(self) -> None:
        for name in ("issued", "undeliverable", "started", "partial", "complete", "withdrawn"):
            if getattr(self, name) < 0:
                raise DispositionError(f"{name} is negative ({getattr(self, name)})")
        if self.outcomes > self.issued:
            raise DispositionError(f"{self.outcomes} outcomes recorded but only {self.issued} codes issued")

    @property
    def outcomes(self) -> int:
        return self.undeliverable + self.started + self.partial + self.complete + self.withdrawn

    @property
    def no_return(self) -> int:
        return self.issued - self.outcomes

    def __add__(self, other: Dispositions) -> Dispositions:
        return Dispositions(
            self.issued + other.issued,
            self.undeliverable + other.undeliverable,
            self.started + other.started,
            self.partial + other.partial,
            self.complete + other.complete,
            self.withdrawn + other.withdrawn,
        )


@dataclass(frozen=True)
class OutcomeRates:
    """AAPOR rates as fractions (None where the denominator is 0)."""

    rr1: float | None
    rr2: float | None
    rr3: float | None
    rr4: float | None
    coop1: float | None
    coop2: float | None
    ref1: float | None
    con1: float | None

    def as_dict(self) -> dict[str, float | None]:
        """The rates under AAPOR's names (RR1, COOP1, ...)."""
        return {name.upper(): value for name, value in self.__dict__.items()}


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def outcome_rates(counts: Dispositions, e: float = 1.0, undeliverable_eligible: bool = True) -> OutcomeRates:
    """AAPOR RR1-RR4, COOP1-2, REF1 and CON1 for one group of codes.

    `undeliverable_eligible=False` counts returned letters as not eligible (left out of every rate)."""
    if not 0.0 <= e <= 1.0:
        raise DispositionError(f"e must be between 0 and 1, not {e}")
    complete, partial = counts.complete, counts.partial
    refused = counts.started + counts.withdrawn  # break-offs and refusals
    non_contact = other = 0  # a web survey by letter cannot tell these apart from "nothing returned"
    unknown = counts.no_return + (counts.undeliverable if undeliverable_eligible else 0)
    known = (complete + partial) + (refused + non_contact + other)
    return OutcomeRates(
        rr1=_ratio(complete, known + unknown),
        rr2=_ratio(complete + partial, known + unknown),
        rr3=_ratio(complete, known + e * unknown),
        rr4=_ratio(complete + partial, known + e * unknown),
        coop1=_ratio(complete, complete + partial + refused + other),
        coop2=_ratio(complete + partial, complete + partial + refused + other),
        ref1=_ratio(refused, known + unknown),
        con1=_ratio(complete + partial + refused + other, complete + partial + refused + other + non_contact + unknown),
    )
