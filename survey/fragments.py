"""Markup that many requests share, rendered once per app and kept: the language switcher, question
blocks whose answers are codes, `{% kept %}` parts of templates, and whole question pages whose
questions are all kept (their skeleton: everything but the session's CSRF token). Each key names
everything the markup depends on; nothing a person typed is ever kept."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_request_context, render_template, request
from flask_babel import get_locale
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .questionnaires.questions import Question
    from .respond.forms import FieldError

KEPT_ENTRIES = 4096  # far more than pages x languages x locales of a study
KEPT_CHARACTERS = 8_000_000  # a country list is about 12,000 characters; a radio question 2,000
KEPT_PAGES = 2048  # whole pages (a question page is 5,000 to 20,000 characters), in a store of their own
TOKEN_STAND_IN = "\x00csrf-token\x00"  # where a kept page's token goes; no template writes NUL


class Kept:
    """A bounded store of rendered markup. An entry also holds the object its key names by `id()`, so
    that an id reused by another object never finds the old object's markup."""

    def __init__(self, entries: int = KEPT_ENTRIES, characters: int = KEPT_CHARACTERS) -> None:
        self.entries = entries
        self.characters = characters
        self._kept: dict[Hashable, tuple[object, Markup]] = {}
        self._size = 0

    def find(self, key: Hashable, owner: object = None) -> Markup | None:
        entry = self._kept.get(key)
        return entry[1] if entry is not None and entry[0] is owner else None

    def keep(self, key: Hashable, markup: Markup, owner: object = None) -> Markup:
        if len(self._kept) >= self.entries or self._size + len(markup) > self.characters:
            # Simpler than least-recently-used, and not reached by a real study.
            self._kept.clear()
            self._size = 0
        self._kept[key] = (owner, markup)
        self._size += len(markup)
        return markup

    def once(self, key: Hashable, render: Callable[[], str], owner: object = None) -> Markup:
        found = self.find(key, owner)
        return found if found is not None else self.keep(key, Markup(render()), owner)


def kept() -> Kept:
    return current_app.extensions["survey.fragments"]


def page_with_token(
    key: Hashable,
    owner: object,
    render: Callable[[Callable[[], str]], str],
    token: str,
    keep: Callable[[], bool],
) -> str:
    """A page whose only part that differs between people is the CSRF token. `render(csrf_token)`
    makes it with the given token function. When `keep()` says that everything else on the page is
    named by `key` (asked only when nothing is kept under it yet), the page is rendered once with a
    stand-in for the token, kept, and later requests only put their own token in its place. A page
    that does not use the token exactly once is rendered afresh every time."""
    store: Kept = current_app.extensions["survey.pages"]
    found = store.find(key, owner)
    if found is None:
        if not keep():
            return render(lambda: token)
        skeleton = render(lambda: TOKEN_STAND_IN)
        if skeleton.count(TOKEN_STAND_IN) != 1:
            return render(lambda: token)
        found = store.keep(key, Markup(skeleton), owner)
    head, _, tail = str(found).partition(TOKEN_STAND_IN)
    return head + str(escape(token)) + tail


def language_switcher(choices: Sequence[str], page_lang: str, form_id: str = "") -> Markup:
    """`_languages.html` for these languages on a page in `page_lang`: the same on every such page in
    the same UI locale. With `form_id`, buttons of the enclosing form (in a `<details>` of that id)."""
    return kept().once(
        ("switcher", tuple(choices), page_lang, str(get_locale()), form_id),
        lambda: render_template("_languages.html", switch_languages=choices, page_lang=page_lang, form_id=form_id),
    )


def question_block(question: Question, form: Any, ctx: Mapping[str, Any], located: Sequence[FieldError]) -> Markup:
    """questions.html's `question` macro with the errors `located` on this question. Without errors,
    the markup of a question whose answers are codes is kept per question, chosen codes, page language,
    `ctx.heading` and UI locale, unless it depends on more (see `_keepable`)."""
    if located or not question.coded:
        return _question_macro()(question, form, [error.message for error in located], ctx, located)
    lang = ctx["lang"]
    chosen = chosen_codes(question, form)
    key = ("question", id(question), lang, bool(ctx["heading"]), str(get_locale()), chosen)
    store = kept()
    found = store.find(key, question)
    if found is not None:
        return found
    markup = _question_macro()(question, form, [], ctx, located)
    return store.keep(key, markup, question) if _keepable(question, lang, chosen) else markup


def _question_macro() -> Callable[..., Markup]:
    return current_app.jinja_env.get_template("questions.html").module.question  # type: ignore[attr-defined]


def chosen_codes(question: Question, form: Any) -> tuple[tuple[Any, ...], ...]:
    """What the form holds for each of the question's fields (part of a kept markup's key)."""
    return tuple(_values(form[name].data) for name in question.field_names())


def keepable(question: Question, lang: str, chosen: tuple[tuple[Any, ...], ...]) -> bool:
    """Whether the question's markup with these choices is the same for everyone (see `_keepable`)."""
    return question.coded and _keepable(question, lang, chosen)


def _values(data: Any) -> tuple[Any, ...]:
    if data is None:
        return ()
    return (data,) if isinstance(data, str) else tuple(data)


def _keepable(question: Question, lang: str, chosen: tuple[tuple[Any, ...], ...]) -> bool:
    """Whether the markup is the same for everyone who chose these codes: each is one of the question's
    own (never typed text), no text pipes in an earlier answer, and no audio player (its URL)."""
    from .questionnaires.questions import TamperedInput

    if question.audio.has(lang) or any("{{" in text.get(lang) for text in question.texts().values()):
        return False
    if not all(isinstance(value, str) for values in chosen for value in values):
        return False
    try:
        question.check_posted({name: list(values) for name, values in zip(question.field_names(), chosen, strict=True)})
    except TamperedInput:
        return False
    return True


_PLACES = itertools.count()


class KeptExtension(Extension):
    """`{% kept key, ... %}...{% endkept %}`: the body is rendered once per app and key, and the markup
    is kept. The key must name everything the body depends on; the place in the template, the UI
    locale and the script root (which prefixes every URL) are always part of it."""

    tags = {"kept"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        # Unique per compiled template: templates made from strings have no name to tell them apart.
        place = nodes.Const(f"{parser.name}:{lineno}:{next(_PLACES)}")
        key: nodes.Expr = nodes.Const(())
        if not parser.stream.current.test("block_end"):
            key = parser.parse_tuple()
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", [place, key]), [], [], body).set_lineno(lineno)

    def _render(self, place: str, key: Hashable, caller: Callable[[], str]) -> Markup:
        script_root = request.script_root if has_request_context() else ""
        return kept().once(("kept", place, key, str(get_locale()), script_root), caller)


def init_app(app: Flask) -> None:
    app.extensions["survey.fragments"] = Kept()
    app.extensions["survey.pages"] = Kept(KEPT_PAGES, KEPT_CHARACTERS)
    app.jinja_env.add_extension(KeptExtension)
    app.jinja_env.globals.update(language_switcher=language_switcher, question_block=question_block)
