"""UI catalogs are complete and current; i18n discipline holds in the code."""

from __future__ import annotations

import ast
import shutil

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.support import Translations

from survey.i18n import catalogs
from survey.i18n.languages import autonym, countries, text_direction

from .conftest import ROOT


def test_catalogs_are_current_complete_and_compiled():
    assert [str(problem) for problem in catalogs.check()] == []


@pytest.fixture
def catalog_copy(tmp_path, monkeypatch):
    """The translations folder copied, and the check pointed at the copy."""
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy)
    monkeypatch.setattr(catalogs, "TRANSLATIONS", copy)
    monkeypatch.setattr(catalogs, "TEMPLATE", copy / "messages.pot")
    return copy


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_catalog_written_by_another_babel_passes_the_check(catalog_copy):
    for path in [catalog_copy / "messages.pot", *catalog_copy.glob("*/LC_MESSAGES/messages.po")]:
        _edit(path, '"Generated-By: Babel', '"Generated-By: Babel 9.99.0')
        _edit(path, '"POT-Creation-Date: ', '"POT-Creation-Date: 2031-05-05 10:00+0000\\n"\n"X-Old: ')
    german = catalogs.read("de")
    german.last_translator = "someone else"  # a header that differs, messages that do not
    with (catalog_copy / "de" / "LC_MESSAGES" / "messages.mo").open("wb") as handle:
        write_mo(handle, german)
    assert catalogs.check() == []


def test_a_changed_msgid_fails_the_check(catalog_copy):
    _edit(catalog_copy / "messages.pot", 'msgid "There is a problem"', 'msgid "There is a problem!"')
    _edit(catalog_copy / "de" / "LC_MESSAGES" / "messages.po", 'msgid "There is a problem"', 'msgid "Problem"')
    problems = [str(problem) for problem in catalogs.check()]
    assert "messages.pot: '': out of date: run 'flask --app survey translations update'" in problems
    assert "de: 'There is a problem': missing from the catalog" in problems
    assert "de: 'Problem': not in messages.pot: run 'translations update'" in problems


def test_a_translation_changed_after_compiling_fails_the_check(catalog_copy):
    _edit(catalog_copy / "de" / "LC_MESSAGES" / "messages.po", 'msgstr "Es gibt ein Problem"', 'msgstr "Fehler"')
    assert [str(problem) for problem in catalogs.check()] == ["de: '': messages.mo is not compiled from messages.po"]


def test_catalogs_exist_for_the_required_languages():
    assert {
        "de",
        "ar",
        "fa",
        "fa_AF",
        "tr",
        "uk",
        "ru",
        "ps",
        "ckb",
        "ku",
        "ti",
        "so",
        "ro",
        "pl",
        "bg",
        "hr",
        "it",
        "sq",
        "el",
        "fr",
    } <= set(catalogs.locales())


@pytest.mark.parametrize("locale", [locale for locale in catalogs.locales() if catalogs.read(locale).num_plurals == 2])
def test_two_form_plurals_follow_cldr(locale):
    """Where a catalog has two plural forms, the first is used exactly for CLDR's "one" (Tigrinya and
    French use it for 0 too, German does not)."""
    translations = Translations.load(str(ROOT / "translations"), [locale])
    rule = Locale.parse(locale).plural_form
    assert [translations.plural(n) == 0 for n in range(30)] == [rule(n) == "one" for n in range(30)]


@pytest.mark.parametrize("tag", ["ar", "fa", "fa-AF", "ps", "ckb", "ur"])
def test_right_to_left_languages(tag):
    assert text_direction(tag) == "rtl"


@pytest.mark.parametrize("tag", ["de", "en", "tr", "uk", "ru", "ku", "ti", "so", "sq"])
def test_left_to_right_languages(tag):
    assert text_direction(tag) == "ltr"


def test_languages_are_named_in_their_own_script():
    assert autonym("ar") == "العربية"
    assert autonym("fa-AF") == "دری"
    assert autonym("uk") == "Українська"
    assert autonym("ti") == "ትግርኛ"


def test_country_names_come_from_cldr_in_the_page_language_and_are_sorted_for_it():
    arabic = dict(countries("ar"))
    assert arabic["SY"] == "سوريا" and arabic["DE"] == "ألمانيا"
    german = [name for _, name in countries("de")]
    assert german.index("Österreich") < german.index("Polen")  # Ö sorts with O, not after Z


GETTEXT = {"_", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def test_no_f_strings_or_concatenation_inside_gettext_calls():
    offenders = []
    for path in (ROOT / "survey").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT and node.args:
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_module_level_strings_use_lazy_gettext():
    offenders = []
    for path in (ROOT / "survey").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            for node in ast.walk(statement):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) in {"gettext", "_", "ngettext"}
                    and not isinstance(statement, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
