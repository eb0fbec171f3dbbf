"""The member files of an export: one long-format file per roster (respondent id, member number, the
member variables), with its own codebook, optionally a wide layout (one row per respondent).

Disclosure control treats a household as one unit, never its members as independent records: per
respondent, the values of each member quasi-identifier are aggregated into a household signature (the
sorted member values, e.g. "1980|1983|2019"), the anonymiser reaches k-anonymity over these household
signatures (one record per respondent), and the generalisation level it chooses is applied to every
member's value. A household that would be in a group smaller than k has all its member
quasi-identifiers suppressed. Risk is thus measured per household, as an intruder who knows a
household's composition sees it.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..questionnaires import model
from ..questionnaires.model import Questionnaire, Roster, member_answers
from ..respond import flow
from . import derived as derived_values
from . import writers
from .anonymise import AnonymisationError, Hierarchy, anonymise, render_report
from .table import (
    NOT_ASKED,
    NUMERIC_TYPES,
    SUPPRESSED,
    ColumnStore,
    ComputedCells,
    QuestionCells,
    Variable,
    questions_read,
)

NO_MEMBERS = "(none)"  # the household signature of a respondent without members
INTERVIEW_DATE = "_interview_date"  # a member row's interview date: read by computed values, never written
# One roster's member cells of a batch of responses, per column (see `RosterRows.names`), and the
# batch's respondent ids (see `MemberRecords.parts`).
MemberPart = tuple[list[list[Any]], list[str]]


class MemberExportError(Exception):
    """Member files that cannot be written as asked; the message says why."""


def member_variables(roster: Roster) -> list[Variable]:
    """The released variables of a roster's members: direct identifiers and free text stay in the vault."""
    variables: list[Variable] = []
    for question in roster.questions():
        if not question.answerable or question.privacy in ("direct", "free_text"):
            continue
        numeric = question.type_name in NUMERIC_TYPES
        for column in question.export_columns():
            variables.append(
                Variable(column.name, column.label, question, numeric, column.value_labels, question.privacy)
            )
    for computed in roster.computed:
        numeric = computed.kind in ("number", "bool")
        variables.append(
            Variable(computed.id, computed.label, None, numeric, (), computed.privacy, "computed", computed)
        )
    return variables


