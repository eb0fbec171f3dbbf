"""Review pages: researchers decide on submitted assisted interviews; interviewers see their own statuses."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext

from .. import db as database
from ..accounts.access import current_user, requires
from ..interview import services as interviews
from . import review

blueprint = Blueprint("interview_review", __name__)

STATUS_NAMES = {
    "pending": lazy_gettext("waiting for review"),
    "approved": lazy_gettext("approved"),
    "on_hold": lazy_gettext("on hold"),
    "rejected": lazy_gettext("rejected"),
}


def _message(reason: str) -> str:
    messages = {
        "status": gettext("Choose approved, on hold or rejected."),
        "comment": gettext("Say why the interview is on hold or rejected."),
        "long": gettext("The comment is too long: at most 1000 characters."),
    }
    return messages.get(reason, messages["status"])


@blueprint.route("/research/fieldwork/interviews", methods=["GET"])
@requires("researcher")
def interviews_page(error: str = "", failed: str = "") -> Any:
    html = render_template(
        "fieldwork/reviews.html",
        rows=review.submitted(database.session()),
        names=STATUS_NAMES,
        decisions=review.DECISIONS,
        error=error,
        failed=failed,
    )
    return html, 400 if error else 200


@blueprint.post("/research/fieldwork/interviews/<interview_id>")
@requires("researcher")
def decide(interview_id: str) -> Any:
    user = current_user()
    try:
        review.decide(
            database.session(),
            interview_id,
            request.form.get("status", ""),
            request.form.get("comment", "")[: review.COMMENT_LIMIT + 1],
            user.email if user is not None else "?",
        )
    except review.ReviewRefused as refused:
        if refused.reason == "unknown":
            abort(404)
        return interviews_page(_message(refused.reason), interview_id)
    return redirect(url_for(".interviews_page"), code=303)


@blueprint.get("/interview/reviews")
@requires("interviewer")
def mine() -> str:
    user = current_user()
    assert user is not None  # requires() let only signed-in interviewers through
    db = database.session()
    own = interviews.mine(db, user.id)
    statuses = review.statuses_of(db, user.id)
    return render_template("fieldwork/my_reviews.html", interviews=own, statuses=statuses, names=STATUS_NAMES)
