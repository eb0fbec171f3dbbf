"""Read the anonymised export folders `flask export` writes (manifest.json + the CSV) into one table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import EvaluationInputError

__all__ = ["EvaluationInputError", "Responses", "read_export", "read_exports"]


@dataclass(frozen=True)
class Responses:
    questionnaire: str
    data: pd.DataFrame  # every export's rows; `respondent` is prefixed by its export unless it spans waves
    waves: tuple[str, ...]  # in the order the exports and their rows give them
    sources: tuple[str, ...]  # one line per export folder, for the methods appendix
    panel: bool  # some respondent ids occur in more than one wave


def read_export(folder: Path) -> tuple[str, pd.DataFrame, str]:
    """(questionnaire id, rows, the CSV file's name) of one export folder."""
    manifest_path = folder / "manifest.json"
    if not folder.is_dir():
        raise EvaluationInputError(f"{folder}: not a folder (give the folder an export wrote)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        parameters = manifest["parameters"]
        questionnaire = parameters["questionnaire"]
    except FileNotFoundError:
        raise EvaluationInputError(f"{manifest_path}: not found; is {folder} an export folder?") from None
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise EvaluationInputError(f"{manifest_path}: not an export manifest ({error})") from None
    wave = parameters.get("wave", "all")
    name = f"{questionnaire}.csv" if wave == "all" else f"{questionnaire}-wave-{wave}.csv"
    path = folder / name
    if not path.is_file():
        raise EvaluationInputError(f"{path}: not found; export with --format csv")
    try:
        data = pd.read_csv(path, dtype={"respondent": str, "wave": str}, low_memory=False)
    except pd.errors.EmptyDataError:
        raise EvaluationInputError(f"{path}: empty file") from None
    for column in ("respondent", "wave"):
        if column not in data.columns:
            raise EvaluationInputError(f"{path}: no column '{column}'")
    if data.empty:
        raise EvaluationInputError(f"{path}: wave {wave} holds no responses (an empty wave cannot be estimated)")
    return questionnaire, data, path.name


def read_exports(folders: Sequence[Path]) -> Responses:
    """Every export, one after the other. Two exports may not hold the same wave; respondent ids link
    waves only inside one export (the export keys them per export), so each is prefixed by its export."""
    if not folders:
        raise EvaluationInputError("give at least one export folder (--export DIR)")
    frames = []
    found: dict[str, Path] = {}
    questionnaire = ""
    sources = []
    for number, folder in enumerate(folders, start=1):
        qid, data, name = read_export(Path(folder))
        if questionnaire and qid != questionnaire:
            raise EvaluationInputError(f"{folder}: holds '{qid}', the first export '{questionnaire}'")
        questionnaire = qid
        for wave in pd.unique(data["wave"]):
            if wave in found:
                raise EvaluationInputError(f"{folder}: wave {wave} is in {found[wave]} too")
            found[wave] = Path(folder)
        data["respondent"] = f"e{number}:" + data["respondent"].astype(str)
        frames.append(data)
        sources.append(
            f"{Path(folder).name}/{name}: {len(data)} responses, waves {', '.join(map(str, pd.unique(data['wave'])))}"
        )
    data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    waves = tuple(sorted((str(wave) for wave in pd.unique(data["wave"])), key=_wave_order))
    panel = bool(data.groupby("respondent")["wave"].nunique().gt(1).any())
    return Responses(questionnaire, data, waves, tuple(sources), panel)


def _wave_order(wave: str) -> tuple[int, float, str]:
    """Numbered waves by number, others by name after them."""
    try:
        return (0, float(wave), wave)
    except ValueError:
        return (1, 0.0, wave)
