"""The interviewer area: start interviews, run them bilingually, hand the device over for sensitive
questions, and see one's own interviews with their status (never answer content)."""

from __future__ import annotations

import base64
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from werkzeug.wrappers import Response

from .. import db as database
from .. import questionnaires, vault
from ..accounts.access import current_user, requires
from ..i18n import current_language, offered_languages
from ..i18n.languages import babel_locale_name
from ..participants.services import CodeRefused
from ..questionnaires.model import Page, Questionnaire
from ..respond import flow, pages, services
from ..respond.pages import BadAnswer
from ..respond.views import code_message, device_class
from . import services as interviews
from .models import Interview

blueprint = Blueprint("interview", __name__, url_prefix="/interview")


def _secrets() -> dict[str, str]:
    return dict(session.get("interviews", {}))


def _interview(interview_id: str) -> Interview:
    interview = database.session().get(Interview, interview_id)
    user = current_user()
    if interview is None or user is None or interview.interviewer_id != user.id:
        abort(404)  # someone else's interview does not exist for this user
    return interview


def _questionnaire(interview: Interview) -> Questionnaire:
    questionnaire = questionnaires.get(interview.questionnaire_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def _state(interview: Interview, questionnaire: Questionnaire) -> services.DraftState:
    encoded = _secrets().get(interview.id)
    secret = base64.urlsafe_b64decode(encoded) if encoded else None
    return services.open_draft(database.session(), questionnaire, secret)


def _places(interview: Interview) -> pages.Places:
    return pages.Places(
        page=lambda page_id: url_for(".page", interview_id=interview.id, page_id=page_id),
        review=lambda: url_for(".review", interview_id=interview.id),
        done=lambda: url_for(".done", interview_id=interview.id),
        remove=lambda roster_id, number: url_for(
            ".remove_member", interview_id=interview.id, roster_id=roster_id, number=number
        ),
    )


@blueprint.route("/", methods=["GET", "POST"])
@requires("interviewer")
def index() -> Any:
    user = current_user()
    assert user is not None
    db = database.session()
    found = sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id)
    error = ""
    if request.method == "POST":
        questionnaire = questionnaires.get(request.form.get("questionnaire", ""))
        language = request.form.get("language", "")
        if questionnaire is None or language not in questionnaire.language_tags:
            raise BadAnswer(gettext("Choose a questionnaire and one of its languages."))
        interviewer_language = request.form.get("interviewer_language") or current_language()
        if interviewer_language not in offered_languages():
            interviewer_language = current_language()
        try:
            interview, state = interviews.start(
                db,
                user.id,
                questionnaire,
                language,
                interviewer_language,
                vault.pseudonym_key(),
                code=request.form.get("code", "")[:40],
                device_class=device_class(),
            )
        except CodeRefused as refusal:
            error = (
                gettext("This code has already answered this round.")
                if refusal.reason == "used"
                else code_message(refusal.reason)
            )
        else:
            secrets = _secrets()
            secrets[interview.id] = base64.urlsafe_b64encode(state.secret).decode()
            session["interviews"] = secrets
            return pages.go_on(state, _places(interview))
    html = render_template(
        "interview/index.html",
        questionnaires=found,
        interviews=interviews.mine(db, user.id),
        error=error,
        titles={q.id: q.title for q in found},
        languages=sorted({tag for q in found for tag in q.language_tags}),
    )
    return html, 400 if error else 200


def _needs_handover(questionnaire: Questionnaire, page: Page, state: services.DraftState) -> bool:
    shown = flow.visible_questions(questionnaire, page, state.effective)
    return any(question.privacy == "sensitive" for question in shown)


