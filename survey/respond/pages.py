"""One question page and the review, for any journey (self-completion or interview): the caller says
where pages live (`Places`) and renders the returned context with its own template."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import redirect, request
from flask_babel import gettext, refresh
from werkzeug.wrappers import Response

from .. import db as database
from ..i18n import set_language
from ..questionnaires.model import Page, Questionnaire, Roster, piped_value
from ..questionnaires.questions import TamperedInput
from . import flow, forms, services


class BadAnswer(Exception):
    """A post that no honest form produces; shown as a 400 page with a plain explanation."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class Places:
    """URLs of one journey's pages."""

    page: Callable[[str], str]
    review: Callable[[], str]
    done: Callable[[], str]
    remove: Callable[[str, int], str]  # where a roster member is removed (roster id, member number)


def go_on(state: services.DraftState, places: Places) -> Response:
    """Redirect to where this draft stands: the first open page, the review, or the thank-you page."""
    if state.submitted:
        return redirect(places.done(), code=303)
    page = state.next_page()
    if page is None:
        return redirect(places.review(), code=303)
    return redirect(places.page(page.id), code=303)


def question_page(
    state: services.DraftState, target: Page, lang: str, places: Places, languages: Sequence[str] = ()
) -> Response | dict[str, Any]:
    """Handle GET/POST of a question page: a redirect, or the context to render the page with. A post
    of the language switch (one of `languages`) shows the page again in that language with what was
    entered, neither checked nor saved."""
    questionnaire = state.questionnaire
    if state.submitted:
        return redirect(places.done())
    switch = request.form.get("switch_language") if request.method == "POST" else None
    if switch is not None:
        if not forms.PageForm().validate():  # the token first: another site must not switch it
            raise BadAnswer(gettext("This page has expired. Please reload it and answer again."))
        if switch not in languages or not set_language(switch):
            raise BadAnswer(gettext("Choose one of the languages on the list."))
        refresh()  # the UI locale follows the new choice for the rest of this request
        lang = switch
    services.note_language(database.session(), state, lang)
    if not state.reachable(target.id):
        if request.method == "POST":
            raise BadAnswer(gettext("This page is not part of your questionnaire, or earlier pages are still open."))
        return go_on(state, places)
    effective = flow.page_answers(target, state.effective)
    questions = flow.visible_questions(questionnaire, target, state.effective)
    errors: list[forms.FieldError] = []
    if request.method == "POST":
        try:
            forms.check_posted(questions, request.form)
        except TamperedInput as error:
            raise BadAnswer(
                gettext("This answer cannot be accepted. Please reload the page and try again."), str(error)
            ) from None
        form = forms.build(questions, lang, formdata=request.form)
        if not form.validate():
            raise BadAnswer(gettext("This page has expired. Please reload it and answer again."))
        errors = [] if switch is not None else forms.validate(questions, form, lang)
        if not errors and switch is None:
            posted = forms.answers_from(questions, form)
            errors = [
                forms.FieldError(question, question.anchor(), message)
                for question, message in flow.rule_errors(questionnaire, questions, posted, effective, lang)
            ]
        if not errors and switch is None:
            services.save_page(database.session(), state, target, posted, lang)
            if request.form.get("return_to") == "review" and state.next_page() is None:
                return redirect(places.review(), code=303)
            if not state.route.reachable(state.completed_set, target.id):
                return go_on(state, places)  # "add another": the new member's pages come first
            _, after = state.route.neighbours(target.id)
            if after is None:
                return go_on(state, places)
            return redirect(places.page(after.id), code=303)
    else:
        form = forms.build(questions, lang, answers=flow.page_answers(target, state.answers))
    before, _ = state.route.neighbours(target.id)
    position, total = state.route.progress(target.id)
    return {
        "questionnaire": questionnaire,
        "page": target,
        "questions": questions,
        "form": form,
        "errors": errors,
        "lang": lang,
        "answers": flow.page_answers(target, state.answers),
        "back": before,
        "back_url": places.page(before.id) if before else None,
        "position": position,
        "total": total,
        "return_to": request.values.get("return_to", ""),
    }


def review_page(state: services.DraftState, lang: str, places: Places) -> Response | dict[str, Any]:
    if state.submitted or state.next_page() is not None:
        return go_on(state, places)
    questionnaire = state.questionnaire
    effective = state.effective
    pages = [
        (page, flow.visible_questions(questionnaire, page, effective), flow.page_answers(page, effective))
        for page in state.route.pages
    ]
    last = state.route.pages[-1] if state.route.pages else None
    return {
        "questionnaire": questionnaire,
        "pages": pages,
        "members": member_headings(questionnaire, state.route.pages, effective, lang),
        "answers": effective,
        "lang": lang,
        "back": last,
        "back_url": places.page(last.id) if last else None,
        "change_url": lambda page_id: places.page(page_id) + "?return_to=review",
        "remove_url": places.remove,
        "form": forms.PageForm(),
    }


def member_headings(
    questionnaire: Questionnaire, route: Sequence[Page], answers: flow.Answers, lang: str
) -> dict[str, MemberHeading]:
    """Per first page of each roster member on the route: the heading the review shows above it."""
    headings: dict[str, MemberHeading] = {}
    seen: set[tuple[str, int]] = set()
    for page in route:
        if not page.roster or page.adds_member or (page.roster, page.member) in seen:
            continue
        seen.add((page.roster, page.member))
        roster = questionnaire.roster(page.roster)
        assert roster is not None
        name = ""
        if roster.name is not None:
            name = piped_value(roster.name, answers, questionnaire, lang, member=page.member)
        headings[page.id] = MemberHeading(roster, page.member, name, removable=roster.add_another is not None)
    return headings


@dataclass(frozen=True)
class MemberHeading:
    roster: Roster
    number: int
    name: str
    removable: bool


def remove_member(state: services.DraftState, roster_id: str, number: int, places: Places) -> Response:
    """Handle the review's "Remove" button of an "add another" roster's member."""
    if not forms.PageForm().validate():
        raise BadAnswer(gettext("This page has expired. Please reload it and answer again."))
    roster = state.questionnaire.roster(roster_id)
    if roster is None or roster.add_another is None:
        raise BadAnswer(gettext("This answer cannot be accepted. Please reload the page and try again."))
    if not state.submitted:
        try:
            services.remove_member(database.session(), state, roster, number)
        except services.PageNotReachable:
            raise BadAnswer(gettext("This answer cannot be accepted. Please reload the page and try again.")) from None
    return go_on(state, places)
