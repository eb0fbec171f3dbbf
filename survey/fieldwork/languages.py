"""Which second language a letter is written in, by the recipient's nationality.

The defaults below are a starting point for the Wetterau study's languages; a site overrides them with
FIELDWORK_LANGUAGES in instance/config.py, and a sample design with its [languages] table. A nationality
without a mapping, or mapped to a language the questionnaire does not offer, gets the German letter
only (it still carries the line in every study language).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DEFAULT_LANGUAGES: dict[str, str] = {
    **dict.fromkeys(["SY", "IQ", "LB", "JO", "EG", "MA", "TN", "DZ", "LY", "SD", "YE", "PS", "SA"], "ar"),
    "AF": "fa-AF",
    "IR": "fa",
    "TR": "tr",
    "UA": "uk",
    **dict.fromkeys(["RU", "BY", "KZ", "KG", "UZ", "AM", "AZ", "GE"], "ru"),
    **dict.fromkeys(["RO", "MD"], "ro"),
    "PL": "pl",
    "BG": "bg",
    **dict.fromkeys(["HR", "BA"], "hr"),
    "IT": "it",
    **dict.fromkeys(["AL", "XK"], "sq"),
    **dict.fromkeys(["GR", "CY"], "el"),
    **dict.fromkeys(["FR", "CM", "CI", "SN", "CD", "GN", "ML", "TG", "BF", "BJ"], "fr"),
    "ER": "ti",
    "SO": "so",
    "GB": "en",
    "US": "en",
    "NG": "en",
    "GH": "en",
}


def mapping(*overrides: Mapping[str, str]) -> dict[str, str]:
    """The defaults with each override applied in turn (site config, then the sample design)."""
    merged = dict(DEFAULT_LANGUAGES)
    for override in overrides:
        merged.update({key.upper(): value for key, value in override.items()})
    return merged


def letter_language(nationality: str, languages: Mapping[str, str], offered: Iterable[str]) -> str:
    """The letter's second language, or "de" for a German-only letter."""
    chosen = languages.get(nationality.upper(), "de")
    return chosen if chosen in set(offered) else "de"
