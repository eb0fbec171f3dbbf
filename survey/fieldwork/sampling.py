"""The sample design (strata, sizes, allocation) and a seeded, reproducible stratified draw.

A design is a small TOML file:

    size = 2000
    allocation = "proportional"      # or "fixed": each stratum names its own size
    [strata.arabic]
    nationalities = ["SY", "IQ"]
    [strata.other]
    nationalities = ["*"]            # everyone not in another stratum
    [languages]                      # optional: overrides of the nationality -> language mapping
    ER = "ti"

Within a stratum people are ordered by record id before drawing, so the same file and seed give the
same sample whatever the row order; each stratum has its own random stream, so changing one stratum's
size leaves the others' draws alone.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .register import Person, nationality_codes

ALLOCATIONS = ("proportional", "fixed")


class DesignError(ValueError):
    """A sample design that cannot be drawn; the message names the file and the key."""


@dataclass(frozen=True)
class Stratum:
    name: str
    nationalities: frozenset[str]  # empty for the "*" stratum (everyone else)
    size: int | None = None  # fixed allocation only


@dataclass(frozen=True)
class Design:
    size: int | None
    allocation: str
    strata: tuple[Stratum, ...]
    languages: dict[str, str] = field(default_factory=dict)

    def stratum_of(self, nationality: str) -> str | None:
        rest = None
        for stratum in self.strata:
            if nationality in stratum.nationalities:
                return stratum.name
            if not stratum.nationalities:
                rest = stratum.name
        return rest


@dataclass(frozen=True)
class StratumCount:
    population: int  # N_h
    sample: int  # n_h

    @property
    def weight(self) -> float:
        """The design weight N_h / n_h of everyone drawn in the stratum."""
        return self.population / self.sample if self.sample else 0.0


@dataclass(frozen=True)
class Drawn:
    person: Person
    stratum: str
    weight: float


@dataclass(frozen=True)
class Sample:
    members: tuple[Drawn, ...]
    counts: dict[str, StratumCount]
    outside: int  # people in no stratum (not part of the frame)


def load_design(path: Path) -> Design:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DesignError(f"{path.name}: {error}") from None
    return parse_design(raw, path.name)


def parse_design(raw: dict[str, Any], name: str = "design") -> Design:
    allocation = raw.get("allocation", "proportional")
    if allocation not in ALLOCATIONS:
        raise DesignError(f"{name}: allocation is {allocation!r}; use 'proportional' or 'fixed'")
    size = raw.get("size")
    if allocation == "proportional" and (not isinstance(size, int) or size < 1):
        raise DesignError(f"{name}: size must be a whole number of at least 1 for proportional allocation")
    tables = raw.get("strata")
    if not isinstance(tables, dict) or not tables:
        raise DesignError(f"{name}: no [strata.NAME] tables")
    known = nationality_codes()
    strata: list[Stratum] = []
    taken: dict[str, str] = {}
    rest = 0
    for stratum_name, table in tables.items():
        where = f"{name}: strata.{stratum_name}"
        codes = table.get("nationalities") if isinstance(table, dict) else None
        if not isinstance(codes, list) or not codes or not all(isinstance(code, str) for code in codes):
            raise DesignError(f'{where}.nationalities must be a list of codes (or ["*"])')
        wanted = {code.upper() for code in codes}
        if wanted == {"*"}:
            rest += 1
            wanted = set()
        for code in sorted(wanted):
            if code not in known:
                raise DesignError(f"{where}.nationalities: {code!r} is not an ISO 3166 alpha-2 code")
            if code in taken:
                raise DesignError(f"{where}.nationalities: {code} is already in strata.{taken[code]}")
            taken[code] = stratum_name
        stratum_size = table.get("size")
        if allocation == "fixed" and (not isinstance(stratum_size, int) or stratum_size < 0):
            raise DesignError(f"{where}.size must be a whole number for fixed allocation")
        strata.append(Stratum(stratum_name, frozenset(wanted), stratum_size if allocation == "fixed" else None))
    if rest > 1:
        raise DesignError(f'{name}: only one stratum may hold the rest (["*"])')
    languages = raw.get("languages", {})
    if not isinstance(languages, dict) or not all(isinstance(v, str) for v in languages.values()):
        raise DesignError(f"{name}: [languages] maps nationality codes to language tags")
    return Design(size, allocation, tuple(strata), {key.upper(): value for key, value in languages.items()})


def allocate(design: Design, populations: dict[str, int]) -> dict[str, int]:
    """n_h per stratum: fixed sizes, or proportional to N_h by largest remainders (summing to size)."""
    if design.allocation == "fixed":
        sizes = {stratum.name: stratum.size or 0 for stratum in design.strata}
    else:
        total = sum(populations.values())
        wanted = design.size or 0
        if wanted > total:
            raise DesignError(f"a sample of {wanted} from a frame of {total} people is not possible")
        shares = {name: wanted * count / total for name, count in populations.items()}
        sizes = {name: int(share) for name, share in shares.items()}
        left = wanted - sum(sizes.values())
        for name in sorted(shares, key=lambda key: (-(shares[key] - sizes[key]), key))[:left]:
            sizes[name] += 1
    for name, size in sizes.items():
        if size > populations.get(name, 0):
            raise DesignError(f"stratum {name}: {size} to draw but only {populations.get(name, 0)} people")
    return sizes


def draw(people: tuple[Person, ...] | list[Person], design: Design, seed: int) -> Sample:
    """The stratified simple random sample without replacement for this seed."""
    groups: dict[str, list[Person]] = {stratum.name: [] for stratum in design.strata}
    outside = 0
    for person in people:
        stratum = design.stratum_of(person.nationality)
        if stratum is None:
            outside += 1
        else:
            groups[stratum].append(person)
    populations = {name: len(members) for name, members in groups.items()}
    sizes = allocate(design, populations)
    members: list[Drawn] = []
    counts = {}
    for name, group in groups.items():
        count = StratumCount(populations[name], sizes[name])
        counts[name] = count
        ordered = sorted(group, key=lambda person: person.record_id)
        chosen = random.Random(f"{seed}/{name}").sample(ordered, sizes[name])
        members.extend(Drawn(person, name, count.weight) for person in sorted(chosen, key=lambda p: p.record_id))
    return Sample(tuple(members), counts, outside)
