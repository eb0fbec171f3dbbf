"""Computed values in exports: a variable each, worked out at the interview date, in the codebook."""

from __future__ import annotations

import csv

from survey.questionnaires.values import years_between
from survey.vault.models import SealedResponse

from ..factories import store_response
from .test_export import run_export


def test_computed_values_are_exported_with_missing_codes_and_described_in_the_codebook(app, tmp_path):
    store_response(
        app,
        "derived",
        {"first_name": "Maria", "birth": "1990-01-15", "arrival_year": 2016, "langs": [2, 4], "best_lang": 4},
    )
    store_response(app, "derived", {"first_name": "Ali", "birth": "refused", "arrival_year": "dont_know", "langs": [9]})
    with app.extensions["survey.db"].sessions() as session:
        (submitted, _) = session.query(SealedResponse.submitted_hour, SealedResponse.id).first()
    out, rows = run_export(app, tmp_path, "derived", k=1, max_suppression=0.0)
    maria = next(row for row in rows if row["best_lang"] == "4")
    ali = next(row for row in rows if row["best_lang"] != "4")
    interview = submitted.date()
    assert maria["age"] == str(years_between("1990-01-15", interview.isoformat()))
    assert maria["years_here"] == str(interview.year - 2016) and maria["adult"] == "1"
    assert ali["age"] == "-4" and ali["years_here"] == "-4" and ali["adult"] == "-4"  # inputs unanswered
    assert ali["best_lang"] == "-3"  # filtered list with nothing to offer: not asked
    assert "first_name" not in maria  # a direct identifier never leaves
    with (out / "codebook.csv").open(encoding="utf-8") as handle:
        codebook = list(csv.DictReader(handle))
    age = next(row for row in codebook if row["variable"] == "age" and row["label_en"])
    assert age["label_en"] == "Age in years (computed)" and age["computed_as"] == "years_between(birth, today())"
    assert age["privacy"] == "quasi" and age["type"] == "numeric"
    assert "computed: <code>year(today()) - arrival_year</code>" in (out / "codebook.html").read_text()


def test_computed_value_of_a_question_not_asked_is_not_asked(app, tmp_path):
    store_response(app, "derived", {"first_name": "Ali", "birth": "1990-01-01", "langs": [1], "best_lang": 1})
    _, rows = run_export(app, tmp_path, "derived", k=1, max_suppression=0.0)
    assert rows[0]["arrival_year"] == "-4" and rows[0]["years_here"] == "-4"


def test_a_computed_value_is_worked_out_again_from_generalised_and_suppressed_answers(app):
    from survey.export.derived import rederive

    questionnaire = app.extensions["survey.questionnaires"]["derived"]
    years_here = questionnaire.computed_value("years_here")
    anonymised = {"arrival_year": [2016, "2010-2019", -5, "*", -1]}
    exact = [10, 10, 10, 10, -4]
    interview = ["2026-03-20"] * 5
    cells, ranged = rederive(questionnaire, years_here, anonymised, exact, interview)
    assert ranged and cells == ["10", "7-16", "-5", "-5", "-4"]
    adult = questionnaire.computed_value("adult")
    births = {"birth": ["1990-01-15", "*"]}
    assert rederive(questionnaire, adult, births, [1, 1], interview[:2]) == ([1, -5], False)
