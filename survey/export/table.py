"""Turn unsealed responses into one row per response with stable variable names and missing codes.

Missing codes (numbers in numeric variables, the same digits as text in string variables):

    -1 don't know     -2 refused (prefer not to say)     -3 not asked (skip logic)
    -4 no answer (an optional question left empty)         -5 suppressed by the anonymiser
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..questionnaires import model
from ..questionnaires.missing_codes import DONT_KNOW_CODE, NO_ANSWER, NOT_ASKED, REFUSED_CODE, SUPPRESSED
from ..questionnaires.model import Computed, Questionnaire, Text
from ..questionnaires.questions import DONT_KNOW, REFUSED, Question
from ..questionnaires.values import BOOL, NUMBER
from ..respond import flow

MISSING_CODES: dict[int, Text] = {
    DONT_KNOW_CODE: Text.of({"de": "Weiß nicht", "en": "Don't know"}, "en"),
    REFUSED_CODE: Text.of({"de": "Keine Angabe (verweigert)", "en": "Refused (prefer not to say)"}, "en"),
    NOT_ASKED: Text.of({"de": "Nicht gefragt (Filterführung)", "en": "Not asked (skip logic)"}, "en"),
    NO_ANSWER: Text.of({"de": "Keine Antwort", "en": "No answer"}, "en"),
    SUPPRESSED: Text.of({"de": "Unterdrückt (Anonymisierung)", "en": "Suppressed (anonymisation)"}, "en"),
}
_SPECIAL = {DONT_KNOW: DONT_KNOW_CODE, REFUSED: REFUSED_CODE}

NUMERIC_TYPES = frozenset(
    {"single_choice", "dropdown", "scale", "matrix", "multiple_choice", "integer", "year", "decimal", "consent"}
)


@dataclass(frozen=True)
class Variable:
    """One column of the export, with what the codebook says about it."""

    name: str
    label: Text
    question: Question | None
    numeric: bool
    value_labels: tuple[tuple[Any, Text], ...] = ()
    privacy: str = "none"
    kind: str = "answer"  # "answer", "computed", "id", "paradata"
    computed: Computed | None = None

    @property
    def hierarchy_owner(self) -> Question | Computed | None:
        """What says how this variable is generalised (its question, or its computed value)."""
        return self.question or self.computed


class ColumnStore:
    """Cells added a row at a time, kept per column: numbers packed into numpy blocks as they come
    (no Python object per cell), text in lists. Memory grows with the cells, not with the rows' dicts."""

    def __init__(self, names: Sequence[str], numeric: Collection[str], block: int = 8192) -> None:
        self.names = list(names)
        self._numeric = set(numeric)
        self._block = block
        self._pending: dict[str, list[Any]] = {name: [] for name in self.names}
        self._packed: dict[str, list[np.ndarray]] = {name: [] for name in self.names if name in self._numeric}
        self._lists = [self._pending[name] for name in self.names]
        self.rows = 0

    def add(self, row: Sequence[Any]) -> None:
        """One row: a cell per column, in the order of `names`."""
        for pending, cell in zip(self._lists, row, strict=True):
            pending.append(cell)
        self.rows += 1
        if self.rows % self._block == 0:
            self._pack()

    def extend(self, columns: Sequence[Sequence[Any]]) -> None:
        """Many rows given per column (a list of cells per name, all of one length): stored exactly as
        if they had been added one row at a time."""
        count = len(columns[0]) if columns else 0
        done = 0
        while done < count:
            take = min(count - done, self._block - self.rows % self._block)
            for pending, cells in zip(self._lists, columns, strict=True):
                pending.extend(cells[done : done + take])
            done += take
            self.rows += take
            if self.rows % self._block == 0:
                self._pack()

    def _pack(self) -> None:
        for name, blocks in self._packed.items():
            if self._pending[name]:
                packed = np.asarray(self._pending[name])
                # Numbers pack; anything else a numeric column might hold stays as objects.
                blocks.append(packed if packed.dtype.kind in "biuf" else np.asarray(self._pending[name], dtype=object))
                self._pending[name].clear()

    def columns(self) -> dict[str, Any]:
        """Every column: numbers as one array (int64 when every cell is whole, else float64), text as a list."""
        self._pack()
        columns: dict[str, Any] = {}
        for name in self.names:
            if name in self._packed:
                blocks = self._packed[name]
                columns[name] = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
            else:
                columns[name] = self._pending[name]
        return columns


def answer_variables(questionnaire: Questionnaire) -> list[Variable]:
    variables = []
    for question in questionnaire.questions():
        if not question.answerable:
            continue
        numeric = question.type_name in NUMERIC_TYPES
        for column in question.export_columns():
            variables.append(
                Variable(column.name, column.label, question, numeric, column.value_labels, question.privacy)
            )
    for computed in questionnaire.computed:
        numeric = computed.kind in (NUMBER, BOOL)
        variables.append(
            Variable(computed.id, computed.label, None, numeric, (), computed.privacy, "computed", computed)
        )
    return variables


