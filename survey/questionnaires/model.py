"""Immutable objects a questionnaire file is parsed into; every text is a map from language to text."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .values import TODAY

if TYPE_CHECKING:
    from .expressions import Calculation, Condition, Ref
    from .questions.base import Question

PIPE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class Text:
    """A text in several languages; `get` falls back to the questionnaire's default language."""

    by_language: tuple[tuple[str, str], ...]
    default_language: str
    # The same texts as a map, built once: pages look texts up many times per request.
    _texts: dict[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_texts", dict(self.by_language))

    @classmethod
    def of(cls, mapping: Mapping[str, str] | None, default_language: str) -> Text:
        return cls(tuple(sorted((mapping or {}).items())), default_language)

    def __bool__(self) -> bool:
        return bool(self.by_language)

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._texts)

    def has(self, lang: str) -> bool:
        return lang in self._texts

    def get(self, lang: str) -> str:
        texts = self._texts
        if lang in texts:
            return texts[lang]
        return texts.get(self.default_language, next(iter(texts.values()), ""))

    def language_of(self, lang: str) -> str:
        """The language `get(lang)` actually returns text in (for `lang` attributes on fallbacks)."""
        return lang if self.has(lang) else self.default_language


@dataclass(frozen=True)
class Option:
    code: int
    label: Text
    exclusive: bool = False  # "none of these": cannot be combined with other options


@dataclass(frozen=True)
class Row:
    id: str
    text: Text


@dataclass(frozen=True)
class Hierarchy:
    """How a quasi-identifier is generalised in exports: numeric bands, a built-in, or maps."""

    bands: tuple[int, ...] = ()
    builtin: str | None = None
    levels: tuple[tuple[tuple[str, str], ...], ...] = ()

    @property
    def depth(self) -> int:
        if self.bands:
            return len(self.bands)
        if self.builtin:
            return 2
        return len(self.levels)


@dataclass(frozen=True)
class Computed:
    """A named value worked out from answers (and the interview date): usable like an answer in
    conditions and piping, exported as a variable of its own."""

    id: str
    label: Text
    calculation: Calculation
    privacy: str = "none"
    pointer: str = ""
    hierarchy: None = None  # quasi computed values follow the generalisation of what they read

    @property
    def kind(self) -> str:
        return self.calculation.kind

    def display(self, value: Any) -> str:
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
        return str(value)


@dataclass(frozen=True)
class Page:
    id: str
    title: Text
    questions: tuple[Question, ...]
    show_if: Condition | None = None
    pointer: str = ""


@dataclass(frozen=True)
class LanguageInfo:
    tag: str
    reviewed: bool
    note: str = ""


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    introduction: Text
    default_language: str
    languages: tuple[LanguageInfo, ...]
    pages: tuple[Page, ...]
    access: str = "open"
    wave: str = "1"
    resume: bool = False  # offer "continue later" with a resume code
    source: str = ""
    computed: tuple[Computed, ...] = ()
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    _computed: dict[str, Computed] = field(default_factory=dict, compare=False, repr=False)
    _pages: dict[str, Page] = field(default_factory=dict, compare=False, repr=False)
    # What other layers work out once from this questionnaire (it never changes), kept with it.
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, name: str, build: Callable[[Questionnaire], Any]) -> Any:
        """`build(self)`, worked out on first use and kept with the questionnaire (e.g. the skip-logic
        plan): it lives and dies with the questionnaire, so no cache keyed by its id is needed."""
        found = self._derived.get(name)
        if found is None:
            found = self._derived.setdefault(name, build(self))  # two threads may both build; one wins
        return found

    def __post_init__(self) -> None:
        for page in self.pages:
            self._pages.setdefault(page.id, page)  # the first of a repeated id, as the scan found it
            for question in page.questions:
                self._questions[question.id] = question
        for computed in self.computed:
            self._computed[computed.id] = computed

    def computed_value(self, name: str) -> Computed | None:
        """The computed value called `name`, or None when it is a question (or nothing)."""
        return self._computed.get(name)

    @cached_property
    def language_tags(self) -> tuple[str, ...]:
        return tuple(info.tag for info in self.languages)

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def questions(self) -> Iterator[Question]:
        for page in self.pages:
            yield from page.questions

    def page(self, page_id: str) -> Page:
        return self._pages[page_id]

    def page_of(self, question_id: str) -> Page:
        for page in self.pages:
            if any(q.id == question_id for q in page.questions):
                return page
        raise KeyError(question_id)


def utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def lookup(
    questionnaire: Questionnaire, answers: Mapping[str, Any], today: datetime.date | None = None
) -> Callable[[Ref], Any]:
    """What expressions see: an answer's comparable value, a computed value (worked out from the
    answers), or the interview date (`today`, by default the current UTC date)."""
    today_iso = (today or utc_today()).isoformat()

    def value(ref: Ref) -> Any:
        if ref.question == TODAY:
            return today_iso
        computed = questionnaire.computed_value(ref.question)
        if computed is not None:
            return computed.calculation.value(value)
        question = questionnaire.question(ref.question)
        return question.comparable(answers.get(ref.question), ref.row)

    return value


def piped_value(
    name: str, answers: Mapping[str, Any], questionnaire: Questionnaire, lang: str, today: datetime.date | None = None
) -> str:
    """The display form of an earlier answer or a computed value; empty when there is none."""
    computed = questionnaire.computed_value(name)
    if computed is not None:
        found = computed.calculation.value(lookup(questionnaire, answers, today))
        return "" if found is None else computed.display(found)
    answer = answers.get(name)
    if answer is None:
        return ""
    return questionnaire.question(name).display(answer, lang)


# Unicode's first-strong isolate and its closing mark: bidi isolation where no markup can go (titles).
FSI, PDI = "\u2068", "\u2069"


def pipe(text: str, answers: Mapping[str, Any], questionnaire: Questionnaire, lang: str) -> str:
    """Replace `{{name}}` by the display form of an earlier answer or computed value (empty when there
    is none), isolated with FSI/PDI so that a value in another script keeps its own direction."""

    def replace(match: re.Match[str]) -> str:
        shown = piped_value(match.group(1), answers, questionnaire, lang)
        return f"{FSI}{shown}{PDI}" if shown else ""

    return PIPE.sub(replace, text)


def pipe_markup(text: str, answers: Mapping[str, Any], questionnaire: Questionnaire, lang: str) -> Markup:
    """`pipe` as HTML: the text escaped, each piped value escaped and wrapped in `<bdi>` (a Latin name
    in an Arabic sentence, an Arabic name in a German one, reads in its own direction)."""
    parts: list[Markup] = []
    position = 0
    for match in PIPE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        shown = piped_value(match.group(1), answers, questionnaire, lang)
        if shown:
            parts.append(Markup("<bdi>%s</bdi>") % shown)
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