@dataclass
class RosterRows:
    """The member rows of one roster, added while an export reads its responses.

    A batch's rows are collected per column (`add`, then `parts` sends them from a reading worker);
    the export's process keeps every batch's in a `ColumnStore` (`extend`): numbers packed into
    numpy blocks, not a Python list per member, so 100,000 households' members stay small."""

    questionnaire: Questionnaire
    roster: Roster
    variables: list[Variable] = field(init=False)
    households: list[str] = field(default_factory=list)  # every respondent id, in order

    def __post_init__(self) -> None:
        self.variables = member_variables(self.roster)
        kept = {variable.question.id for variable in self.variables if variable.question is not None}
        self._questions = [QuestionCells(q) for q in self.roster.questions() if q.answerable and q.id in kept]
        self._computed = [ComputedCells(self.questionnaire, computed) for computed in self.roster.computed]
        self._ids = tuple(question.id for question in self.roster.questions())
        # What the computed values read, through each other: a member's own answer, else the response's.
        reads: set[str] = set()
        for computed in self.roster.computed:
            reads |= questions_read(self.questionnaire, computed)
        self._reads = tuple(sorted(reads))
        # A value that reads a roster (any/all) looks at every member: it gets the whole response.
        self._scoped = reads.isdisjoint(roster.id for roster in self.questionnaire.rosters)
        self.names = ["respondent", "member", *[variable.name for variable in self.variables], INTERVIEW_DATE]
        numeric = {"member", *(variable.name for variable in self.variables if variable.numeric)}
        self._store = ColumnStore(self.names, numeric)
        self._added: list[list[Any]] = [[] for _ in self.names]  # added here, not yet in the store

    def add(
        self,
        respondent: str,
        answers: Mapping[str, Any],
        today: datetime.date,
        by_member: flow.MemberShown,
    ) -> None:
        """The member rows of one response; `by_member`: what each member was asked, from the walk
        the response's row was made with (`flow.asked_by_member`)."""
        self.households.append(respondent)
        members = answers.get(self.roster.id)
        if not isinstance(members, list):
            return
        day = today.isoformat()  # one string for every member of the response
        # A member's page sees the member's answers before the response's (`member_answers`); when no
        # roster question is answered outside the roster too, that is the member's own answers alone.
        own_only = not any(question_id in answers for question_id in self._ids)
        reads, scoped = self._reads, self._scoped
        nothing: set[str] = set()
        # Computed values see just what they read (the member's answer first), not a chain of maps:
        # one small scope, refilled per member, and one lookup over it for the whole response.
        scope: dict[str, Any] = {}
        scoped_values = model.lookup(self.questionnaire, scope, today) if scoped and self._computed else None
        for number, given in enumerate(members, start=1):
            shown = by_member.get((self.roster.id, number), nothing)
            own = given if isinstance(given, dict) else {}
            seen = own if own_only else member_answers(answers, self.roster.id, number)
            row: list[Any] = [respondent, number]
            for cells in self._questions:
                row += cells.of(seen, cells.question.id in shown)
            if scoped_values is not None:
                for name in reads:
                    scope[name] = own[name] if name in own else answers.get(name)
                row += [cells.of(scoped_values, shown) for cells in self._computed]
            elif self._computed:  # a value that reads a roster: the whole response, the member's first
                values = model.lookup(self.questionnaire, member_answers(answers, self.roster.id, number), today)
                row += [cells.of(values, shown) for cells in self._computed]
            row.append(day)
            for column, cell in zip(self._added, row, strict=True):
                column.append(cell)

    def part(self) -> MemberPart:
        """The rows added here, per column, and the respondent ids (what a worker sends back)."""
        assert not self._store.rows, "a collector's rows are sent before they go to its own store"
        return self._added, self.households

    def extend(self, part: MemberPart) -> None:
        """Append a batch's rows (`part` of another collector of the same roster) to the store."""
        columns, households = part
        self._store.extend(columns)
        self.households += households

    def columns(self) -> dict[str, Any]:
        """Every member row's cells per column (`names`): numbers as one array, text as a list."""
        if self._added[0]:
            self._store.extend(self._added)
            self._added = [[] for _ in self.names]
        return self._store.columns()

    @property
    def count(self) -> int:
        """How many member rows there are."""
        return self._store.rows + len(self._added[0])

    @property
    def rows(self) -> list[list[Any]]:
        """Every member row as a list of cells, without the interview date (to look at; the files are
        made from `columns`)."""
        stored = self._store.columns() if self._store.rows else {}
        cells = [
            (_plain(stored[name]) if stored else []) + added
            for name, added in zip(self.names[:-1], self._added, strict=False)
        ]
        return [list(row) for row in zip(*cells, strict=True)]


def _plain(cells: Any) -> list[Any]:
    return cells.tolist() if isinstance(cells, np.ndarray) else list(cells)