class QuestionCells:
    """The export cells of one question, worked out once per export and then filled per response."""

    __slots__ = ("_codes", "_kind", "_missing", "_rows", "columns", "question")

    def __init__(self, question: Question) -> None:
        self.question = question
        self.columns = [column.name for column in question.export_columns()]
        numeric = question.type_name in NUMERIC_TYPES
        self._kind = question.type_name
        self._missing = {
            code: [code if numeric else str(code)] * len(self.columns)
            for code in (NOT_ASKED, NO_ANSWER, DONT_KNOW_CODE, REFUSED_CODE)
        }
        self._codes = [option.code for option in getattr(question, "options", ())]
        self._rows = [row.id for row in getattr(question, "rows", ())]

    def of(self, answers: Mapping[str, Any], asked: bool) -> list[Any]:
        """The cells, in the order of `columns`, for one response."""
        if not asked:
            return self._missing[NOT_ASKED]
        value = answers.get(self.question.id)
        if value is None:
            return self._missing[NO_ANSWER]
        if isinstance(value, str) and value in _SPECIAL:
            return self._missing[_SPECIAL[value]]
        kind = self._kind
        if kind == "multiple_choice":
            chosen = set(value)
            return [int(code in chosen) for code in self._codes]
        if kind == "matrix":
            return [_matrix_cell(value.get(row)) for row in self._rows]
        if kind == "consent":
            return [1 if value else 0]
        return [value]


def _matrix_cell(cell: Any) -> Any:
    if cell is None:
        return NO_ANSWER
    return _SPECIAL.get(cell, cell) if isinstance(cell, str) else cell


def asked_questions(
    questionnaire: Questionnaire, answers: Mapping[str, Any], today: datetime.date | None = None
) -> set[str]:
    """The questions this respondent was shown, by the same skip logic as the journey."""
    return flow.asked(questionnaire, answers, today)[1]


class ComputedCells:
    """The cell of one computed value: worked out from the effective answers and the interview date;
    "not asked" when a question it reads was not asked, "no answer" when one was left unanswered."""

    __slots__ = ("computed", "numeric", "reads")

    def __init__(self, questionnaire: Questionnaire, computed: Computed) -> None:
        self.computed = computed
        self.numeric = computed.kind in (NUMBER, BOOL)
        self.reads = questions_read(questionnaire, computed)

    def of(self, values: Any, shown: Collection[str]) -> Any:
        found = self.computed.calculation.value(values)
        if found is None:
            code = NOT_ASKED if not self.reads.issubset(shown) else NO_ANSWER
            return code if self.numeric else str(code)
        if isinstance(found, bool):
            return int(found)
        return found


def questions_read(questionnaire: Questionnaire, computed: Computed) -> set[str]:
    """The questions (and rosters) a computed value reads, directly or through other computed values."""
    found: set[str] = set()
    for name in computed.calculation.questions:
        inner = questionnaire.computed_value(name)
        found |= questions_read(questionnaire, inner) if inner is not None else {name}
    return found


class RowMaker:
    """Turns one response's answers into its export cells, with one walk of the skip logic."""

    def __init__(self, questionnaire: Questionnaire, leave_out: Collection[str] = ()) -> None:
        """`leave_out`: questions whose cells are not wanted (e.g. direct identifiers)."""
        self.questionnaire = questionnaire
        self._questions = [
            QuestionCells(question)
            for question in questionnaire.questions()
            if question.answerable and question.id not in leave_out
        ]
        self._computed = [ComputedCells(questionnaire, computed) for computed in questionnaire.computed]
        self.names = [name for cells in self._questions for name in cells.columns] + [
            cells.computed.id for cells in self._computed
        ]
        self._pages = [(page.id, frozenset(q.id for q in page.questions)) for page in questionnaire.pages]

    def cells(self, answers: Mapping[str, Any], today: datetime.date | None = None) -> list[Any]:
        """The cells of one response, in the order of `names`; `today` is the interview date computed
        values and conditions see (the day the response was submitted)."""
        return self.row(answers, today)[0]

    def row(self, answers: Mapping[str, Any], today: datetime.date | None = None) -> tuple[list[Any], set[str]]:
        """The cells of one response (as `cells`) and the ids of the questions it was shown."""
        cells, shown, _ = self.walked_row(answers, today)
        return cells, shown

    def walked_row(
        self, answers: Mapping[str, Any], today: datetime.date | None = None
    ) -> tuple[list[Any], set[str], flow.MemberShown]:
        """`row`, and per roster member the questions that member was asked (from the same walk)."""
        kept, shown, by_member = flow.asked_by_member(self.questionnaire, answers, today)
        row: list[Any] = []
        for cells in self._questions:
            row += cells.of(answers, cells.question.id in shown)
        values = model.lookup(self.questionnaire, kept, today)
        row += [cells.of(values, shown) for cells in self._computed]
        return row, shown, by_member

    def pages_shown(self, shown: Collection[str]) -> list[str]:
        """The ids of the pages a respondent saw, given the questions shown (see `row`): a page is
        shown exactly when one of its questions is."""
        return [page_id for page_id, ids in self._pages if not ids.isdisjoint(shown)]
