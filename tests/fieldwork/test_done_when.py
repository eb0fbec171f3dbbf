"""Issue 14's acceptance run: a register of 20,000, a stratified draw of 2,000, letters checked by text
extraction and one rendered page per script, codes redeemed through the respondent pages, a reminder
batch of exactly the non-completers, and RR1/RR2 as counted by hand."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from survey.fieldwork import letters, mailing
from survey.fieldwork.models import SampleDraw
from survey.fieldwork.reminders import reminder_batch
from survey.vault.codes import display

from .conftest import draw_id
from .synthetic import DESIGN, register_rows, write_register
from .test_dispositions import begin

# Iraqi Kurds get Sorani letters, Pakistanis Pashto: the design's [languages] overrides the defaults.
OVERRIDES = '\n[languages]\nIQ = "ckb"\nPK = "ps"\n'
SCRIPTS = {  # letter language -> (a greeting from its catalog, the font its script needs)
    "ar": ("عزيزي المقيم", "Noto-Naskh-Arabic"),
    "fa": ("ساکن گرامی", "Noto-Naskh-Arabic"),
    "fa-AF": ("باشنده محترم", "Noto-Naskh-Arabic"),
    "ps": ("ګرانه اوسېدونکیه", "Noto-Naskh-Arabic"),
    "ckb": ("دانیشتووی بەڕێز", "Noto-Naskh-Arabic"),
    "ti": ("ክቡር ነባሪ", "Noto-Sans-Ethiopic"),
}

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdftoppm, pdffonts) are needed to read the letters",
)


def _text(pdf: Path) -> str:
    """The PDF's text in reading order; pdftotext marks right-to-left runs with embedding controls."""
    found = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True)
    return found.stdout.replace("\u202b", "").replace("\u202c", "")


def _heh(text: str) -> str:
    return text.replace("\u06d5", "\u0647")


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout


def _answer_all(person) -> None:
    person.answer("consent", {"consent": "yes"})
    person.answer("arrival", {"arrival": "2015"})
    person.answer("work", {"work": "1"})
    person.answer("health", {"health": "2"})
    person.answer("wellbeing", {f"wellbeing-{row}": "2" for row in ("work", "home", "health", "friends")})
    assert person.submit().location.endswith("/letters-study/done")


