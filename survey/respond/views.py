"""Respondent pages: thin views that parse the request, call the journey services and render."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, send_from_directory, session, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import db as database
from .. import questionnaires, vault
from ..accounts.access import public
from ..i18n import current_language, set_language
from ..participants import services as participants
from ..questionnaires.model import Questionnaire
from ..research import services as fieldwork
from ..security import CODE_ATTEMPTS, limiter
from ..vault import codes, drafts
from . import forms, pages, rendering, services
from .pages import BadAnswer

blueprint = Blueprint("respond", __name__)


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    found = questionnaires.get(questionnaire_id)
    if found is None:
        abort(404)
    return found


def _secret(questionnaire: Questionnaire) -> bytes | None:
    encoded = session.get("drafts", {}).get(questionnaire.id)
    if not encoded:
        return None
    try:
        return base64.urlsafe_b64decode(encoded)
    except (ValueError, TypeError):
        return None


def _remember(questionnaire: Questionnaire, secret: bytes) -> None:
    drafts = dict(session.get("drafts", {}))
    drafts[questionnaire.id] = base64.urlsafe_b64encode(secret).decode()
    session["drafts"] = drafts
    session.permanent = True


def _state(questionnaire: Questionnaire) -> services.DraftState:
    return services.open_draft(database.session(), questionnaire, _secret(questionnaire))


def _language_for(questionnaire: Questionnaire) -> str:
    lang = current_language()
    return lang if lang in questionnaire.language_tags else questionnaire.default_language


@blueprint.get("/")
@public
def index() -> str:
    found = sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id)
    return render_template("respond/index.html", questionnaires=found)


@blueprint.route("/<questionnaire_id>/", methods=["GET", "POST"])
@public
def choose_language(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    if request.method == "POST":
        chosen = request.form.get("language", "")
        if chosen not in questionnaire.language_tags:
            raise BadAnswer(gettext("Choose one of the languages on the list."))
        set_language(chosen)
        return redirect(url_for(".introduction", questionnaire_id=questionnaire.id), code=303)
    return render_template("respond/language.html", questionnaire=questionnaire, selected=_language_for(questionnaire))


def code_message(reason: str) -> str:
    messages = {
        "length": gettext("Enter all 12 characters of your code, for example 7KQ2-M9XD-4HRT"),
        "characters": gettext("A code has only digits and the letters A to Z. Check your letter."),
        "typo": gettext("This code has a typing mistake. Check each character against your letter."),
        "unknown": gettext("We do not know this code. Check it against your letter."),
    }
    return messages.get(reason, messages["unknown"])


def resume_code_message(reason: str) -> str:
    if reason == "length":
        return gettext("Enter all 12 characters of the code you wrote down")
    return gettext("This code has a typing mistake. Check it against what you wrote down.")


@blueprint.get("/<questionnaire_id>/start")
@public
def introduction(questionnaire_id: str, code_error: str = "", typed_code: str = "") -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    closed = _closed(questionnaire)
    if closed:
        return closed
    pending = session.pop("pending_code", None) if not typed_code else None
    status = 400 if code_error else 200
    html = render_template(
        "respond/introduction.html",
        questionnaire=questionnaire,
        lang=_language_for(questionnaire),
        code_error=code_error,
        typed_code=typed_code or pending or "",
    )
    return html, status


@blueprint.get("/<questionnaire_id>/code")
@public
def personal_link(questionnaire_id: str) -> Response:
    """The personal URL on a letter: keep the code out of every later URL, Referer and log line."""
    questionnaire = _questionnaire(questionnaire_id)
    typed = request.args.get("c", "")[:40]
    if typed:
        session["pending_code"] = typed
    return redirect(url_for(".introduction", questionnaire_id=questionnaire.id), code=303)


def device_class() -> str:
    agent = request.user_agent.string.lower()
    if "ipad" in agent or "tablet" in agent:
        return "tablet"
    if "mobi" in agent or "android" in agent:
        return "mobile"
    return "desktop"


def _closed(questionnaire: Questionnaire) -> str | None:
    """The closed page when fieldwork dates say the current wave takes no answers today."""
    if fieldwork.is_open(database.session(), questionnaire.id, questionnaire.wave):
        return None
    return render_template("respond/closed.html", questionnaire=questionnaire, lang=_language_for(questionnaire))


@blueprint.post("/<questionnaire_id>/start")
@public
@limiter.limit(CODE_ATTEMPTS, exempt_when=lambda: not request.form.get("code"))
def start(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    closed = _closed(questionnaire)
    if closed:
        return closed, 403
    try:
        state = _state(questionnaire)
        if state.submitted:
            raise services.DraftMissing()
        if questionnaire.access == "code" and request.form.get("code"):
            raise services.DraftMissing()  # a new code starts afresh
    except services.DraftMissing:
        pseudonym = None
        if questionnaire.access == "code":
            typed = request.form.get("code", "")[:40]
            try:
                pseudonym = participants.redeem(database.session(), questionnaire, typed, vault.pseudonym_key())
            except participants.CodeRefused as refusal:
                if refusal.reason == "used":
                    return render_template(
                        "respond/already.html", questionnaire=questionnaire, lang=_language_for(questionnaire)
                    )
                return introduction(questionnaire_id, code_message(refusal.reason), typed)
        state = services.start(
            database.session(),
            questionnaire,
            _language_for(questionnaire),
            pseudonym=pseudonym,
            device_class=device_class(),
        )
        _remember(questionnaire, state.secret)
    return _go_on(state)


def _places(questionnaire: Questionnaire) -> pages.Places:
    return pages.Places(
        page=lambda page_id: url_for(".page", questionnaire_id=questionnaire.id, page_id=page_id),
        review=lambda: url_for(".review", questionnaire_id=questionnaire.id),
        done=lambda: url_for(".done", questionnaire_id=questionnaire.id),
        remove=lambda roster_id, number: url_for(
            ".remove_member", questionnaire_id=questionnaire.id, roster_id=roster_id, number=number
        ),
    )


def _go_on(state: services.DraftState) -> Response:
    return pages.go_on(state, _places(state.questionnaire))


@blueprint.route("/<questionnaire_id>/p/<page_id>", methods=["GET", "POST"])
@public
def page(questionnaire_id: str, page_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    try:
        target = questionnaire.page(page_id)
    except KeyError:
        abort(404)
    try:
        state = _state(questionnaire)
    except services.DraftMissing:
        if request.method == "POST":
            raise BadAnswer(
                gettext("Your answers could not be found. They may have expired. Please start again.")
            ) from None
        return redirect(url_for(".introduction", questionnaire_id=questionnaire.id))
    outcome = pages.question_page(
        state, target, _language_for(questionnaire), _places(questionnaire), questionnaire.language_tags
    )
    if isinstance(outcome, Response):
        return outcome
    return rendering.question_page(outcome)


@blueprint.get("/<questionnaire_id>/review")
@public
def review(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    try:
        state = _state(questionnaire)
    except services.DraftMissing:
        return redirect(url_for(".introduction", questionnaire_id=questionnaire.id))
    outcome = pages.review_page(state, _language_for(questionnaire), _places(questionnaire))
    if isinstance(outcome, Response):
        return outcome
    return render_template("respond/review.html", **outcome)


@blueprint.post("/<questionnaire_id>/remove/<roster_id>/<int:number>")
@public
def remove_member(questionnaire_id: str, roster_id: str, number: int) -> Any:
    """The review's "Remove" button of a member of an "add another" roster."""
    questionnaire = _questionnaire(questionnaire_id)
    try:
        state = _state(questionnaire)
    except services.DraftMissing:
        raise BadAnswer(
            gettext("Your answers could not be found. They may have expired. Please start again.")
        ) from None
    return pages.remove_member(state, roster_id, number, _places(questionnaire))


