"""Flask-Babel set-up and the page language: explicit choice (session), then Accept-Language,
then the default. Templates get `page_lang`, `page_dir` and `localized()` for questionnaire texts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import Babel, force_locale, get_locale, get_translations
from markupsafe import Markup, escape

from .languages import autonym, babel_locale_name, bcp47, is_known_language, text_direction

SOURCE_LANGUAGE = "en"  # msgids are English


def catalog_languages(app: Flask) -> list[str]:
    """BCP 47 tags of the UI catalogs in translations/, plus English (the msgids)."""
    found = {SOURCE_LANGUAGE}
    for directory in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        base = Path(directory)
        if base.is_dir():
            found |= {bcp47(path.parent.parent.name) for path in base.glob("*/LC_MESSAGES/messages.po")}
    return sorted(found)


def offered_languages() -> list[str]:
    """Languages a person may choose: UI catalogs and every questionnaire language."""
    return current_app.extensions["survey.languages"]


def default_language() -> str:
    return bcp47(current_app.config["BABEL_DEFAULT_LOCALE"])


def current_language() -> str:
    """The page language as a BCP 47 tag."""
    if not has_request_context():
        return default_language()
    if "lang" not in g:
        g.lang = _choose_language()
    return g.lang


def _choose_language() -> str:
    offered = offered_languages()
    chosen = session.get("lang")
    if chosen in offered:
        return chosen
    best = request.accept_languages.best_match(offered + [babel_locale_name(t) for t in offered])
    return bcp47(best) if best else default_language()


def set_language(tag: str) -> bool:
    """Remember an explicit choice; False when the language is not offered."""
    if tag not in offered_languages():
        return False
    session["lang"] = tag
    g.lang = tag
    return True


def _locale_selector() -> str:
    return babel_locale_name(current_language())


def _switch_language_from_query() -> Any:
    """`?lang=xx` on any page switches language and comes back to the same page, answers kept."""
    tag = request.args.get("lang")
    if tag is None or request.method != "GET":
        return None
    set_language(tag)
    args = request.args.to_dict(flat=False)
    args.pop("lang", None)
    query = urlencode(args, doseq=True)
    return redirect(request.path + (f"?{query}" if query else ""), code=303)


@dataclass(frozen=True)
class Localized:
    """A questionnaire text ready for a page: the text, and its language where it is a fallback."""

    value: str
    lang: str
    fallback: bool

    @property
    def attrs(self) -> Markup:
        if not self.fallback:
            return Markup("")
        # The class shows a marker: this text is not (or no longer) translated.
        return Markup(' lang="%s" dir="%s" class="fallback"') % (escape(self.lang), text_direction(self.lang))

    def __str__(self) -> str:
        return self.value


def localized(text: Any, lang: str | None = None, answers: Any = None, questionnaire: Any = None) -> Localized:
    from ..questionnaires.model import pipe

    lang = lang or current_language()
    value = text.get(lang)
    if answers is not None and questionnaire is not None:
        value = pipe(value, answers, questionnaire, lang)
    actual = text.language_of(lang)
    return Localized(value, actual, actual != lang)


def text_of(ctx: Mapping[str, Any], text: Any) -> Markup:
    """A questionnaire text as `<span>` markup for questions.html, whose `ctx` carries lang, answers
    and questionnaire; marked up where it is a fallback (see `Localized`)."""
    lang = ctx["lang"]
    if "{{" in text.get(lang) and ctx.get("questionnaire") is not None:  # pipes in earlier answers
        from ..questionnaires.model import pipe_markup

        shown = localized(text, lang)
        return _span(
            Localized(pipe_markup(shown.value, ctx["answers"], ctx["questionnaire"], lang), shown.lang, shown.fallback)
        )
    return _fixed_span(text, lang)


@lru_cache(maxsize=8192)
def _fixed_span(text: Any, lang: str) -> Markup:
    # The same on every page: questionnaires are immutable and texts without pipes depend on nothing else.
    return _span(localized(text, lang))


def _span(shown: Localized) -> Markup:
    return Markup("<span%s>%s</span>") % (shown.attrs, shown.value)


def _translations() -> Any:
    """The catalog of the current locale, found once per request and locale: Flask-Babel finds it
    again on every `_()` of a template, a dozen per page. `force_locale` still applies (a new locale)."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    found = g.get("_survey_translations")
    if found is None or found[0] is not locale:
        found = g._survey_translations = (locale, get_translations())
    return found[1]


def in_language(tag: str, caller: Callable[[], str]) -> Markup:
    """`{% call in_language(tag) %}...{% endcall %}`: the body's messages in another language than the
    page's, for a block addressed to another person (an interview's hand-over pages)."""
    with force_locale(babel_locale_name(tag)):
        return Markup(caller())


def _install_gettext(app: Flask) -> None:
    """Templates' `_()` and friends, as Flask-Babel installs them, but on the request's catalog."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: _translations().ugettext(string),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n),
    )


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=_locale_selector)
    _install_gettext(app)
    app.before_request(_switch_language_from_query)
    app.jinja_env.globals.update(
        bdi=lambda value: Markup("<bdi>%s</bdi>") % value,  # isolate numbers and names in any direction
        current_language=current_language,
        text_direction=text_direction,
        autonym=autonym,
        localized=localized,
        in_language=in_language,
        text_of=text_of,
        offered_languages=offered_languages,
    )
    app.extensions["survey.languages"] = catalog_languages(app)


def register_languages(app: Flask, tags: list[str]) -> None:
    """Add questionnaire languages to what people may choose (called when questionnaires load)."""
    known = set(app.extensions["survey.languages"])
    known |= {tag for tag in tags if is_known_language(tag)}
    app.extensions["survey.languages"] = sorted(known)
