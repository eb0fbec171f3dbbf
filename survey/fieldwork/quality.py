"""Quality flags for exports: speeding, straightlining, item nonresponse, and per-interviewer summaries.

Flag, never drop: each flag is an export variable with a codebook entry, and the analysis decides.
Seconds per page come from the sealed response (`page_seconds`, measured on the server between page
posts); exports carry only a coarsened figure (the respondent's median seconds per page, to 5 seconds,
top-coded at 300), since exact times help re-identify people.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..questionnaires.missing_codes import NO_ANSWER
from ..questionnaires.model import Questionnaire
from ..questionnaires.questions import MISSING_CODES
from ..respond import flow

SPEEDING_SHARE = 0.5  # faster than half the median time of the same pages
STRAIGHTLINE_ROWS = 3  # a matrix needs this many answered rows to count as straightlined
TOP_CODE = 300
SKIPPED_TYPES = frozenset({"note", "consent"})

# name: (German label, English label)
VARIABLES = {
    "qf_item_nonresponse": (
        "Qualität: Anteil unbeantworteter gestellter Fragen (Prozent)",
        "Quality: share of asked questions without an answer, don't know or refused (percent)",
    ),
    "qf_straightlining": (
        "Qualität: Matrizen mit überall derselben Antwort",
        "Quality: matrices with the same answer in every row (3 rows or more)",
    ),
    "qf_speeding": (
        "Qualität: Bearbeitungszeit kleiner 0,5 × Median derselben Seiten (1 = ja)",
        "Quality: faster than half the median time of the same pages (1 = yes)",
    ),
    "qf_seconds_per_page": (
        "Qualität: Median Sekunden je Seite (auf 5 gerundet, höchstens 300)",
        "Quality: median seconds per page (rounded to 5, top-coded at 300)",
    ),
}


def answer_cells(
    questionnaire: Questionnaire, answers: Mapping[str, Any], pages: Sequence[str] | None = None
) -> list[Any]:
    """The flags that need only this response's answers, in the order of VARIABLES (timing left empty).
    `pages` is the route stored with the response; older responses have none and are walked again."""
    if pages is None:
        pages = [page.id for page in flow.walk(questionnaire, dict(answers))[1].pages]
    asked_on = _asked(questionnaire)
    asked = missing = straight = 0
    for page_id in pages:
        for question_id, matrix in asked_on.get(page_id, ()):
            asked += 1
            value = answers.get(question_id)
            if value is None or value in MISSING_CODES or value == [] or value == {}:
                missing += 1
            elif matrix and isinstance(value, dict):
                given = [cell for cell in value.values() if cell not in MISSING_CODES]
                if len(given) >= STRAIGHTLINE_ROWS and len(given) == len(value) and len(set(given)) == 1:
                    straight += 1
    share = round(100 * missing / asked) if asked else NO_ANSWER
    return [share, straight, NO_ANSWER, NO_ANSWER]


def _asked_table(questionnaire: Questionnaire) -> dict[str, tuple[tuple[str, bool], ...]]:
    return {
        page.id: tuple(
            (question.id, question.type_name == "matrix")
            for question in page.questions
            if question.type_name not in SKIPPED_TYPES
        )
        for page in questionnaire.pages
    }


def _asked(questionnaire: Questionnaire) -> dict[str, tuple[tuple[str, bool], ...]]:
    """Per page, the questions that count as asked (id, is a matrix): worked out once per questionnaire."""
    table: dict[str, tuple[tuple[str, bool], ...]] = questionnaire.derived("fieldwork.quality.asked", _asked_table)
    return table


def timing_columns(timings: Sequence[Mapping[str, int]]) -> dict[str, list[int]]:
    """qf_speeding and qf_seconds_per_page for every row, from each row's seconds per page."""
    per_page: dict[str, list[int]] = defaultdict(list)
    for seconds in timings:
        for page, value in seconds.items():
            per_page[page].append(value)
    medians = {page: statistics.median(values) for page, values in per_page.items()}
    speeding, typical = [], []
    for seconds in timings:
        if not seconds:
            speeding.append(NO_ANSWER)
            typical.append(NO_ANSWER)
            continue
        spent = sum(seconds.values())
        expected = sum(medians[page] for page in seconds)
        speeding.append(int(expected > 0 and spent < SPEEDING_SHARE * expected))
        own = statistics.median(seconds.values())
        typical.append(min(TOP_CODE, int(5 * round(own / 5))))
    return {"qf_speeding": speeding, "qf_seconds_per_page": typical}


def write_interviewer_summary(folder: Path, frame: Any) -> Path:
    """interviewer-quality.csv: per interviewer code, interviews and their flags (means, shares)."""
    path = folder / "interviewer-quality.csv"
    assisted = frame[frame["interviewer"].astype(str) != ""]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["interviewer", "interviews", "item_nonresponse_mean_percent", "straightlining_share", "speeding_share"]
        )
        for code, group in sorted(assisted.groupby("interviewer"), key=lambda item: str(item[0])):
            nonresponse = [value for value in group["qf_item_nonresponse"] if value != NO_ANSWER]
            timed = [value for value in group["qf_speeding"] if value != NO_ANSWER]
            writer.writerow(
                [
                    code,
                    len(group),
                    f"{statistics.mean(nonresponse):.1f}" if nonresponse else "",
                    f"{sum(1 for value in group['qf_straightlining'] if value > 0) / len(group):.2f}",
                    f"{sum(timed) / len(timed):.2f}" if timed else "",
                ]
            )
    return path
