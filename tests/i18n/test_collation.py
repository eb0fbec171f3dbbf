"""Country and language lists sort as CLDR sorts them in the page language: UCA plus each language's rules."""

from __future__ import annotations

import html
import itertools
import re

import pytest

from survey.i18n.collation import RULES, Collator, rules_for, script_primaries, sort_key
from survey.i18n.languages import countries, country_codes, language_codes, languages

from ..journey import Respondent

STUDY_LANGUAGES = [
    "de", "en", "ar", "fa", "fa-AF", "ps", "ckb", "ku", "ti", "so", "tr",
    "uk", "ru", "ro", "pl", "bg", "hr", "it", "sq", "el", "fr",
]  # fmt: skip


def country_names(tag: str) -> list[str]:
    return [name for _, name in countries(tag)]


def in_order(names: list[str], *expected: str) -> bool:
    """The expected names appear in `names` in this order (not necessarily next to each other)."""
    positions = [names.index(name) for name in expected]
    return positions == sorted(positions)


def sort(words: list[str], tag: str) -> list[str]:
    return sorted(words, key=lambda word: sort_key(word, tag))


def primaries(text: str, tag: str) -> tuple[int, ...]:
    key = sort_key(text, tag)
    return key[: key.index(0)]


@pytest.mark.parametrize("tag", STUDY_LANGUAGES)
def test_every_study_language_has_sorted_country_and_language_lists(tag):
    assert len(countries(tag)) == len(country_codes()) and len(languages(tag)) == len(language_codes())
    for pairs in (countries(tag), languages(tag)):
        keys = [sort_key(name, tag) for _, name in pairs]
        assert keys == sorted(keys)


def test_sorted_lists_are_built_once_per_language():
    assert countries("tr") is countries("tr")
    assert languages("fa-AF") is languages("fa-AF")


def test_german_umlauts_sort_with_their_base_letter():
    german = country_names("de")
    assert in_order(german, "Afghanistan", "Ägypten", "Albanien")
    assert in_order(german, "Oman", "Österreich", "Pakistan")


def test_french_accents_are_secondary():
    french = country_names("fr")
    assert in_order(french, "Égypte", "Émirats arabes unis", "Équateur", "Espagne", "Estonie", "États-Unis", "Éthiopie")


def test_turkish_letters_with_cedilla_and_breve_are_letters_of_their_own():
    turkish = country_names("tr")
    assert in_order(turkish, "Cezayir", "Curaçao", "Çad", "Çin", "Danimarka")
    assert sort(["ğ", "gz", "h"], "tr") == ["gz", "ğ", "h"]
    assert sort(["şz", "sz", "ş", "t"], "tr") == ["sz", "ş", "şz", "t"]


def test_turkish_dotless_i_sorts_before_dotted_i():
    names = [name for _, name in languages("tr")]
    assert in_order(names, "Ido", "Interlingue", "İbo dili", "İbranice")  # I is the capital of ı
    assert sort(["iki", "ılık"], "tr") == ["ılık", "iki"]
    assert sort(["iki", "ılık"], "de") == ["iki", "ılık"]


def test_polish_letters_with_diacritics_follow_their_base_letter():
    polish = country_names("pl")
    assert in_order(polish, "Litwa", "Luksemburg", "Łotwa", "Macedonia Północna")
    assert sort(["Śląsk", "Szwecja", "Sudan", "Tonga"], "pl") == ["Sudan", "Szwecja", "Śląsk", "Tonga"]
    assert sort(["żaba", "źle", "zupa"], "pl") == ["zupa", "źle", "żaba"]


def test_romanian_comma_below_and_cedilla_are_the_same_letter_after_t():
    romanian = country_names("ro")
    assert in_order(romanian, "Tuvalu", "Țările de Jos", "Ucraina")
    assert sort_key("Şcoală", "ro") == sort_key("Școală", "ro")
    assert sort(["ăla", "az", "âna", "b"], "ro") == ["az", "ăla", "âna", "b"]


def test_croatian_digraphs_and_letters_with_caron():
    croatian = country_names("hr")
    assert in_order(croatian, "Curaçao", "Čad", "Češka", "Čile", "Danska")
    assert in_order(croatian, "Norveška", "Novi Zeland", "Njemačka", "Obala Bjelokosti")
    assert sort(["Đakovo", "Džibuti", "Dubrovnik", "Egipat"], "hr") == ["Dubrovnik", "Džibuti", "Đakovo", "Egipat"]
    assert sort(["ljubav", "lopta", "ćup", "čaj", "cvijet"], "hr") == ["cvijet", "čaj", "ćup", "lopta", "ljubav"]


def test_albanian_digraphs_follow_their_first_letter():
    albanian = country_names("sq")
    assert in_order(albanian, "Guineja Ekuatoriale", "Gjeorgji", "Gjermani")
    assert in_order(albanian, "Suedi", "Shqipëri", "Tajlandë")
    assert sort(["zhurmë", "zog", "Ʒ"], "sq") == ["zog", "zhurmë", "Ʒ"]


