"""Conditions evaluated on a whole export agree with the journey's evaluation of each response."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from survey.evaluation import groups
from survey.evaluation.conditions import Frame, holds
from survey.evaluation.exports import read_export
from survey.evaluation.indicators import Breakdown, Group
from survey.evaluation.synthetic import write_export
from survey.export.table import RowMaker
from survey.questionnaires import expressions as ex
from survey.questionnaires.model import Text
from survey.respond import flow
from survey.respond.synthetic import answers_for

EXTRA = [
    "not (german_cert in (3, 4, 5, 6))",
    "german_cert not in (0, 1)",
    "birth_year >= 1990 and gender = 1",
    "country_birth = 'SY' or nationality_1 != 'UA'",
    "answered(benefits) and not benefits in (10)",
    "trust.police <= 2 or answered(arrival_year)",
    "household_size > rooms",
]


@pytest.fixture(scope="module")
def responses(study, tmp_path_factory):
    rng = random.Random(7)
    records = [answers_for(study, rng) for _ in range(400)]
    maker = RowMaker(study)
    frame = pd.DataFrame([maker.cells(answers) for answers in records], columns=maker.names)
    frame.insert(0, "wave", "1")
    frame.insert(0, "respondent", [f"r{i}" for i in range(len(frame))])
    folder = write_export(tmp_path_factory.mktemp("export"), study, frame, "1")
    _, data, _ = read_export(folder)  # through the CSV, as the evaluation reads it
    return records, Frame(data, study)


def test_every_indicator_condition_agrees_with_the_journey(study, indicators, responses):
    records, frame = responses
    sources = [i.population.source for i in indicators.indicators]
    sources += [i.numerator.source for i in indicators.indicators if i.numerator is not None]
    checked = 0
    for source in sources + EXTRA:
        condition = ex.compile_condition(source, lambda ref: study.question(ref.question).symbol(ref.row))
        expected = np.array([condition.holds(flow.lookup(study, answers)) for answers in records])
        assert (holds(condition, frame) == expected).all(), source
        checked += 1
        assert 0 < expected.sum() < len(records) or "answered" in source, source
    assert checked == len(sources) + len(EXTRA)


def test_groups_by_values_ranges_generalised_bands_and_the_rest():
    data = pd.DataFrame(
        {"year": [1985, "1990-1994", -2, "1960-1979", 2001], "country": ["SY", "Western Asia", "-5", "UA", "DE"]}
    )
    by_year = Breakdown(
        "age",
        Text.of({}, "de"),
        "year",
        (Group("young", Text.of({}, "de"), low=1990), Group("old", Text.of({}, "de"), high=1990)),
    )
    assert groups.codes(data, by_year).tolist() == [1, 0, -1, 1, 0]
    by_country = Breakdown(
        "origin",
        Text.of({}, "de"),
        "country",
        (Group("east", Text.of({}, "de"), values=("SY", "Western Asia")), Group("rest", Text.of({}, "de"))),
    )
    assert groups.codes(data, by_country).tolist() == [0, 0, -1, 1, 1]
