"""Letters as one PDF per batch: German plus the recipient's language, a personal QR code, the printed
access code, the open link, a line in every study language and the privacy notice.

Texts come from the UI catalogs (translations/*/LC_MESSAGES/messages.po, the existing PO workflow),
read once per language. WeasyPrint lays the pages out with HarfBuzz, so Arabic-script languages are
joined and ordered right to left, and Ethiopic uses Debian's Noto fonts (fonts-noto-core).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from flask import current_app, render_template
from flask_babel import force_locale, format_date, gettext

from ..i18n import localized
from ..i18n.languages import autonym, babel_locale_name, text_direction
from ..questionnaires.model import Questionnaire
from ..vault.codes import display
from .mailing import Entry

KINDS = ("invitation", "reminder")


@dataclass(frozen=True)
class LetterText:
    """The translated paragraphs of one letter kind in one language."""

    lang: str
    dir: str
    title: str
    greeting: str
    body: str
    how: str
    code_label: str
    privacy: str
    thanks: str
    every_language: str


def isolated(url: str) -> str:
    """A link kept left to right inside right-to-left sentences (Unicode isolates LRI ... PDI)."""
    return f"\u2066{url}\u2069"


def _texts(questionnaire: Questionnaire, lang: str, kind: str, link: str, privacy_url: str) -> LetterText:
    link, privacy_url = isolated(link), isolated(privacy_url)
    with force_locale(babel_locale_name(lang)):
        if kind == "reminder":
            # i18n: reminder letter, first paragraph.
            body = gettext(
                "Some weeks ago we invited you to take part in this survey. If you have already answered, "
                "thank you very much; you need not do anything. If not, we would still be glad to hear from you."
            )
        else:
            # i18n: invitation letter, first paragraph.
            body = gettext(
                "You have been chosen at random from the population register to take part in this survey about "
                "life in the Wetterau district. Taking part is voluntary. Your answers are stored without your "
                "name or address."
            )
        return LetterText(
            lang=lang,
            dir=text_direction(lang),
            title=localized(questionnaire.title, lang).value,
            # i18n: salutation of a letter to a person whose name is on the envelope.
            greeting=gettext("Dear resident,"),
            body=body,
            how=gettext("Scan the QR code with your phone, or open %(url)s and enter your access code.", url=link),
            code_label=gettext("Your access code"),
            privacy=gettext(
                "Privacy: the county uses your address only to send you these letters and deletes it after "
                "the survey. Full privacy notice: %(url)s",
                url=privacy_url,
            ),
            thanks=gettext("Thank you for your help."),
            # i18n: one line per study language at the bottom of every letter.
            every_language=gettext("You can answer in this language: choose it on the first page of the survey."),
        )


@cache
def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def personal_link(base_url: str, questionnaire: Questionnaire, code: str) -> str:
    return f"{base_url}/{questionnaire.id}/code?c={display(code)}"


def render_html(
    questionnaire: Questionnaire,
    entries: Sequence[Entry],
    kind: str,
    base_url: str,
    today: datetime.date | None = None,
) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    config = current_app.config
    privacy_url = config.get("FIELDWORK_PRIVACY_URL") or f"{base_url}/privacy"
    open_link = f"{base_url}/{questionnaire.id}/"
    cache: dict[str, LetterText] = {}

    def text(lang: str) -> LetterText:
        if lang not in cache:
            cache[lang] = _texts(questionnaire, lang, kind, open_link, privacy_url)
        return cache[lang]

    every = [(text(lang), autonym(lang)) for lang in questionnaire.language_tags]
    letters = []
    for entry in entries:
        link = personal_link(base_url, questionnaire, entry.code)
        letters.append(
            {
                "entry": entry,
                "code": display(entry.code),
                "qr": _qr(link),
                "link": link,
                "texts": [text("de")] + ([text(entry.language)] if entry.language != "de" else []),
            }
        )
    with force_locale("de"):
        dated = format_date(today or datetime.date.today(), format="long")
    return render_template(
        "fieldwork/letters.html",
        letters=letters,
        every=every,
        sender=config.get("FIELDWORK_SENDER", "Wetteraukreis · Europaplatz · 61169 Friedberg (Hessen)"),
        dated=dated,
        kind=kind,
        open_link=open_link,
    )


def write_pdf(html: str, out: Path) -> Path:
    """Write the PDF under a temporary name and rename it when complete: an interrupted run leaves no
    half letter batch under the final name."""
    from weasyprint import HTML  # imported on use: loading Pango costs every other command time

    out.parent.mkdir(parents=True, exist_ok=True)
    pending = out.with_name(out.name + ".part")
    try:
        HTML(string=html, base_url=str(out.parent)).write_pdf(pending)
        os.chmod(pending, 0o600)  # letters carry names and addresses
        os.replace(pending, out)
    except BaseException:
        pending.unlink(missing_ok=True)  # half a batch of names and addresses is not left lying about
        raise
    return out
