"""Member rows collected per column: a reading worker's batch is sent as columns and the export's
process keeps them packed (numbers in numpy arrays, not a Python list per member); the cells are the
ones a member's pages see (the member's own answer before the response's)."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np

from survey.export.members import MemberRecords
from survey.questionnaires.loader import load_directory
from survey.respond import flow

DATA = Path(__file__).resolve().parents[1] / "data" / "questionnaires"
DAY = datetime.date(2026, 12, 7)
ANNA = {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1}
BEN = {"member_name": "Ben", "member_birth_year": 2023}


def household():
    loaded, problems = load_directory(str(DATA))
    assert not [problem for problem in problems if problem.severity == "error"]
    return loaded["household"]


def batch(study, responses):
    """What one reading worker sends back for its batch."""
    records = MemberRecords(study)
    for respondent, answers in responses:
        records.add(respondent, answers, DAY, flow.asked_by_member(study, answers, DAY)[2])
    return records.parts()


def test_batches_are_kept_as_packed_columns_in_order():
    study = household()
    first = batch(study, [("r1", {"hh_size": 2, "members": [ANNA, BEN]}), ("r2", {"hh_size": 0, "members": []})])
    second = batch(study, [("r3", {"hh_size": 1, "members": [{"member_name": "Cem", "member_birth_year": 1990}]})])
    records = MemberRecords(study)
    records.extend(first)
    records.extend(second)
    members = records.rosters[0]
    assert members.households == ["r1", "r2", "r3"] and members.count == 3
    columns = members.columns()
    assert isinstance(columns["member"], np.ndarray) and columns["member"].dtype == np.int64
    assert isinstance(columns["member_birth_year"], np.ndarray) and columns["member_age"].dtype == np.int64
    assert columns["respondent"] == ["r1", "r1", "r3"]
    assert columns["_interview_date"] == ["2026-12-07"] * 3
    # Ben (born 2023) was not asked about work: -3, not asked; his age from the interview year.
    assert members.rows == [
        ["r1", 1, 1980, 1, 46],
        ["r1", 2, 2023, -3, 3],
        ["r3", 1, 1990, -4, 36],
    ]


def test_a_member_without_an_answer_sees_the_responses_answer_of_that_name():
    """As on the member's pages (`model.member_answers`): the member's own answer first, else the
    response's (here a stray top-level answer), for the cells and the computed age alike."""
    study = household()
    answers = {"hh_size": 2, "members": [ANNA, {"member_name": "Dana"}], "member_birth_year": 1950}
    records = MemberRecords(study)
    records.add("r1", answers, DAY, flow.asked_by_member(study, answers, DAY)[2])
    rows = records.rosters[0].rows
    assert records.rosters[0].rows == rows  # looking at the rows leaves them to be sent
    assert len(records.parts()[0][0][0]) == 2
    assert rows[0][2:] == [1980, 1, 46]
    assert rows[1][2] == 1950 and rows[1][4] == 76
