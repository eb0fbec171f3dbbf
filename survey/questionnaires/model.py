"""Immutable objects a questionnaire file is parsed into; every text is a map from language to text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .expressions import Condition
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
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for page in self.pages:
            for question in page.questions:
                self._questions[question.id] = question

    @cached_property
    def language_tags(self) -> tuple[str, ...]:
        return tuple(info.tag for info in self.languages)

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def questions(self) -> Iterator[Question]:
        for page in self.pages:
            yield from page.questions

    def page(self, page_id: str) -> Page:
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)

    def page_of(self, question_id: str) -> Page:
        for page in self.pages:
            if any(q.id == question_id for q in page.questions):
                return page
        raise KeyError(question_id)


def pipe(text: str, answers: Mapping[str, Any], questionnaire: Questionnaire, lang: str) -> str:
    """Replace `{{question_id}}` by the display form of an earlier answer (empty when unanswered)."""

    def replace(match: re.Match[str]) -> str:
        question_id = match.group(1)
        answer = answers.get(question_id)
        if answer is None:
            return ""
        return questionnaire.question(question_id).display(answer, lang)

    return PIPE.sub(replace, text)