@blueprint.post("/<questionnaire_id>/submit")
@public
def submit(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    if not forms.PageForm().validate():
        raise BadAnswer(gettext("This page has expired. Please reload it and answer again."))
    try:
        state = _state(questionnaire)
    except services.DraftMissing:
        raise BadAnswer(
            gettext("Your answers could not be found. They may have expired. Please start again.")
        ) from None
    try:
        services.submit(database.session(), state, vault.study_key())
    except services.NotReadyToSubmit:
        raise BadAnswer(gettext("Some questions still need an answer before you can send your answers.")) from None
    except services.AlreadyAnswered:
        return render_template("respond/already.html", questionnaire=questionnaire, lang=_language_for(questionnaire))
    return redirect(url_for(".done", questionnaire_id=questionnaire.id), code=303)


@blueprint.get("/<questionnaire_id>/done")
@public
def done(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    try:
        state = _state(questionnaire)
    except services.DraftMissing:
        return redirect(url_for(".introduction", questionnaire_id=questionnaire.id))
    if not state.submitted:
        return _go_on(state)
    return render_template("respond/done.html", questionnaire=questionnaire, lang=_language_for(questionnaire))


@blueprint.route("/withdraw", methods=["GET", "POST"])
@public
@limiter.limit(CODE_ATTEMPTS, methods=["POST"])
def withdraw() -> Any:
    """Delete one's own answers with the participant code (GDPR Art. 17)."""
    error, deleted = "", None
    if request.method == "POST":
        try:
            deleted = participants.withdraw(
                database.session(), request.form.get("code", "")[:40], vault.pseudonym_key()
            )
        except participants.CodeRefused as refusal:
            error = code_message(refusal.reason)
    html = render_template("respond/withdraw.html", error=error, deleted=deleted)
    return html, 400 if error else 200


@blueprint.route("/<questionnaire_id>/later", methods=["GET", "POST"])
@public
def later(questionnaire_id: str) -> Any:
    """ "Continue later": a resume code to write down; the draft moves under a key derived from it.
    The code is derived from the draft's secret, so when the answer to this post is lost (a dropped
    connection) and the browser sends it again with its old cookie, it finds the moved draft and shows
    the same code, instead of losing the answers under a code nobody saw."""
    questionnaire = _questionnaire(questionnaire_id)
    if not questionnaire.resume:
        abort(404)
    old_secret = _secret(questionnaire)
    code = _resume_code(old_secret) if request.method == "POST" and old_secret else None
    try:
        state = _state(questionnaire)
    except services.DraftMissing:
        if code is None:
            return redirect(url_for(".introduction", questionnaire_id=questionnaire.id))
        try:  # moved already, by the same post whose answer did not arrive
            state = services.open_draft(
                database.session(), questionnaire, drafts.secret_from_resume_code(code, questionnaire.id)
            )
        except services.DraftMissing:
            return redirect(url_for(".introduction", questionnaire_id=questionnaire.id))
    else:
        if state.submitted:
            return redirect(url_for(".done", questionnaire_id=questionnaire.id))
        if code is not None:
            secret = drafts.secret_from_resume_code(code, questionnaire.id)
            state = services.rekey(database.session(), state, secret)
    if code is not None:
        _remember(questionnaire, state.secret)
    return render_template(
        "respond/later.html",
        questionnaire=questionnaire,
        lang=_language_for(questionnaire),
        code=codes.display(code) if code else None,
        page_to=state.next_page(),
    )


def _resume_code(secret: bytes) -> str:
    return codes.code_from_secret(secret, b"resume")


@blueprint.route("/<questionnaire_id>/resume", methods=["GET", "POST"])
@public
@limiter.limit(CODE_ATTEMPTS, methods=["POST"])
def resume(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    if not questionnaire.resume:
        abort(404)
    error = ""
    if request.method == "POST":
        try:
            code = codes.normalise(request.form.get("code", "")[:40])
            secret = drafts.secret_from_resume_code(code, questionnaire.id)
            state = services.open_draft(database.session(), questionnaire, secret)
        except codes.InvalidCode as invalid:
            error = resume_code_message(invalid.reason)
        except services.DraftMissing:
            error = gettext("We found no saved answers for this code. Saved answers are kept for 30 days.")
        else:
            _remember(questionnaire, secret)
            return _go_on(state)
    html = render_template(
        "respond/resume.html", questionnaire=questionnaire, lang=_language_for(questionnaire), error=error
    )
    return html, 400 if error else 200


@blueprint.get("/<questionnaire_id>/audio/<question_id>/<lang>")
@public
def audio(questionnaire_id: str, question_id: str, lang: str) -> Any:
    """A question's recorded audio in one language (files beside the questionnaire)."""
    questionnaire = _questionnaire(questionnaire_id)
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        abort(404)
    if not question.audio.has(lang):
        abort(404)
    folder = Path(questionnaire.source).parent
    return send_from_directory(folder, question.audio.get(lang), max_age=7 * 24 * 3600)