def test_register_to_reminders_and_rates(study, tmp_path):
    runner = study.test_cli_runner()
    register = write_register(tmp_path / "register.csv", register_rows(20_000, seed=14))
    design = tmp_path / "design.toml"
    design.write_text(DESIGN + OVERRIDES, encoding="utf-8")
    args = ["fieldwork", "draw", "--questionnaire", "letters-study", "--register", str(register)]
    result = runner.invoke(args=[*args, "--design", str(design), "--seed", "2026"])
    assert result.exit_code == 0, result.output
    found = draw_id(result.output)
    base = tmp_path / "fieldwork"
    entries = mailing.read(base, found)
    assert len(entries) == 2000

    # Stratified: each stratum's share of the sample is its share of the frame (to one person).
    with study.extensions["survey.db"].sessions() as session:
        strata = json.loads(session.get(SampleDraw, found).strata)
    frame = sum(stratum["population"] for stratum in strata.values())
    assert frame == 20_000
    drawn = Counter(entry.stratum for entry in entries)
    for name, stratum in strata.items():
        assert drawn[name] == stratum["sample"]
        assert abs(stratum["sample"] - 2000 * stratum["population"] / frame) < 1

    # Letters: one per second language through the same rendering as `fieldwork letters`.
    by_language = {}
    for entry in entries:
        by_language.setdefault(entry.language, entry)
    assert set(SCRIPTS) <= set(by_language)
    with study.app_context():
        from survey import questionnaires

        questionnaire = questionnaires.get("letters-study")
        html = letters.render_html(
            questionnaire, list(by_language.values()), "invitation", "https://umfrage.wetteraukreis.de"
        )
        pdf = letters.write_pdf(html, tmp_path / "letters.pdf")
    text = _text(pdf)
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) == 2 * len(by_language)  # two pages a letter
    for entry in by_language.values():
        assert display(entry.code) in text
    assert text.count("Sehr geehrte Einwohnerin, sehr geehrter Einwohner,") == len(by_language)
    assert text.count("Datenschutz: Der Kreis nutzt Ihre") == len(by_language)
    assert text.count("https://umfrage.wetteraukreis.de/letters-study/code?c=") == len(by_language)
    # Sorani's ae (U+06D5) and heh (U+0647) share glyphs in Naskh; a PDF maps each glyph back to one
    # character, so in a file with both, extraction returns heh for either (the page looks the same).
    for lang, (greeting, _font) in SCRIPTS.items():
        assert _heh(greeting) in _heh(text), lang
    # The line in every study language, on every letter: Tigrinya's and Ukrainian's, for instance.
    assert text.count("ብዚ ቋንቋ ክትምልሱ ትኽእሉ ኢኹም") == len(by_language)
    assert text.count("Ви можете відповідати цією мовою") == len(by_language)
    fonts = _fonts(pdf)
    assert "Noto-Naskh-Arabic" in fonts and "Noto-Sans-Ethiopic" in fonts

    # One rendered page per script, each letter on its own: the script's font is embedded and shaped
    # text extracts back to the catalog's words in reading order.
    for lang, (greeting, font) in SCRIPTS.items():
        with study.app_context():
            single = letters.write_pdf(
                letters.render_html(
                    questionnaire, [by_language[lang]], "invitation", "https://umfrage.wetteraukreis.de"
                ),
                tmp_path / f"letter-{lang}.pdf",
            )
        assert font in _fonts(single) and greeting in _text(single)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(single), str(tmp_path / lang)], check=True
        )
        picture = next(tmp_path.glob(f"{lang}-*1.png"))
        assert picture.stat().st_size > 5000  # a page with text on it, not a blank one

    # The command renders one language's letters on its own.
    result = runner.invoke(args=["fieldwork", "letters", "--draw", found, "--language", "ps"])
    assert result.exit_code == 0, result.output
    ps_count = sum(1 for entry in entries if entry.language == "ps")
    assert f"wrote {ps_count} letters" in result.output
    assert oct((base / "letters" / f"{found}-invitation-ps.pdf").stat().st_mode & 0o777) == "0o600"
    assert _text(base / "letters" / f"{found}-invitation-ps.pdf").count("ګرانه اوسېدونکیه") == ps_count

    # Codes redeemed through the respondent pages: 9 complete, 4 partial (3 of 5 pages), 3 started.
    complete, partial, started = entries[:9], entries[9:13], entries[13:16]
    for entry in complete:
        _answer_all(begin(study.test_client(), "letters-study", entry.code))
    for entry in partial:
        person = begin(study.test_client(), "letters-study", entry.code)
        person.answer("consent", {"consent": "yes"})
        person.answer("arrival", {"arrival": "2019"})
        person.answer("work", {"work": "1"})
    for entry in started:
        begin(study.test_client(), "letters-study", entry.code)
    returned = entries[16:18]
    result = runner.invoke(
        args=["fieldwork", "undeliverable", "--questionnaire", "letters-study", *(e.code for e in returned)]
    )
    assert result.exit_code == 0, result.output

    with study.app_context(), study.extensions["survey.db"].sessions() as session:
        batch = reminder_batch(session, base, found)
    reminded = {entry.member for entry in batch.entries}
    hand = {entry.member for entry in entries} - {e.member for e in complete} - {e.member for e in returned}
    assert reminded == hand and len(reminded) == 2000 - 9 - 2

    result = runner.invoke(args=["fieldwork", "rates", "--questionnaire", "letters-study", "--by", "stratum"])
    rows = {row["stratum"]: row for row in csv.DictReader(io.StringIO(result.output))}
    # By hand: RR1 = I / (I + P + R + NC + O + UH + UO); returned letters are unknown eligibility.
    assert float(rows["all"]["RR1_percent"]) == pytest.approx(100 * 9 / 2000, abs=0.005)
    assert float(rows["all"]["RR2_percent"]) == pytest.approx(100 * (9 + 4) / 2000, abs=0.005)
    assert (rows["all"]["complete"], rows["all"]["partial"], rows["all"]["started"]) == ("9", "4", "3")
    assert rows["all"]["undeliverable"] == "2"
    by_stratum = Counter(entry.stratum for entry in complete)
    for name, count in by_stratum.items():
        issued = drawn[name]
        assert float(rows[name]["RR1_percent"]) == pytest.approx(100 * count / issued, abs=0.005)
