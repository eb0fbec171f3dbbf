"""Sorting for a language: the Unicode Collation Algorithm (DUCET, through pyuca) plus CLDR's tailorings for
the study's languages, so a country or language list reads in the order a speaker of the page language expects."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from pyuca.collator import Collator_10_0_0

# (primary, secondary, tertiary) weights of one collation element.
Element = tuple[int, int, int]

# Every DUCET weight is multiplied by SCALE, which leaves SCALE - 1 free weights after each one: a tailoring
# places a letter there (Turkish ç between c and d) without moving any DUCET weight.
SCALE = 64
HALF = SCALE // 2  # `[before n]` uses the upper half of the gap below its anchor
COMMON_SECONDARY = 0x20 * SCALE
COMMON_TERTIARY = 0x02 * SCALE
# A `[reorder]`ed script keeps its weights but moves by multiples of this, which is above every scaled weight.
SCRIPT_STEP = 1 << 24

# The CLDR standard collation rules (common/collation/<language>.xml) for the study's languages, in CLDR's
# own rule syntax so that they can be checked against it line by line. Left out: Arabic presentation forms
# and ligatures, and the order of Arabic vowel marks among themselves (CLDR's names contain none of them).
# de, en, fr, it and so sort by the root collation (DUCET) in CLDR and have no entry.
RULES: dict[str, str] = {
    "tr": "&C<ç<<<Ç &G<ğ<<<Ğ &[before 1]i<ı<<<I &i<<<İ &O<ö<<<Ö &S<ş<<<Ş &U<ü<<<Ü",
    "pl": "&A<ą<<<Ą &C<ć<<<Ć &E<ę<<<Ę &L<ł<<<Ł &N<ń<<<Ń &O<ó<<<Ó &S<ś<<<Ś &Z<ź<<<Ź<ż<<<Ż",
    "ro": "&A<ă<<<Ă<â<<<Â &I<î<<<Î &S<ş=ș<<<Ş=Ș &T<ţ=ț<<<Ţ=Ț",
    "hr": """[reorder Latn Cyrl]
        &C<č<<<Č<ć<<<Ć
        &D<dž<<<ǆ<<<Dž<<<ǅ<<<DŽ<<<Ǆ<đ<<<Đ
        &L<lj<<<ǉ<<<Lj<<<ǈ<<<LJ<<<Ǉ
        &N<nj<<<ǌ<<<Nj<<<ǋ<<<NJ<<<Ǌ
        &S<š<<<Š &Z<ž<<<Ž""",
    "sq": """&[before 1]D<ç<<<Ç &[before 1]E<dh<<<Dh<<<DH &[before 1]F<ë<<<Ë &[before 1]H<gj<<<Gj<<<GJ
        &[before 1]M<ll<<<Ll<<<LL &[before 1]O<nj<<<Nj<<<NJ &[before 1]S<rr<<<Rr<<<RR
        &[before 1]T<sh<<<Sh<<<SH &[before 1]U<th<<<Th<<<TH &[before 1]Y<xh<<<Xh<<<XH
        &[before 1]Ʒ<zh<<<Zh<<<ZH""",
    # Kurmanji (Latin script)
    "ku": """[reorder Latn Arab]
        &c<ç<<<Ç &e<ê<<<Ê &i<î<<<Î &s<ş<<<Ş &u<û<<<Û
        &ê<<é<<<É &î<<í<<<Í &û<<ú<<<Ú &ú<<ù<<<Ù""",
    "ru": "[reorder Cyrl]",
    "bg": "[reorder Cyrl]",
    "uk": "[reorder Cyrl] &Г<ґ<<<Ґ &ꙇ<ї<<<\\uA676<<<Ї",
    "el": "[reorder Grek]",
    "ar": """[reorder Arab]
        &[before 2]ت<<ة
        &[before 2]ي<<ی<<ى
        &ء<<أ<<ؤ<<إ<<ئ<<ىٕ<<ا
        &ءا<<آ""",
    "fa": """[reorder Arab]
        &َ<<ِ<<ُ<<ً<<ٍ<<ٌ
        &[before 1]ا<آ
        &ا<<ٱ<ء<<أ<<ٲ<<إ<<ٳ<<ؤ<<یٔ<<<ىٔ<<<ئ
        &ک<<*ڪګكڬڭڮ
        &ۏ<ه<<ە<<ہ<<ة<<ۃ<<ۀ<<ھ
        &ی<<*ىےيېۑۍێ""",
    # Pashto; CLDR's Dari (fa_AF) imports these rules.
    "ps": """[reorder Arab]
        &َ<<ِ<<ُ<<ً<<ٍ<<ٌ
        &[before 1]ا<آ
        &ا<<أ<<ٲ<<ٱ<<إ<<ٳ<ء
        &ت<ټ<<ٹ &ج<ځ<<حٔ &چ<څ &د<ډ<<ڈ &ر<ړ<<ڑ &ژ<ږ
        &ک<<*ڪك &ګ<<گ &ڼ<<ڻ
        &و<<ؤ<<ۇ<<ۉ
        &ه<<<ۀ<<<هٔ<<*ەہھةۃ
        &ی<<*ىےيېۍ<<یٔ<<<ىٔ<<<ئ
        &\\u00A0<<\\u200C<<\\u200D""",
    # CLDR has no Sorani rules. Ours: Arabic script first as for ar and fa; Arabic kaf and yeh as variants of
    # the Persian letters Sorani writes (as in fa); ڕ right after ر and ه, ھ as one letter, as in the Sorani
    # alphabet (CLDR's own Sorani names write h both ways).
    "ckb": "[reorder Arab] &ر<ڕ &ک<<ك &ه<<ھ &ی<<ي<<ى",
    # CLDR has no Tigrinya rules; Amharic's, the other Ethiopic-script language, put Ethiopic first.
    "ti": "[reorder Ethi]",
}
RULES["fa-af"] = RULES["ps"]
RULES["prs"] = RULES["ps"]  # Dari's ISO 639-3 code
RULES["kmr"] = RULES["ku"]  # Kurmanji's ISO 639-3 code

# Letters of each script that a rule may `[reorder]`: Unicode blocks and the prefix of their character names.
_SCRIPTS: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {
    "Latn": ("LATIN", ((0x41, 0x24F), (0x1E00, 0x1EFF))),
    "Grek": ("GREEK", ((0x370, 0x3FF), (0x1F00, 0x1FFF))),
    "Cyrl": ("CYRILLIC", ((0x400, 0x52F), (0xA640, 0xA69F))),
    "Arab": ("ARABIC", ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF))),
    "Ethi": ("ETHIOPIC", ((0x1200, 0x139F), (0x2D80, 0x2DDF))),
}

_TOKEN = re.compile(r"\s*(?:\[(?P<option>[^\]]*)\]|(?P<relation>&|<<<|<<|<|=)(?P<star>\*?)|(?P<text>[^\s&<=\[]+))")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")
_STRENGTH = {"<": 1, "<<": 2, "<<<": 3, "=": 4}


@cache
def _ducet() -> Collator_10_0_0:
    """pyuca's DUCET table (Unicode 10), loaded once per process on first use (about 0.1 s)."""
    return Collator_10_0_0()


