"""The study's own texts agree with each other: the birth-year hint and its error give the same example,
and each language writes Wetterau the same way in the questionnaire title as in the page footer."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from survey.i18n.languages import babel_locale_name
from survey.questionnaires.loader import load_file

from ..conftest import ROOT

STUDY = load_file(ROOT / "questionnaires" / "wetterau-integration.json")[0]


def catalog(language: str):
    path = ROOT / "translations" / babel_locale_name(language) / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["de", "ar", "ps", "ti", "uk"])
def test_birth_year_error_repeats_the_example_of_its_hint(app, language):
    question = STUDY.question("birth_year")
    hint_years = set(re.findall(r"\d{4}", question.help.get(language)))
    with app.test_request_context("/", headers={"Accept-Language": babel_locale_name(language)}):
        error_years = set(re.findall(r"\d{4}", str(question.format_message)))
    assert hint_years == error_years == {"1985"}


LATIN_WETTERAU = re.compile(r"Wetterau(?!kreis\))")  # Latin outside the official name in brackets


@pytest.mark.parametrize("language", [tag for tag in STUDY.language_tags if tag not in ("de", "en")])
def test_title_and_footer_write_wetterau_in_the_same_script(language):
    footer = catalog(language)["Wetteraukreis · Fachstelle Integration"].string
    title = STUDY.title.get(language)
    assert bool(LATIN_WETTERAU.search(footer.replace("(Wetteraukreis)", ""))) == bool(
        LATIN_WETTERAU.search(title.replace("(Wetteraukreis)", ""))
    ), (title, footer)
