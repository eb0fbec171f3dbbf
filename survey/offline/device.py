"""What an interviewer's device keeps to run interviews offline: the page texts of the templates in
each language, the names in country and language lists, which questions need a hand-over, and the
files the service worker caches (stylesheet, fonts, scripts, the vendored HPKE library)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import url_for
from flask_babel import force_locale, get_translations, gettext

from ..i18n.languages import babel_locale_name, locale_for
from ..questionnaires import calendars as cal
from ..questionnaires.model import Questionnaire
from ..questionnaires.questions import Question
from ..questionnaires.questions.lists import Country
from .logic import NotOffline, describe
from .vendor import MANIFEST, VENDOR

STATIC = Path(__file__).resolve().parents[1] / "static"
CACHE_VERSION = "wetterau-offline-1"
# The runtime's own modules, in survey/static/offline/ (sw.js is served from /offline/sw.js).
SCRIPTS = (
    "app.js",
    "calendars.js",
    "digits.js",
    "expressions.js",
    "flow.js",
    "members.js",
    "messages.js",
    "pipes.js",
    "questions.js",
    "render.js",
    "rosters.js",
    "rules.js",
    "seal.js",
    "store.js",
)

# Texts of the page templates the offline pages repeat (msgids of base.html, questions.html,
# interview/page.html, handover.html, handback.html, respond/review.html, interview/index.html).
PAGE_TEXTS = (
    "Wetteraukreis survey",
    "Skip to main content",
    "Interview",
    "Interviews",
    "There is a problem",
    "Error:",
    "Continue",
    "Back",
    "Page %(position)s of %(total)s",
    "optional",
    "or",
    "Don't know",
    "Prefer not to say",
    "Select all that apply.",
    "Day",
    "Month",
    "Year",
    "Choose from the list",
    "Your consent",
    "Yes, I agree",
    "For the interviewer",
    "Instruction:",
    '"Don\'t know" and "Prefer not to say": do not read out; choose them only if the respondent says so.',
    "Hand the device to the respondent",
    "The next questions are personal. The respondent answers them alone. Your view stays hidden until the "
    "device is handed back.",
    "I have the device: continue",
    "Thank you. Please hand the device back to the interviewer.",
    "I am the interviewer: continue",
    "Check your answers",
    "No answer",
    "Change",
    "Send answers",
    "Start an interview",
    "Questionnaire",
    "The respondent's language",
    "Your language",
    "Start the interview",
    "Listen to the question",
    "Calendar",
    "Person %(number)s",
    "Remove",
    "Add a person to this list: %(list)s",
)


def offline_texts() -> dict[str, str]:
    """The offline pages' own texts (survey/static/offline/app.js), in the current locale."""
    return {
        "Offline interviews": gettext("Offline interviews"),
        "Prepare this device for offline": gettext("Prepare this device for offline"),
        "This device is ready for offline interviews.": gettext("This device is ready for offline interviews."),
        "Waiting to be sent: %(count)s": gettext("Waiting to be sent: %(count)s", count="%(count)s"),
        "Send now": gettext("Send now"),
        "Sent: %(count)s": gettext("Sent: %(count)s", count="%(count)s"),
        "Not accepted by the server: %(count)s. Keep the device and ask the study team.": gettext(
            "Not accepted by the server: %(count)s. Keep the device and ask the study team.", count="%(count)s"
        ),
        "No connection: the interviews stay sealed on this device.": gettext(
            "No connection: the interviews stay sealed on this device."
        ),
        "Save the outbox as a file": gettext("Save the outbox as a file"),
        "Sign out and clear this device": gettext("Sign out and clear this device"),
        "Some interviews are neither sent nor saved as a file. Send them or save the outbox first.": gettext(
            "Some interviews are neither sent nor saved as a file. Send them or save the outbox first."
        ),
        "The interview is sealed on this device and will be sent with the next sync.": gettext(
            "The interview is sealed on this device and will be sent with the next sync."
        ),
    }


def calendar_texts(questionnaire: Questionnaire, languages: Iterable[str]) -> dict[str, dict[str, Any]]:
    """language -> what a date or year in other calendars shows (survey/questionnaires/calendars.py):
    the calendars' names and, for each calendar with months of its own, the heading and month names
    of its list (in that language as interface language), and the zero of the digits the months are
    numbered in (with that language as page language). Empty when every date and year is Gregorian
    only (15 KB saved). Needs an app context."""
    found: dict[str, dict[str, Any]] = {}
    questions = [*questionnaire.questions(), *(q for roster in questionnaire.rosters for q in roster.questions())]
    if all(getattr(question, "calendars", (cal.GREGORIAN,)) == (cal.GREGORIAN,) for question in questions):
        return found
    for lang in sorted(set(languages)):
        with force_locale(babel_locale_name(lang)):
            locale = locale_for(lang)
            found[lang] = {
                "labels": {calendar: str(label) for calendar, label in cal.LABELS.items()},
                "titles": {calendar: str(title) for calendar, title in cal.MONTH_KEY_TITLES.items()},
                "months": {calendar: [str(name) for name in names] for calendar, names in cal.MONTHS.items()},
                "zero": cal.local_number(0, locale),
            }
    return found