def _ducet_elements(text: str) -> list[Element]:
    if not text:
        return []
    return [(ce[0] * SCALE, ce[1] * SCALE, ce[2] * SCALE) for ce in _ducet().collation_elements(text)]


def _ducet_match_length(text: str, position: int) -> int:
    """Length of the longest DUCET entry (a contraction, or one character) at `position`."""
    matched, _, _ = _ducet().table.find_prefix([ord(char) for char in text[position : position + 4]])
    return max(len(matched), 1)


@cache
def script_primaries(script: str) -> tuple[int, int]:
    """Lowest and highest scaled DUCET primary weight of a script's letters."""
    prefix, blocks = _SCRIPTS[script]
    weights = []
    for start, end in blocks:
        for code_point in range(start, end + 1):
            char = chr(code_point)
            if unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lo") and unicodedata.name(char, "").startswith(
                prefix + " "
            ):
                elements = _ducet_elements(unicodedata.normalize("NFD", char))
                # 0xFB00 and above are implicit weights of letters newer than the table
                if elements and 0 < elements[0][0] < 0xFB00 * SCALE:
                    weights.append(elements[0][0])
    return min(weights) - HALF, max(weights) + SCALE - 1


class Collator:
    """DUCET plus a tailoring in CLDR rule syntax (the subset RULES uses: `&`, `[before 1|2]`, `<`, `<<`,
    `<<<`, `=`, starred lists, `\\uXXXX`, `[reorder ...]`)."""

    def __init__(self, rules: str = "") -> None:
        self._tailored: dict[str, tuple[Element, ...]] = {}  # NFD text -> its elements
        self._longest = 0
        self._reorder: tuple[tuple[int, int, int], ...] = ()  # (lowest, highest, shift) per reordered script
        self._other_scripts_shift = 0
        self._letters_start = 0
        self._apply(rules)

    def sort_key(self, text: str) -> tuple[int, ...]:
        """Primary, secondary and tertiary weights, levels separated by 0 (UCA section 7.3)."""
        elements = self._elements(unicodedata.normalize("NFD", text))
        primaries = [self._reordered(element[0]) for element in elements if element[0]]
        secondaries = [element[1] for element in elements if element[1]]
        tertiaries = [element[2] for element in elements if element[2]]
        return (*primaries, 0, *secondaries, 0, *tertiaries)

    def _elements(self, text: str) -> list[Element]:
        """Elements of NFD text. At each position the longest match wins, as if the tailored strings had
        been added to the DUCET table: a tailored `ي` must not split DUCET's contraction `ي` + hamza (ئ)."""
        elements: list[Element] = []
        run_start = position = 0
        while position < len(text):
            ducet_length = _ducet_match_length(text, position)
            for length in range(min(self._longest, len(text) - position), ducet_length - 1, -1):
                found = self._tailored.get(text[position : position + length])
                if found is not None:
                    elements.extend(_ducet_elements(text[run_start:position]))
                    elements.extend(found)
                    position += length
                    run_start = position
                    break
            else:
                position += ducet_length
        elements.extend(_ducet_elements(text[run_start:]))
        return elements

    def _reordered(self, primary: int) -> int:
        if not self._reorder or primary < self._letters_start:
            return primary  # spaces, punctuation, symbols and digits stay in front
        for lowest, highest, shift in self._reorder:
            if lowest <= primary <= highest:
                return primary + shift
        return primary + self._other_scripts_shift

    def _apply(self, rules: str) -> None:
        position: tuple[Element, ...] = ()
        assigned: set[tuple[Element, ...]] = set()
        strength = 0  # 0: the next text is a reset anchor
        before = 0
        is_list = False
        for token in _tokens(rules):
            option, relation, star, text = token.group("option", "relation", "star", "text")
            if option is not None:
                name, *arguments = option.split()
                if name == "reorder":
                    self._set_reorder(arguments)
                elif name == "before" and strength == 0:
                    before = int(arguments[0])
                elif option != "normalization on":  # this collator always normalises
                    raise ValueError(f"unsupported collation option [{option}]")
            elif relation is not None:
                strength = 0 if relation == "&" else _STRENGTH[relation]
                is_list = bool(star)
            elif strength == 0:
                position = self._anchor(_unescape(text), before)
                before = 0
            else:
                for item in _unescape(text) if is_list else [_unescape(text)]:
                    position = self._relate(position, strength, item, assigned)

    def _anchor(self, text: str, before: int) -> tuple[Element, ...]:
        elements = tuple(self._elements(unicodedata.normalize("NFD", text)))
        if not before:
            return elements
        primary, secondary, _ = elements[-1]
        if before == 1:
            return (*elements[:-1], (primary - HALF, COMMON_SECONDARY, COMMON_TERTIARY))
        return (*elements[:-1], (primary, secondary - HALF, COMMON_TERTIARY))

    def _relate(
        self, position: tuple[Element, ...], strength: int, text: str, assigned: set[tuple[Element, ...]]
    ) -> tuple[Element, ...]:
        primary, secondary, tertiary = position[-1]
        if strength == 1:
            last = (primary + 1, COMMON_SECONDARY, COMMON_TERTIARY)
        elif strength == 2:
            last = (primary, secondary + 1, COMMON_TERTIARY)
        elif strength == 3:
            last = (primary, secondary, tertiary + 1)
        else:
            last = position[-1]
        elements = (*position[:-1], last)
        if strength < 4:
            if elements in assigned:
                raise ValueError(f"two tailored strings share a place: {text!r}")
            assigned.add(elements)
        key = unicodedata.normalize("NFD", text)
        self._tailored[key] = elements
        self._longest = max(self._longest, len(key))
        return elements

    def _set_reorder(self, scripts: Iterable[str]) -> None:
        order = list(scripts)
        self._letters_start = script_primaries("Latn")[0]  # DUCET's first script
        self._reorder = tuple((*script_primaries(script), index * SCRIPT_STEP) for index, script in enumerate(order))
        self._other_scripts_shift = len(order) * SCRIPT_STEP


def _tokens(rules: str) -> Iterable[re.Match[str]]:
    position = 0
    rules = rules.rstrip()
    while position < len(rules):
        token = _TOKEN.match(rules, position)
        if token is None:
            raise ValueError(f"cannot read collation rules at {rules[position : position + 20]!r}")
        position = token.end()
        yield token


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def rules_for(tag: str) -> str:
    """The tailoring for a BCP 47 tag or Babel locale name: the exact tag, else its language, else none."""
    tag = tag.replace("_", "-").lower()
    return RULES.get(tag) or RULES.get(tag.split("-")[0], "")


@cache
def _collator_for_rules(rules: str) -> Collator:
    return Collator(rules)


def collator(tag: str) -> Collator:
    """The collator for a language, built once per process and tailoring."""
    return _collator_for_rules(rules_for(tag))


def sort_key(text: str, tag: str) -> tuple[int, ...]:
    """A key that sorts `text` as CLDR sorts it in language `tag`."""
    return collator(tag).sort_key(text)
