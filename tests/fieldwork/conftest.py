"""Fieldwork fixtures: a folder for mailing files, a register extract and a design on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.migrations import upgrade

from ..conftest import make_app
from .synthetic import register_rows, write_register

STUDY = Path(__file__).resolve().parents[1] / "data" / "fieldwork"

SMALL_DESIGN = """
size = 60
allocation = "proportional"
[strata.arabic]
nationalities = ["SY", "IQ"]
[strata.turkish]
nationalities = ["TR"]
[strata.other]
nationalities = ["*"]
"""


@pytest.fixture
def fieldwork_dir(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "fieldwork"
    monkeypatch.setitem(app.config, "FIELDWORK_DIR", str(folder))
    return folder


@pytest.fixture
def register_file(tmp_path: Path) -> Path:
    return write_register(tmp_path / "register.csv", register_rows(400))


@pytest.fixture
def design_file(tmp_path: Path) -> Path:
    path = tmp_path / "design.toml"
    path.write_text(SMALL_DESIGN, encoding="utf-8")
    return path


@pytest.fixture
def study(tmp_path: Path):
    """An app of its own (SQLite) with the letters study: code access, 21 languages, a matrix page."""
    application = make_app(
        f"sqlite:///{tmp_path / 'survey.sqlite3'}",
        questionnaire_dir=STUDY,
        FIELDWORK_DIR=str(tmp_path / "fieldwork"),
        BASE_URL="https://umfrage.wetteraukreis.de",
    )
    upgrade(application.extensions["survey.db"].engine)
    yield application
    application.extensions["survey.db"].dispose()


def draw_args(register: Path, design: Path, seed: int = 42, questionnaire: str = "panel") -> list[str]:
    return [
        "fieldwork",
        "draw",
        "--questionnaire",
        questionnaire,
        "--register",
        str(register),
        "--design",
        str(design),
        "--seed",
        str(seed),
    ]


def draw_id(output: str) -> str:
    """The draw id from `fieldwork draw`'s first line ("draw <id>: ...")."""
    return output.split()[1].rstrip(":")
