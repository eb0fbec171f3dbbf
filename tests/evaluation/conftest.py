"""Shared data for the evaluation tests: the study questionnaire and synthetic exports of three waves."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.evaluation import synthetic
from survey.evaluation.indicators import Indicators, load_file
from survey.questionnaires.loader import load_file as load_questionnaire
from survey.questionnaires.model import Questionnaire

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "questionnaires" / "wetterau-integration.json"
STUDY_INDICATORS = ROOT / "questionnaires" / "wetterau-integration.indicators.json"


@pytest.fixture(scope="session")
def study() -> Questionnaire:
    questionnaire, _ = load_questionnaire(STUDY)
    assert questionnaire is not None
    return questionnaire


@pytest.fixture(scope="session")
def indicators(study: Questionnaire) -> Indicators:
    return load_file(STUDY_INDICATORS, study)


@pytest.fixture(scope="session")
def three_waves(study: Questionnaire, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three export folders of 800 responses each and margins.csv, in one folder."""
    out = tmp_path_factory.mktemp("three-waves")
    synthetic.write_study(out, study, size=800, seed=1)
    return out


def folders(out: Path) -> list[Path]:
    return [out / f"export-{wave}" for wave in synthetic.WAVES]


@pytest.fixture(scope="session")
def study_runner(tmp_path_factory: pytest.TempPathFactory):
    """A CLI runner of an app that loads the study's questionnaires (no database is touched)."""
    from ..conftest import make_app

    application = make_app(
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'study.sqlite3'}", questionnaire_dir=ROOT / "questionnaires"
    )
    return application.test_cli_runner()
