"""Drives the respondent pages through the Flask test client, as a browser without JavaScript would."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.questionnaires.questions import Question

from .conftest import csrf_token

PAGE_URL = re.compile(r"/p/([a-z0-9_.-]+)")


class Respondent:
    def __init__(self, client: FlaskClient, questionnaire_id: str) -> None:
        self.client = client
        self.qid = questionnaire_id
        self.token = ""
        self.last: TestResponse | None = None

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(path, **kwargs)
        if b"csrf_token" in response.data:
            self.token = csrf_token(response.data)
        self.last = response
        return response

    def post(self, path: str, data: Mapping[str, Any] | list[tuple[str, str]], with_token: bool = True) -> TestResponse:
        items = list(data.items()) if isinstance(data, Mapping) else list(data)
        if with_token:
            items.append(("csrf_token", self.token))
        from werkzeug.datastructures import MultiDict

        response = self.client.post(path, data=MultiDict(items))
        self.last = response
        return response

    def start(self, language: str) -> str:
        """Choose a language, press Start; returns the first page's id."""
        self.get(f"/{self.qid}/")
        response = self.post(f"/{self.qid}/", {"language": language})
        assert response.status_code == 303, response.data[:500]
        self.get(response.location)
        response = self.post(f"/{self.qid}/start", {})
        assert response.status_code == 303
        return self.follow(response)

    def follow(self, response: TestResponse) -> str:
        """GET the redirect target; returns the page id, 'review' or 'done'."""
        location = response.location
        self.get(location)
        match = PAGE_URL.search(location)
        if match:
            return match.group(1)
        return location.rstrip("/").rsplit("/", 1)[-1]

    def page(self, page_id: str) -> TestResponse:
        return self.get(f"/{self.qid}/p/{page_id}")

    def answer(self, page_id: str, data: Mapping[str, Any] | list[tuple[str, str]]) -> TestResponse:
        self.page(page_id)
        return self.post(f"/{self.qid}/p/{page_id}", data)

    def submit(self) -> TestResponse:
        self.get(f"/{self.qid}/review")
        return self.post(f"/{self.qid}/submit", {})


def valid_post(question: Question, pick: int = 0) -> list[tuple[str, str]]:
    """Form data a person could send for this question; `pick` varies the choice made."""
    kind = question.type_name
    if kind == "note":
        return []
    if kind == "consent":
        return [(question.id, "yes")]
    if kind in ("single_choice", "dropdown", "scale"):
        options = question.options  # type: ignore[attr-defined]
        return [(question.id, str(options[pick % len(options)].code))]
    if kind == "multiple_choice":
        options = [o for o in question.options if not o.exclusive]  # type: ignore[attr-defined]
        return [(question.id, str(options[pick % len(options)].code))]
    if kind == "matrix":
        options = question.options  # type: ignore[attr-defined]
        return [(question.row_field(row), str(options[pick % len(options)].code)) for row in question.rows]  # type: ignore[attr-defined]
    if kind in ("short_text", "long_text"):
        return [(question.id, "Antwort ohne Ziffern")]
    if kind in ("integer", "decimal", "year"):
        low = question.minimum if question.minimum is not None else 0  # type: ignore[attr-defined]
        high = question.maximum if question.maximum is not None else low + 10  # type: ignore[attr-defined]
        typed = [(question.id, str(int(low + (high - low) * ((pick % 3) + 1) // 4)))]
        if kind == "year" and question.chooses_calendar:  # type: ignore[attr-defined]
            return [(question.calendar_field, "gregorian"), *typed]  # type: ignore[attr-defined]
        return typed
    if kind == "date":
        parts = {"day": "15", "month": "6", "year": "2016"}
        typed = [(question.part_field(part), parts[part]) for part in question.parts]  # type: ignore[attr-defined]
        if question.chooses_calendar:  # type: ignore[attr-defined]
            return [(question.calendar_field, "gregorian"), *typed]  # type: ignore[attr-defined]
        return typed
    if kind in ("country", "language"):
        codes = question.codes or (("SY", "DE", "AF") if kind == "country" else ("ar", "de", "fa"))  # type: ignore[attr-defined]
        return [(question.id, codes[pick % len(codes)])]
    raise AssertionError(f"no valid post for {kind}")


def shown_questions(html: str, page: Any) -> list[Question]:
    """The questions of `page` whose inputs the rendered HTML contains."""
    names = set(re.findall(r'name="([^"]+)"', html))
    return [q for q in page.questions if any(name in names for name in q.field_names())]


def complete(
    respondent: Respondent,
    language: str,
    questionnaire: Any,
    choose: Callable[[Question], list[tuple[str, str]]] | None = None,
) -> list[str]:
    """Answer every page the flow shows until the review; returns the page ids visited."""
    choose = choose or valid_post
    visited = []
    step = respondent.start(language)
    while step not in ("review", "done"):
        visited.append(step)
        html = respondent.page(step).data.decode()
        data: list[tuple[str, str]] = []
        for question in shown_questions(html, questionnaire.page(step)):
            data.extend(choose(question))
        response = respondent.post(f"/{respondent.qid}/p/{step}", data)
        assert response.status_code == 303, f"{step}: {response.status_code} {response.data.decode()[:3000]}"
        step = respondent.follow(response)
    return visited