def test_kurmanji_letters_with_cedilla_and_circumflex():
    kurmanji = country_names("ku")
    assert in_order(kurmanji, "Cîbûtî", "Curaçao", "Çad", "Çîn")
    assert sort(["îro", "iz", "ê", "ez", "f"], "ku") == ["ez", "ê", "f", "iz", "îro"]


def test_ukrainian_ghe_with_upturn_and_yi_are_letters_of_their_own():
    assert sort(["їжак", "ірис", "ґанок", "гуска", "дуб", "йод"], "uk") == [
        "гуска",
        "ґанок",
        "дуб",
        "ірис",
        "їжак",
        "йод",
    ]
    assert in_order(country_names("uk"), "Єгипет", "Ємен", "Ізраїль")


@pytest.mark.parametrize(("tag", "native"), [("ru", "Абхазия"), ("uk", "Абхазія"), ("bg", "Абхазия"), ("el", "Ωμέγα")])
def test_cyrillic_and_greek_come_before_latin_in_their_own_languages(tag, native):
    assert sort(["Zulu", native, "Aaland"], tag) == [native, "Aaland", "Zulu"]
    assert sort(["Zulu", native, "Aaland"], "de") == ["Aaland", "Zulu", native]


def test_greek_accents_are_secondary():
    assert in_order(country_names("el"), "Αγία Λουκία", "Άγιος Μαρίνος", "Αγκόλα")


def test_arabic_treats_every_alef_form_as_one_letter():
    arabic = country_names("ar")
    # hamza above and below alternate: the letters after the alef decide
    assert in_order(arabic, "أروبا", "إريتريا", "إسبانيا", "أستراليا", "إستونيا")
    assert in_order(arabic, "الكويت", "ألمانيا", "المغرب")
    assert sort(["Oman", "عمان"], "ar") == ["عمان", "Oman"]


def test_persian_order_of_letters():
    persian = country_names("fa")
    assert in_order(persian, "برزیل", "پاکستان", "تاجیکستان")  # پ after ب
    assert in_order(persian, "جیبوتی", "چین")  # چ after ج
    assert in_order(persian, "زیمبابوه", "ژاپن", "سری\u200cلانکا")  # ژ after ز
    assert in_order(persian, "کانادا", "گرجستان", "لبنان")  # گ after ک
    assert in_order(persian, "ونزوئلا", "ویتنام", "هائیتی", "هلند")  # و before ه, unlike Arabic
    assert in_order(persian, "آلمان", "اتریش")  # آ before ا


def test_persian_treats_arabic_kaf_and_yeh_as_the_persian_letters():
    assert primaries("كويت", "fa") == primaries("کویت", "fa")
    assert primaries("كويت", "ckb") == primaries("کویت", "ckb")
    assert primaries("كويت", "ar") != primaries("کویت", "ar")


def test_dari_uses_the_pashto_rules_as_cldr_does():
    assert rules_for("fa-AF") == rules_for("fa_AF") == RULES["ps"]
    assert sort(["تور", "ټول", "ثمر"], "ps") == ["تور", "ټول", "ثمر"]  # ټ is a letter after ت


def test_sorani_alphabet():
    sorani = country_names("ckb")
    assert sorani[0].startswith("ئ")
    assert in_order(sorani, "ڕواندا", "ڕووسیا", "زامبیا")  # ڕ after ر, before ز
    assert primaries("ھایتی", "ckb") == primaries("هایتی", "ckb")  # two spellings of h


def test_tigrinya_sorts_by_the_ethiopic_syllabary_before_latin():
    assert sort(["ሐ", "ለ", "ሀ", "Zulu"], "ti") == ["ሀ", "ለ", "ሐ", "Zulu"]
    assert in_order(country_names("ti"), "ሃንጋሪ", "ኤርትራ", "ጀርመን")


def test_unknown_languages_sort_by_the_root_collation():
    assert rules_for("xx") == rules_for("de") == ""
    assert sort(["Zebra", "Äpfel", "Apfel"], "xx") == ["Apfel", "Äpfel", "Zebra"]


def test_scripts_that_can_be_reordered_do_not_overlap():
    ranges = sorted(script_primaries(script) for script in ("Latn", "Grek", "Cyrl", "Arab", "Ethi"))
    assert all(high < next_low for (_, high), (next_low, _) in itertools.pairwise(ranges))


def test_rules_that_collation_cannot_read_are_refused():
    with pytest.raises(ValueError, match="unsupported"):
        Collator("[caseFirst upper]")
    with pytest.raises(ValueError, match="share a place"):
        Collator("&a<x &a<y")


def test_country_list_on_an_arabic_page_is_in_arabic_order(client):
    respondent = Respondent(client, "every-type")
    respondent.start("ar")
    respondent.answer("consent", {"consent": "yes"})
    respondent.answer("birth", {"birth_year": "1990"})
    page = respondent.page("origin").data.decode()
    select = re.search(r'<select[^>]*name="country_birth".*?</select>', page, re.S)
    assert select is not None
    shown = [html.unescape(name) for name in re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]*)</option>', select[0])]
    assert shown == country_names("ar")
    assert in_order(shown, "إسبانيا", "أستراليا", "ألمانيا")