@blueprint.route("/<interview_id>/p/<page_id>", methods=["GET", "POST"])
@requires("interviewer")
def page(interview_id: str, page_id: str) -> Any:
    interview = _interview(interview_id)
    questionnaire = _questionnaire(interview)
    try:
        target = questionnaire.page(page_id)
    except KeyError:
        abort(404)
    try:
        state = _state(interview, questionnaire)
    except services.DraftMissing:
        if request.method == "POST":
            raise BadAnswer(gettext("This interview cannot be continued on this device.")) from None
        return redirect(url_for(".index"))
    handed_over = session.get("handover") == f"{interview.id}:{page_id}"
    if (
        not handed_over
        and request.method == "GET"
        and state.reachable(target.id)
        and not state.submitted
        and _needs_handover(questionnaire, target, state)
    ):
        with force_locale(babel_locale_name(interview.interviewer_language)):
            return render_template(
                "interview/handover.html",
                interview=interview,
                questionnaire=questionnaire,
                page=target,
                html_lang=interview.interviewer_language,
                interviewer_language=interview.interviewer_language,
                respondent_language=interview.language,
            )
    # While the respondent holds the device, everything is in their language only.
    locale = babel_locale_name(interview.language if handed_over else interview.interviewer_language)
    with force_locale(locale):
        outcome = pages.question_page(state, target, interview.language, _places(interview))
        if isinstance(outcome, Response):
            if handed_over and request.method == "POST" and outcome.status_code == 303:
                session.pop("handover", None)
                return render_template(
                    "interview/handback.html",
                    interview=interview,
                    next_url=outcome.location,
                    html_lang=interview.language,
                    respondent_language=interview.language,
                    interviewer_language=interview.interviewer_language,
                )
            return outcome
        return render_template(
            "interview/page.html",
            interview=interview,
            handed_over=handed_over,
            interviewer_language=interview.interviewer_language,
            html_lang=interview.language if handed_over else interview.interviewer_language,
            **outcome,
        )


@blueprint.post("/<interview_id>/handover/<page_id>")
@requires("interviewer")
def handover(interview_id: str, page_id: str) -> Response:
    interview = _interview(interview_id)
    session["handover"] = f"{interview.id}:{page_id}"
    return redirect(url_for(".page", interview_id=interview.id, page_id=page_id), code=303)


@blueprint.get("/<interview_id>/review")
@requires("interviewer")
def review(interview_id: str) -> Any:
    interview = _interview(interview_id)
    questionnaire = _questionnaire(interview)
    try:
        state = _state(interview, questionnaire)
    except services.DraftMissing:
        return redirect(url_for(".index"))
    with force_locale(babel_locale_name(interview.interviewer_language)):
        outcome = pages.review_page(state, interview.language, _places(interview))
        if isinstance(outcome, Response):
            return outcome
        return render_template(
            "respond/review.html",
            html_lang=interview.interviewer_language,
            submit_url=url_for(".submit", interview_id=interview.id),
            **outcome,
        )


@blueprint.post("/<interview_id>/remove/<roster_id>/<int:number>")
@requires("interviewer")
def remove_member(interview_id: str, roster_id: str, number: int) -> Any:
    """The review's "Remove" button of a member of an "add another" roster."""
    interview = _interview(interview_id)
    questionnaire = _questionnaire(interview)
    try:
        state = _state(interview, questionnaire)
    except services.DraftMissing:
        raise BadAnswer(gettext("This interview cannot be continued on this device.")) from None
    return pages.remove_member(state, roster_id, number, _places(interview))


@blueprint.post("/<interview_id>/submit")
@requires("interviewer")
def submit(interview_id: str) -> Any:
    interview = _interview(interview_id)
    questionnaire = _questionnaire(interview)
    try:
        state = _state(interview, questionnaire)
        interviews.submit(database.session(), interview, state, vault.study_key())
    except services.DraftMissing:
        raise BadAnswer(gettext("This interview cannot be continued on this device.")) from None
    except services.NotReadyToSubmit:
        raise BadAnswer(gettext("Some questions still need an answer before you can send your answers.")) from None
    except services.AlreadyAnswered:
        raise BadAnswer(gettext("This code has already answered this round.")) from None
    return redirect(url_for(".done", interview_id=interview.id), code=303)


@blueprint.get("/<interview_id>/done")
@requires("interviewer")
def done(interview_id: str) -> Any:
    interview = _interview(interview_id)
    if interview.status != "submitted":
        return redirect(url_for(".index"))
    return render_template("interview/done.html", interview=interview)
