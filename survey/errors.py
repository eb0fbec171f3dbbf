"""Turns domain exceptions and HTTP errors into plain, translated pages in one place."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from . import db
from .respond.pages import BadAnswer
from .security import RateLimitStoreUnavailable

# Posts whose fields the 503 page offers to send again: answers and codes a respondent or interviewer
# typed (never staff forms, which may hold passwords).
RESENDABLE_BLUEPRINTS = ("respond", "interview")


def _page(status: int, title: str, message: str, detail: str = "") -> tuple[str, int]:
    return render_template("error.html", status=status, title=title, message=message, detail=detail), status


def unavailable_page(signing_in: bool = False) -> Response:
    """503 with Retry-After. A post is not lost: the page says so, and for respondents it carries the
    posted fields in a form that sends them again to the same address (saving a page twice stores it once)."""
    posted = request.method == "POST"
    resend = posted and request.blueprint in RESENDABLE_BLUEPRINTS
    html = render_template(
        "unavailable.html",
        signing_in=signing_in,
        posted=posted,
        resend_fields=list(request.form.items(multi=True)) if resend else [],
        resend_url=request.path,
    )
    response = Response(html, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER_SECONDS"])
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(sa_exc.DBAPIError)
    @app.errorhandler(sa_exc.TimeoutError)
    def database_error(error: sa_exc.SQLAlchemyError) -> Response:
        if not db.unavailable(error):
            raise error  # a bug, not an outage: Flask logs it and answers 500
        db.failed(error)
        return unavailable_page()

    @app.errorhandler(RateLimitStoreUnavailable)
    def rate_limit_store_error(error: RateLimitStoreUnavailable) -> Response:
        return unavailable_page(signing_in=True)

    @app.errorhandler(BadAnswer)
    def bad_answer(error: BadAnswer) -> tuple[str, int]:
        app.logger.info("refused post: %s", error.detail or error.message)
        return _page(400, gettext("Your answer was not saved"), error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return _page(
            400,
            gettext("Your answer was not saved"),
            gettext("This page has expired. Please reload it and answer again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        messages = {
            403: gettext("You do not have access to this page."),
            404: gettext("Page not found. Check the address, or start again from the home page."),
            405: gettext("This address cannot be used like that."),
            413: gettext("What you sent is too large. Please shorten your answers."),
            429: gettext("Too many attempts. Please wait a few minutes and try again."),
        }
        return _page(status, gettext("Something is not right"), messages.get(status, gettext("Please try again.")))
