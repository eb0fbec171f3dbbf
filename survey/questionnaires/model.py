"""Immutable objects a questionnaire file is parsed into; every text is a map from language to text."""

from __future__ import annotations

import datetime
import functools
import re
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .values import TODAY

if TYPE_CHECKING:
    from .expressions import Calculation, Condition, Ref
    from .questions.base import Question

# `{{name}}`, or `{{name[2]}}` for the answer of a roster's member 2 (see `Roster`).
PIPE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)(?:\[([1-9][0-9]?)\])?\s*\}\}")


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
            return 1 if self.builtin == "suppress" else 2
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
    roster: str = ""  # worked out once per member of this roster ("" for the whole response)

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
    # A page of a roster asked for one member: the roster's id and the member's number (from 1).
    roster: str = ""
    member: int = 0
    template: str = ""  # the roster page this one is asked from (its id without the member number)

    @property
    def adds_member(self) -> bool:
        """The "add another?" page of a roster (asked after `member` members)."""
        return bool(self.roster) and not self.template


@dataclass(frozen=True)
class Roster:
    """A group of pages asked once per member (of a household, say). The number of members is the
    answer to an earlier integer question (`count`) or grows by an "add another?" page after each
    member (`add_another`, no JavaScript needed). Member answers are kept per member: in answers,
    `answers[roster.id]` is a list of maps from question id to answer, member 1 first."""

    id: str
    title: Text
    pages: tuple[Page, ...]
    position: int  # how many of the questionnaire's top-level pages come before it
    max_members: int
    count: str | None = None
    add_another: Question | None = None  # the yes/no question of the "add another?" page
    name: str | None = None  # the question that names a member (e.g. the first name)
    show_if: Condition | None = None
    computed: tuple[Computed, ...] = ()
    pointer: str = ""

    def questions(self) -> Iterator[Question]:
        for page in self.pages:
            yield from page.questions

    def member_page(self, template: Page, member: int) -> Page:
        """A roster page as asked for one member; its id is the template's id and the member number."""
        return Page(
            f"{template.id}.{member}",
            template.title,
            template.questions,
            template.show_if,
            template.pointer,
            roster=self.id,
            member=member,
            template=template.id,
        )

    def add_page(self, members: int) -> Page:
        """The "add another?" page after `members` members (id: the roster's id and that number)."""
        assert self.add_another is not None
        return Page(f"{self.id}.{members}", self.title, (self.add_another,), None, self.pointer, self.id, members)


def member_answers(answers: Mapping[str, Any], roster: str, member: int) -> Mapping[str, Any]:
    """What a member's pages see: the member's own answers before every other answer."""
    members = answers.get(roster) or []
    own = members[member - 1] if 0 < member <= len(members) and isinstance(members[member - 1], dict) else {}
    return ChainMap(own, answers)  # type: ignore[arg-type]


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
    rosters: tuple[Roster, ...] = ()
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
        # Roster questions and computed values are looked up like any other (with a member's answers).
        for roster in self.rosters:
            for question in roster.questions():
                self._questions[question.id] = question
            for computed in roster.computed:
                self._computed[computed.id] = computed

    def roster(self, roster_id: str) -> Roster | None:
        for roster in self.rosters:
            if roster.id == roster_id:
                return roster
        return None

    def roster_of(self, question_id: str) -> Roster | None:
        """The roster a question or computed value belongs to (None for the rest of the questionnaire)."""
        for roster in self.rosters:
            if any(q.id == question_id for q in roster.questions()) or any(
                c.id == question_id for c in roster.computed
            ):
                return roster
        return None

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
        """A page by id; a roster page asked for member n is `page.n`, an "add another?" page `roster.n`."""
        found = self._pages.get(page_id)
        if found is not None:
            return found
        base, dot, number = page_id.rpartition(".")
        if dot and number.isdigit() and str(int(number)) == number:
            members = int(number)
            for roster in self.rosters:
                if members > roster.max_members:
                    continue
                if roster.id == base and roster.add_another is not None and members < roster.max_members:
                    return roster.add_page(members)
                for template in roster.pages:
                    if template.id == base and members >= 1:
                        return roster.member_page(template, members)
        raise KeyError(page_id)

    def page_of(self, question_id: str) -> Page:
        for page in self.pages:
            if any(q.id == question_id for q in page.questions):
                return page
        raise KeyError(question_id)


def utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


@functools.lru_cache(maxsize=64)
def _iso(day: datetime.date) -> str:
    """A date as ISO text, kept for the few days an export or a server sees (a lookup is made per
    roster member, and formatting the date again each time cost more than the lookup itself)."""
    return day.isoformat()


def _roster_ids(questionnaire: Questionnaire) -> frozenset[str]:
    return frozenset(roster.id for roster in questionnaire.rosters)


def lookup(
    questionnaire: Questionnaire, answers: Mapping[str, Any], today: datetime.date | None = None
) -> Callable[[Ref], Any]:
    """What expressions see: an answer's comparable value, a computed value (worked out from the
    answers), or the interview date (`today`, by default the current UTC date)."""
    today_iso = _iso(today or utc_today())
    rosters: frozenset[str] = questionnaire.derived("model.roster_ids", _roster_ids)  # once, not per lookup

    def value(ref: Ref) -> Any:
        if ref.question == TODAY:
            return today_iso
        if ref.question in rosters:  # any()/all() over members: one lookup per member
            members = answers.get(ref.question) or []
            return tuple(lookup(questionnaire, ChainMap(member, answers), today) for member in members)  # type: ignore[arg-type]
        computed = questionnaire.computed_value(ref.question)
        if computed is not None:
            return computed.calculation.value(value)
        question = questionnaire.question(ref.question)
        return question.comparable(answers.get(ref.question), ref.row)

    return value


def piped_value(
    name: str,
    answers: Mapping[str, Any],
    questionnaire: Questionnaire,
    lang: str,
    today: datetime.date | None = None,
    member: int | None = None,
) -> str:
    """The display form of an earlier answer or a computed value; empty when there is none. With a
    `member` number, the answer or value of that member of the roster `name` belongs to."""
    if member is not None:
        roster = questionnaire.roster_of(name)
        if roster is None:
            return ""
        answers = member_answers(answers, roster.id, member)
    computed = questionnaire.computed_value(name)
    if computed is not None:
        found = computed.calculation.value(lookup(questionnaire, answers, today))
        return "" if found is None else computed.display(found)
    answer = answers.get(name)
    if answer is None:
        return ""
    return questionnaire.question(name).display(answer, lang)


def _member(match: re.Match[str]) -> int | None:
    return int(match.group(2)) if match.group(2) else None


# Unicode's first-strong isolate and its closing mark: bidi isolation where no markup can go (titles).
FSI, PDI = "\u2068", "\u2069"


def pipe(text: str, answers: Mapping[str, Any], questionnaire: Questionnaire, lang: str) -> str:
    """Replace `{{name}}` by the display form of an earlier answer or computed value (empty when there
    is none), isolated with FSI/PDI so that a value in another script keeps its own direction."""

    def replace(match: re.Match[str]) -> str:
        shown = piped_value(match.group(1), answers, questionnaire, lang, member=_member(match))
        return f"{FSI}{shown}{PDI}" if shown else ""

    return PIPE.sub(replace, text)


def pipe_markup(text: str, answers: Mapping[str, Any], questionnaire: Questionnaire, lang: str) -> Markup:
    """`pipe` as HTML: the text escaped, each piped value escaped and wrapped in `<bdi>` (a Latin name
    in an Arabic sentence, an Arabic name in a German one, reads in its own direction)."""
    parts: list[Markup] = []
    position = 0
    for match in PIPE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        shown = piped_value(match.group(1), answers, questionnaire, lang, member=_member(match))
        if shown:
            parts.append(Markup("<bdi>%s</bdi>") % shown)
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
