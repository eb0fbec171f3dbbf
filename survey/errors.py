"""Turns domain exceptions and HTTP errors into plain, translated pages in one place."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .respond.pages import BadAnswer


def _page(status: int, title: str, message: str, detail: str = "") -> tuple[str, int]:
    return render_template("error.html", status=status, title=title, message=message, detail=detail), status


def init_app(app: Flask) -> None:
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
