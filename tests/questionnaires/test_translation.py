"""Translator round trip (PO files), per-language status, outdated translations, digits."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from survey.questionnaires import translation
from survey.questionnaires.cli import questionnaire as questionnaire_cli
from survey.questionnaires.loader import load_file
from survey.questionnaires.questions import normalise_digits

from ..conftest import ROOT, TEST_QUESTIONNAIRES, make_app
from ..journey import Respondent

STUDY = ROOT / "questionnaires" / "wetterau-integration.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(STUDY, tmp_path / STUDY.name)
    shutil.copy(TEST_QUESTIONNAIRES / "every-type.json", tmp_path / "every-type.json")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(questionnaire_cli, list(args))


def test_shipped_files_are_in_their_one_canonical_form():
    for path in [STUDY, *TEST_QUESTIONNAIRES.glob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert translation.dump(json.loads(text)) == text, path


def test_po_round_trip_without_edits_leaves_the_file_byte_identical(folder):
    before = (folder / STUDY.name).read_bytes()
    po = folder / "ar.po"
    assert run("extract", "wetterau-integration", "--lang", "ar", "--out", str(po), "--dir", str(folder)).exit_code == 0
    result = run("translate", "wetterau-integration", "--lang", "ar", "--po", str(po), "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "0 updated" in result.output
    assert (folder / STUDY.name).read_bytes() == before


def test_po_entries_carry_pointer_source_and_help_as_comment(folder):
    po = folder / "tr.po"
    run("extract", "every-type", "--lang", "ar", "--out", str(po), "--dir", str(folder))
    catalog = read_po(io.BytesIO(po.read_bytes()))
    entry = next(message for message in catalog if message.context == "/pages/1/questions/0/text")
    assert entry.id == "In welchem Jahr sind Sie geboren?" and entry.string == "في أي سنة ولدت؟"


def edit_po(po: Path, pointer: str, text: str) -> None:
    catalog = read_po(io.BytesIO(po.read_bytes()))
    next(message for message in catalog if message.context == pointer).string = text
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po.write_bytes(buffer.getvalue())


def test_a_translation_comes_back_with_its_source_hash_and_changing_the_source_marks_it_outdated(folder):
    po = folder / "ar.po"
    run("extract", "every-type", "--lang", "ar", "--out", str(po), "--dir", str(folder))
    edit_po(po, "/pages/1/questions/0/text", "ما هي سنة ميلادك؟")
    result = run("translate", "every-type", "--lang", "ar", "--po", str(po), "--dir", str(folder))
    assert "1 updated" in result.output
    path = folder / "every-type.json"
    data = json.loads(path.read_text())
    assert data["pages"][1]["questions"][0]["text"]["ar"] == "ما هي سنة ميلادك؟"
    assert data["translated_from"]["ar"]["/pages/1/questions/0/text"] == translation.source_hash(
        "In welchem Jahr sind Sie geboren?"
    )
    # The German source changes: the Arabic translation is now outdated.
    data["pages"][1]["questions"][0]["text"]["de"] = "In welchem Jahr wurden Sie geboren?"
    path.write_text(translation.dump(data), encoding="utf-8")
    status = run("status", "every-type", "--dir", str(folder)).output
    assert next(line for line in status.splitlines() if line.startswith("ar ")).split()[1:4] == ["34", "0", "1"]
    questionnaire, problems = load_file(path)
    assert any("translation into 'ar' is outdated" in p.message for p in problems)
    assert questionnaire.question("birth_year").text.get("ar") == "In welchem Jahr wurden Sie geboren?"
    # An old PO file cannot overwrite the new source's text.
    again = run("translate", "every-type", "--lang", "ar", "--po", str(po), "--dir", str(folder))
    assert "1 skipped because their source text changed" in again.output


def test_respondents_see_the_marked_default_text_instead_of_an_outdated_translation(folder, tmp_path):
    path = folder / "every-type.json"
    data = json.loads(path.read_text())
    data["translated_from"] = {"ar": {"/pages/1/questions/0/text": "000000000000"}}
    path.write_text(translation.dump(data), encoding="utf-8")
    (folder / STUDY.name).unlink()
    from survey.migrations import upgrade

    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", questionnaire_dir=folder)
    upgrade(app.extensions["survey.db"].engine)
    person = Respondent(app.test_client(), "every-type")
    person.start("ar")
    person.answer("consent", {"consent": "yes"})
    html = person.page("birth").data.decode()
    assert '<span lang="de" dir="ltr" class="fallback">In welchem Jahr sind Sie geboren?</span>' in html
    assert "في أي سنة ولدت؟" not in html
    app.extensions["survey.db"].dispose()


def test_translator_errors_are_clear(folder):
    po = folder / "x.po"
    assert (
        "not among the questionnaire's languages"
        in run("extract", "every-type", "--lang", "sw", "--out", str(po), "--dir", str(folder)).output
    )
    assert (
        "is the default language"
        in run("extract", "every-type", "--lang", "de", "--out", str(po), "--dir", str(folder)).output
    )
    run("extract", "wetterau-integration", "--lang", "ar", "--out", str(po), "--dir", str(folder))
    wrong = run("translate", "every-type", "--lang", "ar", "--po", str(po), "--dir", str(folder))
    assert wrong.exit_code != 0 and "for another questionnaire" in wrong.output
    po.write_text('msgid "x\nthis is not a po file', encoding="utf-8")
    broken = run("translate", "every-type", "--lang", "ar", "--po", str(po), "--dir", str(folder))
    assert broken.exit_code != 0
    assert "no questionnaire with id 'nope'" in run("status", "nope", "--dir", str(folder)).output


@pytest.mark.parametrize(("typed", "expected"), [("١٩٩٠", "1990"), ("۱۳۶۹", "1369"), ("٢٫٥", "2.5"), ("12", "12")])
def test_eastern_arabic_and_persian_digits_are_normalised(typed, expected):
    assert normalise_digits(typed) == expected


def test_a_year_typed_in_arabic_digits_is_stored_as_a_number(app, client):
    person = Respondent(client, "every-type")
    person.start("ar")
    person.answer("consent", {"consent": "yes"})
    response = person.answer("birth", {"birth_year": "١٩٨٥"})
    assert response.status_code == 303
    assert 'value="1985"' in person.page("birth").data.decode()


def test_recorded_audio_plays_where_a_file_exists_and_is_simply_absent_otherwise(app, client):
    _, problems = load_file(TEST_QUESTIONNAIRES / "every-type.json")
    assert any(p.pointer == "/pages/1/questions/0/audio/de" and "not found" in p.message for p in problems)
    arabic = Respondent(client, "every-type")
    arabic.start("ar")
    arabic.answer("consent", {"consent": "yes"})
    html = arabic.page("birth").data.decode()
    assert '<audio controls preload="none" src="/every-type/audio/birth_year/ar"' in html
    with client.get("/every-type/audio/birth_year/ar") as sound:
        assert sound.status_code == 200 and sound.data[:4] == b"RIFF"
    assert client.get("/every-type/audio/birth_year/de").status_code == 404
    german = Respondent(app.test_client(), "every-type")
    german.start("de")
    german.answer("consent", {"consent": "yes"})
    assert "<audio" not in german.page("birth").data.decode()
