"""The validation messages of the question types, translated for the offline runtime.

The browser cannot run gettext: it receives each message already translated (plural messages once
per count the questionnaire can need), keyed by the English message id the Python classes use.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale, get_translations

from ..i18n.languages import babel_locale_name
from ..questionnaires.model import Questionnaire
from ..questionnaires.questions.choice import MultipleChoice

# Every message a question's validation can produce (survey/questionnaires/questions/), by msgid.
SINGULAR = (
    "Enter an answer",
    "Give an answer or choose one of the options below it, not both",
    "Select an answer",
    "Select at least one answer",
    '"Don\'t know" and "Prefer not to say" cannot be combined with other answers',
    '"%(option)s" cannot be combined with other answers',
    'Select an answer for "%(row)s"',
    "Enter the answer in the format shown",
    "Enter a whole number, like 3",
    "Enter a number from %(min)s to %(max)s",
    "Enter a number of at least %(min)s",
    "Enter a number of at most %(max)s",
    "Enter a number with at most %(n)d decimal places, like 2.5",
    "Enter a year with four digits, like 2015",
    "Enter a year with four digits, like %(year)s",
    "Choose the calendar the date is in",  # dates and years offered in several calendars
    "Enter a year from %(min)s to %(max)s",
    "Enter the year with four digits",
    "Enter a real date",
    "Enter a date from %(min)s to %(max)s",
    "Enter the day, month and year as numbers",
    "Enter the month and year as numbers",
    "Select a country",
    "Select a language",
    "You can only take part if you agree. Tick the box to continue.",
)
PLURAL = (
    ("Select at least %(num)d answer", "Select at least %(num)d answers"),
    ("Select at most %(num)d answer", "Select at most %(num)d answers"),
)


def catalog(lang: str, counts: Iterable[int]) -> dict[str, str | dict[str, str]]:
    """msgid -> translation; a plural msgid maps each count (as text) to its form, placeholders kept.

    Needs an application context (the catalogs are Flask-Babel's).
    """
    wanted = sorted(set(counts))
    found: dict[str, str | dict[str, str]] = {}
    with force_locale(babel_locale_name(lang)):
        # The raw catalog entries: the runtime fills in the %(name)s placeholders itself.
        translations = get_translations()
        for msgid in SINGULAR:
            found[msgid] = translations.ugettext(msgid)
        for singular, plural in PLURAL:
            found[singular] = {str(n): translations.ungettext(singular, plural, n) for n in wanted}
    return found


def counts_for(questionnaire: Questionnaire) -> set[int]:
    """The counts a plural message of this questionnaire can be shown with (choice limits)."""
    counts = {0, 1, 2}
    for question in questionnaire.questions():
        if isinstance(question, MultipleChoice):
            counts.update(n for n in (question.min_choices, question.max_choices) if n is not None)
    return counts


def catalogs(questionnaire: Questionnaire) -> dict[str, dict[str, str | dict[str, str]]]:
    """The validation messages in every language of the questionnaire (needs an app context)."""
    counts = counts_for(questionnaire)
    return {lang: catalog(lang, counts) for lang in questionnaire.language_tags}
