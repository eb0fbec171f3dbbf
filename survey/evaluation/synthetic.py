"""Synthetic export folders with known population margins and a known effect, for tests, demos and the
benchmark: the share with a German certificate at B1 or better rises from 30% to 35% to 40% of the
population over three waves, and the group 'diverse' has exactly three respondents per wave.

The sample is drawn unlike the population (Europe over-represented, where B1 is more common), so the
unweighted share is about 3.5 points too high and only the raking recovers the truth.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..export.pipeline import answer_variables, released_variables
from ..questionnaires.model import Questionnaire

WAVES = ("2026", "2028", "2030")
TRUE_B1_SHARE = {"2026": 0.30, "2028": 0.35, "2030": 0.40}
# Population (register) margins: sex and region of origin, as breakdown and group ids.
POPULATION = {
    "sex": {"female": 9200, "male": 10775, "diverse": 25},
    "origin": {"middle_east": 8000, "europe": 6000, "africa_other": 6000},
}
SAMPLE_ORIGIN = {"middle_east": 0.2, "europe": 0.5, "africa_other": 0.3}
# B1 or better: the wave's population share plus this per region (population-weighted sum is 0).
B1_OFFSET = {"middle_east": -0.075, "europe": 0.1, "africa_other": 0.0}
COUNTRIES = {
    "middle_east": ("SY", "IQ", "AF", "TR"),
    "europe": ("UA", "RO", "PL", "RU"),
    "africa_other": ("ER", "SO", "NG", "VN"),
}
SMALL_GROUP = 3  # respondents who answer gender 'diverse', in every wave


def _column(rng: np.random.Generator, variable, size: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    question = variable.question
    kind = question.type_name if question is not None else variable.name
    if kind == "multiple_choice":
        return (rng.random(size) < 0.25).astype(np.int64)
    if variable.value_labels:
        return rng.choice([value for value, _label in variable.value_labels], size)
    if kind in ("integer", "year", "decimal"):
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else low + 60
        if kind == "year":
            low, high = max(low, 1950), min(high if question.maximum is not None else 2025, 2025)
        return rng.integers(int(low), int(min(high, low + 80)) + 1, size)
    if kind == "consent":
        return np.ones(size, dtype=np.int64)
    if kind == "country":
        return rng.choice(["SY", "UA", "DE", "ER"], size)
    if kind == "language":
        return rng.choice(["ar", "uk", "ti", "de"], size)
    if kind == "mode":
        return rng.choice(["self", "assisted"], size, p=[0.8, 0.2])
    if kind == "language":
        return rng.choice(["de", "ar"], size)
    if kind == "device":
        return rng.choice(["mobile", "desktop"], size)
    if kind == "start_month":
        return np.full(size, "2026-05")
    if kind == "duration_min":
        return rng.integers(8, 41, size)
    return np.full(size, "-4")


def wave_frame(questionnaire: Questionnaire, wave: str, size: int, rng: np.random.Generator) -> pd.DataFrame:
    """One wave's rows, as an export writes them (level-0 values, missing codes)."""
    variables = released_variables(answer_variables(questionnaire), ())
    columns: dict[str, object] = {"respondent": [f"{wave}-{i:06d}" for i in range(size)], "wave": np.full(size, wave)}
    for variable in variables:
        columns[variable.name] = _column(rng, variable, size)
    frame = pd.DataFrame(columns)
    regions = list(SAMPLE_ORIGIN)
    region = rng.choice(len(regions), size, p=list(SAMPLE_ORIGIN.values()))
    frame["country_birth"] = [COUNTRIES[regions[r]][k] for r, k in zip(region, rng.integers(0, 4, size), strict=True)]
    gender = np.where(rng.random(size) < 0.55, 1, 2)
    gender[rng.choice(size, SMALL_GROUP, replace=False)] = 3
    frame["gender"] = gender
    b1 = rng.random(size) < np.array([TRUE_B1_SHARE[wave] + B1_OFFSET[regions[r]] for r in region])
    frame["german_cert"] = np.where(b1, rng.choice([3, 4, 5], size), rng.choice([0, 1, 2], size))
    frame["language"] = rng.choice(["de", "ar", "uk", "ru", "ti", "fa"], size)
    return frame


def write_export(folder: Path, questionnaire: Questionnaire, frame: pd.DataFrame, wave: str | None) -> Path:
    """Write `frame` as an export folder: the CSV and a manifest naming the questionnaire and wave."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{questionnaire.id}.csv" if wave is None else f"{questionnaire.id}-wave-{wave}.csv"
    frame.to_csv(folder / name, index=False, encoding="utf-8", lineterminator="\n")
    manifest = {
        "software": {"name": "wetterau-survey", "version": "synthetic"},
        "parameters": {
            "questionnaire": questionnaire.id,
            "wave": wave or "all",
            "responses": len(frame),
            "source": "synthetic (survey/evaluation/synthetic.py)",
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def write_margins(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["variable", "category", "population"])
        for variable, categories in POPULATION.items():
            for category, population in categories.items():
                writer.writerow([variable, category, population])
    return path


def write_study(
    out: Path,
    questionnaire: Questionnaire,
    size: int = 1000,
    seed: int = 13,
    waves: Sequence[str] = WAVES,
    panel: float = 0.0,
) -> list[Path]:
    """Export folders for `waves` (one per wave; with `panel` > 0 one folder spanning all waves where
    that share of each wave's respondents answered the wave before too) and `margins.csv`."""
    rng = np.random.default_rng(seed)
    frames = [wave_frame(questionnaire, wave, size, rng) for wave in waves]
    out.mkdir(parents=True, exist_ok=True)
    write_margins(out / "margins.csv")
    if panel > 0:
        for previous, frame in itertools.pairwise(frames):
            keep = int(len(frame) * panel)
            frame.loc[: keep - 1, "respondent"] = previous["respondent"].iloc[:keep].to_numpy()
        return [write_export(out / "export-panel", questionnaire, pd.concat(frames, ignore_index=True), None)]
    return [
        write_export(out / f"export-{wave}", questionnaire, frame, wave)
        for wave, frame in zip(waves, frames, strict=True)
    ]
