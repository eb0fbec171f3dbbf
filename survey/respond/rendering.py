"""Question pages as HTML. A page on which everything but the CSRF token is the same for everyone
who stands there with the same choices (no text typed, nothing piped, no error, the stylesheet
linked) is rendered once per key and kept; later requests only put in their own token
(`fragments.page_with_token`). The bytes are those of a fresh rendering."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import g, render_template, request
from flask_babel import get_locale

from ..delivery import stylesheet
from ..fragments import chosen_codes, keepable, page_with_token
from ..security import csrf_token

TEMPLATE = "respond/page.html"


def question_page(context: dict[str, Any]) -> str:
    """`respond/page.html` rendered with the context of `pages.question_page`."""
    stylesheet()  # decides (and notes for the CSP header) whether this browser gets it inlined
    if context["errors"] or g.get("inline_style") is not None:
        return render_template(TEMPLATE, **context)
    questions = context["questions"]
    lang = context["lang"]
    form = context["form"]
    if not all(question.coded for question in questions):
        return render_template(TEMPLATE, **context)
    chosen = tuple(chosen_codes(question, form) for question in questions)
    page = context["page"]
    key: Hashable = (
        "question page", page.id, lang, str(get_locale()), request.script_root, context["position"],
        context["total"], context["back_url"], context["return_to"],
        tuple(question.id for question in questions), chosen,
    )  # fmt: skip

    def keep() -> bool:
        title_piped = bool(page.title) and "{{" in page.title.get(lang)
        return not title_piped and all(
            keepable(question, lang, codes) for question, codes in zip(questions, chosen, strict=True)
        )

    def render(token: Callable[[], str]) -> str:
        return render_template(TEMPLATE, **context, csrf_token=token)

    return page_with_token(key, context["questionnaire"], render, csrf_token(), keep)