class MemberRecords:
    """Collects member rows of every roster of a questionnaire during one export."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.rosters = [RosterRows(questionnaire, roster) for roster in questionnaire.rosters]

    def add(
        self,
        respondent: str,
        answers: Mapping[str, Any],
        today: datetime.date,
        by_member: flow.MemberShown,
    ) -> None:
        for rows in self.rosters:
            rows.add(respondent, answers, today, by_member)

    def parts(self) -> list[MemberPart]:
        """What was collected, per roster (sent back from a reading worker; see `extend`)."""
        return [rows.part() for rows in self.rosters]

    def extend(self, parts: Sequence[MemberPart]) -> None:
        """Append the rows another collector of the same questionnaire made (a worker's batch)."""
        for rows, part in zip(self.rosters, parts, strict=True):
            rows.extend(part)


class ColumnLists(Mapping[str, list[Any]]):
    """A frame's columns as lists, each made when first asked for (not the whole frame at once)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._made: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        if name not in self._made:
            self._made[name] = self._frame[name].tolist()
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._frame.columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._frame.columns)

    def __len__(self) -> int:
        return len(self._frame.columns)


def write_members(
    records: MemberRecords,
    out: Path,
    base: str,
    formats: Sequence[str],
    k: int,
    max_suppression: float,
    wide: bool = False,
) -> tuple[list[Path], dict[str, Any]]:
    """Anonymise per household and write every roster's member file(s) and codebook; returns the files
    written and, per roster, its disclosure report (for the export's report)."""
    written: list[Path] = []
    reports: dict[str, Any] = {}
    for rows in records.rosters:
        frame, columns, report = _anonymised(rows, k, max_suppression)
        stem = f"{base}-{rows.roster.id}"
        for name in formats:
            path = out / f"{stem}.{name}"
            {"csv": writers.write_csv, "sav": writers.write_spss, "dta": writers.write_stata}[name](
                path, columns, frame
            )
            written.append(path)
        if wide:
            path = out / f"{stem}-wide.csv"
            _wide(frame, columns, rows.households).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            written.append(path)
        written += writers.write_codebook(
            out, columns, f"{rows.roster.title.get('de')} ({rows.roster.id})", f"codebook-{rows.roster.id}"
        )
        reports[rows.roster.id] = report
    return written, reports


def _anonymised(
    rows: RosterRows, k: int, max_suppression: float
) -> tuple[pd.DataFrame, list[writers.Column], dict[str, Any]]:
    names = rows.names[:-1]
    if rows.count:
        collected = rows.columns()
        interview = collected.pop(INTERVIEW_DATE)
        frame = pd.DataFrame(collected, copy=False)
        del collected
    else:
        interview = []
        frame = pd.DataFrame({name: [] for name in names})
    computed = [
        v
        for v in rows.variables
        if v.computed is not None and derived_values.reads_quasi(rows.questionnaire, v.computed)
    ]
    derived_names = {variable.name for variable in computed}
    quasi = [v for v in rows.variables if v.privacy == "quasi" and v.name not in derived_names]
    notes: dict[str, str] = {}
    report: dict[str, Any] = {
        "unit": "household (one record per respondent)",
        "households": len(rows.households),
        "members": len(frame),
        "quasi_identifiers": [variable.name for variable in quasi],
    }
    if quasi:
        levels, suppressed, household_report = _per_household(rows, frame, quasi, k, max_suppression)
        report.update(household_report)
        for variable in quasi:
            hierarchy, level = levels[variable.name]
            values = [str(value) for value in frame[variable.name]]
            if level > 0:
                frame[variable.name] = [hierarchy.value_at(value, level) for value in values]
                notes[variable.name] = f"level {level} of {hierarchy.height}, chosen per household"
            frame.loc[suppressed, variable.name] = SUPPRESSED if level == 0 and variable.numeric else str(SUPPRESSED)
        columns_now = ColumnLists(frame)
        for variable in computed:
            assert variable.computed is not None
            cells, ranged = derived_values.rederive(
                rows.questionnaire, variable.computed, columns_now, columns_now[variable.name], interview
            )
            frame[variable.name] = cells
            notes[variable.name] = "computed from the anonymised answers" + (" (ranges)" if ranged else "")
    columns = [
        writers.Column(
            "respondent",
            "Befragten-ID (nur in diesem Export)",
            "Respondent id (this export only)",
            False,
            (),
            "none",
            "",
        ),
        writers.Column("member", "Nummer des Mitglieds", "Member number", True, (), "none", ""),
    ]
    generalised = {name for name, note in notes.items() if note.startswith("level") or "(ranges)" in note}
    for variable in rows.variables:
        keeps_labels = variable.name not in generalised
        columns.append(
            writers.Column(
                variable.name,
                variable.label.get("de"),
                variable.label.get("en"),
                variable.numeric and keeps_labels,
                tuple((value, text.get("de"), text.get("en")) for value, text in variable.value_labels)
                if keeps_labels
                else (),
                variable.privacy,
                notes.get(variable.name, ""),
                variable.computed.calculation.source if variable.computed else "",
            )
        )
    return frame, columns, report


def _per_household(
    rows: RosterRows, frame: pd.DataFrame, quasi: Sequence[Variable], k: int, max_suppression: float
) -> tuple[dict[str, tuple[Hierarchy, int]], Any, dict[str, Any]]:
    """k-anonymity over households: one record per respondent, one signature column per member
    quasi-identifier. Returns per variable its member-level hierarchy and chosen level, the member
    rows to suppress, and the household-level disclosure report."""
    from .pipeline import hierarchy_for  # the same generalisation as the main file's questions

    members_of: dict[str, list[int]] = {respondent: [] for respondent in rows.households}
    for index, respondent in enumerate(frame["respondent"]):
        members_of[respondent].append(index)
    signatures: dict[str, list[str]] = {}
    hierarchies: dict[str, Hierarchy] = {}
    elements: dict[str, Hierarchy] = {}
    for variable in quasi:
        values = [str(value) for value in frame[variable.name]]
        element = hierarchy_for(variable.hierarchy_owner, variable.name, set(values))
        elements[variable.name] = element
        per_level: list[list[str]] = []  # per level, the signature of each household
        for level in range(element.height + 1):
            per_level.append(
                [
                    "|".join(sorted(element.value_at(values[i], level) for i in members_of[respondent])) or NO_MEMBERS
                    for respondent in rows.households
                ]
            )
        signatures[variable.name] = per_level[0]
        steps = [dict(zip(per_level[level], per_level[level + 1], strict=True)) for level in range(element.height)]
        hierarchies[variable.name] = Hierarchy.from_levels(
            steps or [{value: value for value in per_level[0]}], variable.name
        )
    table = pd.DataFrame(signatures)
    try:
        result = anonymise(table, list(signatures), hierarchies, k, max_suppression)
    except AnonymisationError as error:
        raise MemberExportError(f"roster '{rows.roster.id}': {error}") from None
    levels = {name: (elements[name], min(result.transformation[name], elements[name].height)) for name in signatures}
    suppressed_households = {
        respondent for respondent, hidden in zip(rows.households, result.suppressed, strict=True) if hidden
    }
    suppressed = frame["respondent"].isin(suppressed_households).to_numpy()
    report = {key: value for key, value in result.report.items() if key != "search"}
    report["text"] = render_report(result.report)
    return levels, suppressed, report


def _wide(frame: pd.DataFrame, columns: Sequence[writers.Column], households: Collection[str]) -> pd.DataFrame:
    """One row per respondent: `variable_n` for member n; -3 (not asked) where a household has fewer."""
    names = [column.name for column in columns[2:]]
    numeric = {column.name: column.numeric for column in columns}
    most = int(frame["member"].max()) if len(frame) else 0
    cells: dict[tuple[str, int], list[Any]] = {
        (respondent, int(number)): row
        for respondent, number, *row in frame[["respondent", "member", *names]].itertuples(index=False)
    }
    wide: dict[str, list[Any]] = {"respondent": list(households)}
    for number in range(1, most + 1):
        for position, name in enumerate(names):
            absent = NOT_ASKED if numeric[name] else str(NOT_ASKED)
            wide[f"{name}_{number}"] = [
                cells[(respondent, number)][position] if (respondent, number) in cells else absent
                for respondent in households
            ]
    return pd.DataFrame(wide)
