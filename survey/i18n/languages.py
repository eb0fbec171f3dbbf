"""Language facts from CLDR (Babel) and ISO lists (pycountry): names, direction, sorting."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError

from .collation import sort_key

# CLDR has no locale for every script direction we need; these are right-to-left whatever Babel says.
_RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ckb", "ur", "he", "yi", "dv", "sd", "ug"})


def babel_locale_name(tag: str) -> str:
    """BCP 47 tag ('fa-AF') to the locale name Babel and gettext use ('fa_AF')."""
    return tag.replace("-", "_")


def bcp47(locale_name: str) -> str:
    return locale_name.replace("_", "-")


@cache
def locale_for(tag: str) -> Locale | None:
    try:
        return Locale.parse(babel_locale_name(tag))
    except (UnknownLocaleError, ValueError):
        return None


def is_known_language(tag: str) -> bool:
    return locale_for(tag) is not None


def text_direction(tag: str) -> str:
    """'rtl' or 'ltr' for a BCP 47 tag."""
    if tag.split("-")[0] in _RTL_LANGUAGES:
        return "rtl"
    locale = locale_for(tag)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


@cache
def autonym(tag: str) -> str:
    """A language's own name in its own script ('دری' for Dari, 'Türkçe' for Turkish)."""
    locale = locale_for(tag)
    if locale is None:
        return tag
    own = locale.languages.get(babel_locale_name(tag)) or locale.get_display_name(locale) or tag
    return own[:1].upper() + own[1:] if own[:1].islower() else own


def sorted_for(tag: str, pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs in the collation order of language `tag`; equal names fall back to the code."""
    return tuple(sorted(pairs, key=lambda pair: (sort_key(pair[1], tag), pair[1], pair[0])))


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def countries(tag: str) -> tuple[tuple[str, str], ...]:
    """ISO 3166 alpha-2 codes with their CLDR names in `tag`, sorted for that language."""
    locale = locale_for(tag) or Locale("en")
    english = Locale("en").territories
    pairs = [(code, locale.territories.get(code) or english.get(code) or code) for code in country_codes()]
    return sorted_for(tag, pairs)


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 codes plus Sorani, Kurmanji and Dari, which have only ISO 639-3 codes."""
    codes = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    codes |= {"ckb", "kmr", "prs"}
    return frozenset(codes)


def language_name(code: str, tag: str) -> str:
    locale = locale_for(tag) or Locale("en")
    name = locale.languages.get(code) or Locale("en").languages.get(code)
    if name is None:
        record = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
        name = record.name if record is not None else code
    return name


@cache
def languages(tag: str) -> tuple[tuple[str, str], ...]:
    """ISO 639 codes with their CLDR names in `tag`, sorted for that language."""
    pairs = [(code, language_name(code, tag)) for code in language_codes()]
    return sorted_for(tag, pairs)
