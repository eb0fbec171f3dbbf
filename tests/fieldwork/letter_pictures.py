"""Pictures of the letters for docs/fieldwork.md: `.venv/bin/python -m tests.fieldwork.letter_pictures`.

Renders one invitation per script with a made-up address and code (pdftoppm from poppler-utils)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from survey.fieldwork import letters
from survey.fieldwork.mailing import Entry
from survey.vault import codes

from ..conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "fieldwork"
STUDY = ROOT / "tests" / "data" / "fieldwork"
PEOPLE = {
    "ar": ("Amina", "Al-Hassan"),
    "ckb": ("Dilan", "Ahmad"),
    "ti": ("Selam", "Tesfay"),
    "uk": ("Olena", "Kovalenko"),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{Path(folder) / 'pictures.sqlite3'}", questionnaire_dir=STUDY)
        with app.app_context():
            from survey import questionnaires

            questionnaire = questionnaires.get("letters-study")
            for number, (lang, (given, family)) in enumerate(PEOPLE.items(), 1):
                address = {
                    "given_name": given,
                    "family_name": family,
                    "street": "Hauptstraße",
                    "house_number": str(10 + number),
                    "address_extra": "",
                    "postcode": "61169",
                    "city": "Friedberg",
                }
                data = f"7KQ2M9XD4H{number}"
                code = data + codes._check_character(data)
                entry = Entry(number, f"R{number:06d}", code, lang, "demo", address)
                html = letters.render_html(questionnaire, [entry], "invitation", "https://umfrage.wetteraukreis.de")
                pdf = letters.write_pdf(html, Path(folder) / f"{lang}.pdf")
                last = "2" if lang == "ar" else "1"
                subprocess.run(
                    ["pdftoppm", "-r", "45", "-png", "-f", "1", "-l", last, str(pdf), str(OUT / f"letter-{lang}")],
                    check=True,
                )
        app.extensions["survey.db"].dispose()
    print(f"wrote {sorted(path.name for path in OUT.glob('letter-*.png'))}")


if __name__ == "__main__":
    main()
