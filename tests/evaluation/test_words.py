"""The reports' words (survey/evaluation/words.json): both languages for every key with the same
placeholders, and the words as the reports print them, pinned."""

from __future__ import annotations

import hashlib
import json
import re

from survey.evaluation.words import LANGUAGES, WORDS, word

# sha256 of every word in both languages (WORDS as sorted JSON). A change to the reports' wording
# changes it: check the reports, then write the new digest here.
DIGEST = "ac1e4698caf9a118dba71504ddab9639ea92dd539f26ebfd3a776caf5f2b2faf"


def test_every_word_is_in_both_languages_with_the_same_placeholders() -> None:
    assert LANGUAGES == ("de", "en") and len(WORDS) == 92
    for key, texts in WORDS.items():
        assert tuple(texts) == LANGUAGES, key
        placeholders = {lang: sorted(re.findall(r"%\((\w+)\)s", text)) for lang, text in texts.items()}
        assert placeholders["de"] == placeholders["en"], key


def test_the_reports_words_are_pinned() -> None:
    shown = json.dumps(WORDS, ensure_ascii=False, sort_keys=True).encode()
    assert hashlib.sha256(shown).hexdigest() == DIGEST
    assert word("change_since", "de", earlier="2026", later="2028") == "Veränderung 2026 bis 2028"
    assert word("change_since", "en", earlier="2026", later="2028") == "Change 2026 to 2028"
    assert word("withheld_note", "de", min_n=5).startswith("„.“: Wert aus Gründen der Geheimhaltung")
    assert word("other_language", "en") == "Deutsche Fassung" and word("interval", "de") == "95-%-Konfidenzintervall"
    # "%%" in a text with placeholders is a literal percent sign once filled in.
    assert "±10 % ihres Werts" in word("suppression_text", "de", below=4, count=0)
