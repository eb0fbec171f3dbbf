"""Piped texts offline (survey/static/offline/pipes.js): a Latin name typed on one page and piped
into the Arabic sentences of the next ones is shown as the server shows it, isolated in <bdi>,
element by element and pixel for pixel; the German interviewer's box gets it between FSI and PDI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import InThread
from .markup import assert_same_markup, compare_pages, questionnaire_folder, serving, tags

pytestmark = pytest.mark.browser


def _t(de: str, en: str, ar: str) -> dict[str, str]:
    return {"de": de, "en": en, "ar": ar}


PIPED: dict[str, Any] = {
    "format": 1,
    "id": "piped",
    "version": "1",
    "access": "open",
    "wave": "1",
    "default_language": "de",
    "languages": {"de": {"reviewed": True}, "en": {"reviewed": True}, "ar": {"reviewed": True}},
    "title": _t("Pipes", "Pipes", "أنابيب"),
    "pages": [
        {
            "id": "name",
            "questions": [
                {
                    "id": "first_name",
                    "type": "short_text",
                    "privacy": "direct",
                    "text": _t("Wie heißen Sie?", "What is your name?", "ما اسمك؟"),
                }
            ],
        },
        {
            "id": "children",
            "questions": [
                {
                    "id": "kids",
                    "type": "integer",
                    "privacy": "none",
                    "min": 0,
                    "max": 20,
                    "text": _t(
                        "{{first_name}}, wie viele Kinder?",
                        "{{first_name}}, how many children?",
                        "{{first_name}}، كم عدد أطفالك؟",
                    ),
                    "help": _t("Für {{first_name}}", "For {{first_name}}", "لـ {{first_name}}"),
                }
            ],
        },
        {
            "id": "thanks",
            "questions": [
                {
                    "id": "happy",
                    "type": "single_choice",
                    "privacy": "none",
                    "options": [
                        {"code": 1, "label": _t("Ja, {{first_name}}", "Yes, {{first_name}}", "نعم يا {{first_name}}")},
                        {"code": 2, "label": _t("Nein", "No", "لا")},
                    ],
                    "text": _t(
                        "Danke, {{first_name}}: {{kids}} Kinder. Zufrieden?",
                        "Thank you, {{first_name}}: {{kids}} children. Happy?",
                        "شكراً يا {{first_name}}: لديك {{kids}} أطفال. هل أنت راضٍ؟",
                    ),
                },
                {
                    "id": "bye",
                    "type": "note",
                    "text": _t("Tschüss {{first_name}}", "Bye {{first_name}}", "وداعاً {{first_name}}"),
                },
            ],
        },
    ],
}

# On the server's page, then with the offline block in its place: where each <bdi> sits in the
# respondent block, its bidi isolation, and the reading order of the name's two words.
LAYOUT = """() => {
  const measure = (block) => {
    const origin = block.getBoundingClientRect();
    return Array.from(block.querySelectorAll("bdi"), (bdi) => {
      const box = bdi.getBoundingClientRect();
      const words = ["Antwort", "Ziffern"].map((word) => {
        const text = bdi.firstChild;
        const at = text.textContent.indexOf(word);
        if (at < 0) return null;
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        return Math.round(range.getBoundingClientRect().x);
      });
      return [bdi.textContent, Math.round(box.x - origin.x), Math.round(box.y - origin.y), Math.round(box.width),
        getComputedStyle(bdi).unicodeBidi, words[0] !== null && words[1] !== null && words[0] < words[1]];
    });
  };
  const server = document.querySelector(".respondent");
  const before = measure(server);
  const offline = window.offlineBlock.querySelector(".respondent");
  server.replaceWith(offline);
  return [before, measure(offline)];
}"""


def test_a_latin_name_piped_into_arabic_sentences_is_isolated_as_on_the_server(
    chromium: InThread, tmp_path: Path
) -> None:
    loaded, folder = questionnaire_folder(tmp_path, PIPED)
    layouts: dict[str, Any] = {}

    def look(page: Any, page_id: str, answers: dict[str, Any]) -> None:
        if page_id == "thanks":
            layouts[page_id] = page.evaluate(LAYOUT)

    with serving(tmp_path, folder) as (url, _):
        compared = chromium.within(compare_pages, url, loaded, look)
    assert {"name", "children", "thanks"} <= set(compared)
    assert_same_markup(compared)
    assert "bdi" in tags(compared["thanks"][0][0])
    # The interviewer's box repeats the question in German, the name between FSI and PDI.
    shown = json.dumps(compared["thanks"][0][0], ensure_ascii=False)
    assert "Danke, \u2068Antwort ohne Ziffern\u2069: \u20685\u2069 Kinder. Zufrieden?" in shown
    server, offline = layouts["thanks"]
    assert offline == server
    names = [entry for entry in server if entry[0] == "Antwort ohne Ziffern"]
    assert len(names) == 3  # the question, its first option and the note
    assert all(entry[4] == "isolate" and entry[5] for entry in names)
