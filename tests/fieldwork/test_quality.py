"""Quality flags: seconds per page measured on the server and sealed with the response, speeding,
straightlining and item nonresponse as export variables with codebook entries."""

from __future__ import annotations

import csv
import datetime

from sqlalchemy import bindparam, inspect, select, text

from survey.db import UTCDateTime
from survey.export.pipeline import ExportOptions, export
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import private_keys
from .test_dispositions import begin

ROWS = ("work", "home", "health", "friends")


def _codes(study, tmp_path, count: int) -> list[str]:
    out = tmp_path / "codes.csv"
    args = ["codes", "generate", "--questionnaire", "letters-study", "--wave", "1", "--count", str(count)]
    result = study.test_cli_runner().invoke(args=[*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [line.split(",")[0] for line in out.read_text(encoding="utf-8").splitlines()[1:]]


def _spend(study, seconds: int) -> None:
    """As if the person had been on the page for `seconds`: the draft's last write moves back."""
    shift = text("UPDATE draft SET updated_at = :at WHERE response_id IS NULL").bindparams(
        bindparam("at", type_=UTCDateTime())
    )
    with study.extensions["survey.db"].engine.begin() as connection:
        (latest,) = connection.execute(text("SELECT max(updated_at) FROM draft WHERE response_id IS NULL")).one()
        stamp = datetime.datetime.fromisoformat(str(latest)) if not isinstance(latest, datetime.datetime) else latest
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=datetime.UTC)
        connection.execute(shift, {"at": stamp - datetime.timedelta(seconds=seconds)})


def _respond(study, code: str, seconds: int, work: str, matrix: list[str]) -> None:
    person = begin(study.test_client(), "letters-study", code)
    pages = [
        ("consent", {"consent": "yes"}),
        ("arrival", {"arrival": "2015"}),
        ("work", {"work": work}),
        ("health", {"health": "1"}),
        ("wellbeing", {f"wellbeing-{row}": value for row, value in zip(ROWS, matrix, strict=True)}),
    ]
    for page, data in pages:
        person.page(page)
        _spend(study, seconds)
        response = person.post(f"/letters-study/p/{page}", data)
        assert response.status_code == 303, response.data.decode()[:500]
    assert person.submit().location.endswith("/done")


def test_flags_come_from_sealed_page_times_and_answers(study, tmp_path):
    codes = _codes(study, tmp_path, 6)
    for code in codes[:5]:
        _respond(study, code, 60, "1", ["1", "2", "3", "2"])
    _respond(study, codes[5], 5, "refused", ["2", "2", "2", "2"])

    with study.app_context(), study.extensions["survey.db"].sessions() as db:
        stored = db.scalars(select(SealedResponse)).all()
        records = [
            unseal_response(row.id, row.questionnaire_id, row.questionnaire_version, row.content, private_keys())
            for row in stored
        ]
        questionnaire = study.extensions["survey.questionnaires"]["letters-study"]
        result = export(db, questionnaire, private_keys(), tmp_path / "out", ExportOptions(k=1, formats=("csv",)))
    # Exact times only inside the sealed record; the clear paradata table has no column for them.
    times = sorted(record["page_seconds"]["work"] for record in records)
    assert times[0] >= 5 and times[0] < 60 <= times[1]
    assert set(records[0]["page_seconds"]) == {"consent", "arrival", "work", "health", "wellbeing"}
    columns = {column["name"] for column in inspect(study.extensions["survey.db"].engine).get_columns("paradata")}
    assert not any("second" in name or "page" in name for name in columns)

    with (tmp_path / "out" / "letters-study.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    flagged = [row for row in rows if row["qf_speeding"] == "1"]
    assert len(flagged) == 1
    fast = flagged[0]
    assert (fast["qf_straightlining"], fast["qf_item_nonresponse"]) == ("1", "25")  # 1 of 4 questions refused
    assert fast["qf_seconds_per_page"] in ("5", "10")
    others = [row for row in rows if row is not fast]
    assert {(r["qf_speeding"], r["qf_straightlining"], r["qf_item_nonresponse"]) for r in others} == {("0", "0", "0")}
    assert all(60 <= int(row["qf_seconds_per_page"]) <= 65 for row in others)
    codebook = "".join(path.read_text(encoding="utf-8") for path in result.files if "codebook" in path.name)
    assert "qf_speeding" in codebook and "faster than half the median time of the same pages" in codebook
    summary = (tmp_path / "out" / "interviewer-quality.csv").read_text(encoding="utf-8").splitlines()
    assert summary == ["interviewer,interviews,item_nonresponse_mean_percent,straightlining_share,speeding_share"]


def test_responses_without_a_stored_route_are_walked_again():
    from survey.fieldwork import quality
    from survey.questionnaires.loader import load_file

    from .conftest import STUDY

    questionnaire, _problems = load_file(STUDY / "letters-study.json")
    assert questionnaire is not None
    answers = {"consent": "yes", "arrival": 2015, "work": "refused", "health": 1, "wellbeing": dict.fromkeys(ROWS, 3)}
    route = ["consent", "arrival", "work", "health", "wellbeing"]
    assert quality.answer_cells(questionnaire, answers) == quality.answer_cells(questionnaire, answers, route)
    assert quality.answer_cells(questionnaire, answers)[:2] == [25, 1]
    del answers["health"]
    assert quality.answer_cells(questionnaire, answers, route)[0] == 50


def test_a_flag_without_a_value_is_the_exports_no_answer_code():
    """A response without page times, or without an asked question, gets the code the export's codebook
    calls "No answer" (-4), not its "Not asked" (-3)."""
    from survey.export.table import MISSING_CODES, NO_ANSWER, NOT_ASKED
    from survey.fieldwork import quality

    columns = quality.timing_columns([{}, {"work": 30}])
    assert columns == {"qf_speeding": [NO_ANSWER, 0], "qf_seconds_per_page": [NO_ANSWER, 30]}
    assert NO_ANSWER == -4 and NOT_ASKED == -3
    assert MISSING_CODES[NO_ANSWER].get("en") == "No answer"
