"""The reports' own words in German and English, and numbers written as each language writes them.

The reports are documents for the county, in its two languages; the platform's 21 interface languages
(gettext catalogs) are for the pages, not for these. The words themselves are data, in words.json."""

from __future__ import annotations

import json
import math
from pathlib import Path

LANGUAGES = ("de", "en")
WITHHELD = "."  # as official tables mark a value withheld for confidentiality


def _read_words() -> dict[str, dict[str, str]]:
    """words.json: the languages once, then each key's texts in that order."""
    data = json.loads(Path(__file__).with_name("words.json").read_text(encoding="utf-8"))
    if tuple(data["languages"]) != LANGUAGES:
        raise ValueError(f"words.json is in {data['languages']}, not {list(LANGUAGES)}")
    return {key: dict(zip(LANGUAGES, texts, strict=True)) for key, texts in data["words"].items()}


WORDS = _read_words()


def word(key: str, /, lang: str, **values: object) -> str:
    text = WORDS[key][lang]
    return text % values if values else text


def number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return WITHHELD
    text = f"{value:,.{digits}f}"
    if lang == "de":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def figure(value: float | None, lang: str, share: bool, signed: bool = False) -> str:
    """A share as a percentage (or percentage points when `signed`), a mean as a number."""
    if value is None or math.isnan(value):
        return WITHHELD
    shown = number(value * 100 if share else value, lang)
    if signed and value > 0:
        shown = "+" + shown
    if share and not signed:
        return f"{shown} %" if lang == "de" else f"{shown}%"
    return shown


def interval(lower: float | None, upper: float | None, lang: str, share: bool) -> str:
    if lower is None or upper is None or math.isnan(lower) or math.isnan(upper):
        return WITHHELD
    return f"{figure(lower, lang, share, signed=False)} – {figure(upper, lang, share, signed=False)}"


def p_value(p: float | None, lang: str) -> str:
    if p is None or math.isnan(p):
        return WITHHELD
    if p < 0.001:
        return "< 0,001" if lang == "de" else "< 0.001"
    return number(p, lang, 3)