def page_texts(languages: Iterable[str]) -> dict[str, dict[str, str]]:
    """language -> msgid -> translation of the page texts (placeholders kept; needs an app context)."""
    found: dict[str, dict[str, str]] = {}
    for lang in sorted(set(languages)):
        with force_locale(babel_locale_name(lang)):
            translations = get_translations()
            found[lang] = {msgid: translations.ugettext(msgid) for msgid in PAGE_TEXTS} | offline_texts()
    return found


def every_question(questionnaire: Questionnaire) -> Iterator[Question]:
    """The questions of the top-level pages, then each roster's (its "add another?" question too)."""
    yield from questionnaire.questions()
    for roster in questionnaire.rosters:
        yield from roster.questions()
        if roster.add_another is not None:
            yield roster.add_another


def list_names(questionnaire: Questionnaire) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """question id -> language -> (code, name) pairs of each country or language list, sorted as the
    server's page sorts them (CLDR names)."""
    return {
        question.id: {lang: question.choices(lang) for lang in questionnaire.language_tags}
        for question in every_question(questionnaire)
        if isinstance(question, Country)
    }


def _text(text: Any) -> dict[str, str]:
    return dict(text.by_language) if text else {}


def display(questionnaire: Questionnaire) -> dict[str, Any]:
    """What the page shows beside the rules of survey/offline/logic.py: titles, texts, hints,
    interviewer notes, units, scale ends, agree labels, recorded audio per language, and which
    template macro renders each question (the offline renderer repeats survey/templates/questions.html).
    Needs a request context (the audio addresses)."""
    questions: dict[str, Any] = {}
    for question in every_question(questionnaire):
        shown: dict[str, Any] = {
            "template": question.template,
            "text": _text(question.text),
            "help": _text(question.help),
            "interviewer_note": _text(question.interviewer_note),
            "missing_in_main_field": question.missing_in_main_field,
        }
        for name in ("unit", "min_label", "max_label", "agree_label"):
            if getattr(question, name, None):
                shown[name] = _text(getattr(question, name))
        if hasattr(question, "max_length"):
            shown["max_length"] = question.max_length
        shown["audio"] = {
            lang: url_for("respond.audio", questionnaire_id=questionnaire.id, question_id=question.id, lang=lang)
            for lang in questionnaire.language_tags
            if question.audio.has(lang)
        }
        questions[question.id] = shown
    return {
        "title": _text(questionnaire.title),
        "languages": list(questionnaire.language_tags),
        # A member page's title is its roster page's; an "add another?" page's, the roster's title.
        "pages": {page.id: {"title": _text(page.title)} for page in questionnaire.pages}
        | {page.id: {"title": _text(page.title)} for roster in questionnaire.rosters for page in roster.pages}
        | {roster.id: {"title": _text(roster.title)} for roster in questionnaire.rosters},
        "questions": questions,
        "lists": list_names(questionnaire),
        "handover": handover_questions(questionnaire),
    }


def refusal(questionnaire: Questionnaire) -> str:
    """Why the offline pages cannot run this questionnaire ("" when they can): what the logic
    runtime refuses (survey/offline/logic.py), or participant codes."""
    try:
        describe(questionnaire)
    except NotOffline as refused:
        return str(refused)
    if questionnaire.access == "code":
        return gettext("participant codes cannot be checked offline yet: run this questionnaire online")
    return ""


def handover_questions(questionnaire: Questionnaire) -> list[str]:
    """The questions the respondent answers alone (privacy "sensitive"), as on the server."""
    return [question.id for question in every_question(questionnaire) if question.privacy == "sensitive"]


def vendored_files() -> list[str]:
    """The vendored library's files, relative to survey/static/ (from its manifest)."""
    manifest: dict[str, Any] = json.loads((VENDOR / MANIFEST).read_text(encoding="utf-8"))
    return sorted(f"vendor/{file}" for package in manifest["packages"].values() for file in package["files"])


def static_files() -> list[str]:
    """Every static file an offline interview can need, relative to survey/static/."""
    fonts = sorted(f"fonts/{path.name}" for path in (STATIC / "fonts").glob("*.woff2"))
    return ["survey.css", *fonts, *(f"offline/{name}" for name in SCRIPTS), *vendored_files()]
