"""A respondent's browser without JavaScript, driven over real HTTP: one session cookie, the CSRF
token from the last form, and answers a person could give on each page."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import wire

from survey.questionnaires.model import Questionnaire
from survey.questionnaires.questions import Question

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FIELD_NAME = re.compile(r'name="([^"]+)"')
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"')
PREFETCH = re.compile(r'<link[^>]+rel="prefetch"[^>]*href="([^"]+)"')
SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
SCRIPT_SOURCE = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"', re.IGNORECASE)
MOST_STEPS = 120  # a journey longer than this is a loop, not a questionnaire


class JourneyFailed(RuntimeError):
    """The server answered a step the way no finished journey would; the message shows where."""


def posted_answer(question: Question, pick: int) -> list[tuple[str, str]]:
    """Form fields a person could send for this question; `pick` varies the choice (and the path)."""
    kind = question.type_name
    if kind == "note":
        return []
    if kind == "consent":
        return [(question.id, "yes")]
    if kind in ("single_choice", "dropdown", "scale"):
        options = question.options  # type: ignore[attr-defined]
        return [(question.id, str(options[pick % len(options)].code))]
    if kind == "multiple_choice":
        options = [option for option in question.options if not option.exclusive]  # type: ignore[attr-defined]
        return [(question.id, str(options[pick % len(options)].code))]
    if kind == "matrix":
        options = question.options  # type: ignore[attr-defined]
        return [
            (question.row_field(row), str(options[(pick + index) % len(options)].code))  # type: ignore[attr-defined]
            for index, row in enumerate(question.rows)  # type: ignore[attr-defined]
        ]
    if kind in ("short_text", "long_text"):
        return [(question.id, "Antwort ohne Ziffern")]
    # A year or date offered in several calendars also sends the one chosen (here the Gregorian).
    chosen = [(question.calendar_field, "gregorian")] if getattr(question, "chooses_calendar", False) else []
    if kind in ("integer", "decimal", "year"):
        low = question.minimum if question.minimum is not None else 0  # type: ignore[attr-defined]
        high = question.maximum if question.maximum is not None else low + 10  # type: ignore[attr-defined]
        return [(question.id, str(int(low + (high - low) * ((pick % 3) + 1) // 4))), *chosen]
    if kind == "date":
        parts = {"day": "15", "month": "6", "year": "2016"}
        typed = [(question.part_field(part), parts[part]) for part in question.parts]  # type: ignore[attr-defined]
        return [*typed, *chosen]
    if kind in ("country", "language"):
        fallback = ("SY", "DE", "AF", "UA", "TR") if kind == "country" else ("ar", "de", "fa", "uk", "tr")
        codes = question.codes or fallback  # type: ignore[attr-defined]
        return [(question.id, codes[pick % len(codes)])]
    raise JourneyFailed(f"no answer for question type {kind}")


@dataclass(frozen=True)
class Step:
    """One answered page: where, what was sent, and where the server sent the browser next."""

    path: str
    fields: tuple[tuple[str, str], ...]
    next_path: str


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Respondent:
    def __init__(self, port: int, questionnaire: Questionnaire, pick: int = 0, prefetches: bool = False) -> None:
        """`prefetches`: fetch what a page's `<link rel="prefetch">` names, once, as a browser does
        after the page has loaded (the stylesheet: later pages then link it instead of inlining it)."""
        self.port = port
        self.prefetches = prefetches
        self.prefetched: set[str] = set()
        self.questionnaire = questionnaire
        self.pick = pick
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.root = f"/{questionnaire.id}"
        self.route: list[Step] = []  # the pages answered so far, for replay by other respondents
        self.shown: list[tuple[str, wire.Reply]] = []  # every page this browser was shown

    # --- requests -------------------------------------------------------------------------

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> bytes:
        """The raw request this browser would send now (for replay by the load generator)."""
        headers = [("Accept-Encoding", "gzip"), ("Accept-Language", "de")]
        if self.cookies:
            headers.append(("Cookie", "; ".join(f"{name}={value}" for name, value in self.cookies.items())))
        if form is not None:
            form = [*form, ("csrf_token", self.token)]
        return wire.request_bytes(method, path, self.port, headers, form)

    def send(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> wire.Reply:
        reply = wire.exchange(self.port, self.request(method, path, form))
        for cookie in reply.all("set-cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if (reply.header("content-type") or "").startswith("text/html"):
            found = TOKEN.search(reply.text)
            if found:
                self.token = found.group(1)
            if self.prefetches:
                for href in PREFETCH.findall(reply.text.replace("&amp;", "&")):
                    if href not in self.prefetched:
                        self.prefetched.add(href)
                        self.send("GET", path_of(href))
        return reply

    def get(self, path: str) -> wire.Reply:
        reply = self.send("GET", path)
        if reply.status == 200:
            self.shown.append((path, reply))
        return reply

    def post(self, path: str, fields: list[tuple[str, str]]) -> wire.Reply:
        return self.send("POST", path, fields)

    @staticmethod
    def redirected(reply: wire.Reply, step: str) -> str:
        location = reply.header("location")
        if reply.status not in (302, 303) or not location:
            raise JourneyFailed(f"{step}: expected a redirect, got {reply.status}: {reply.text[:600]}")
        return path_of(location)

    # --- journey --------------------------------------------------------------------------

    def start(self, language: str) -> str:
        """Choose the language, press Start; returns the path of the first question page."""
        self.get(f"{self.root}/")
        introduction = self.redirected(self.post(f"{self.root}/", [("language", language)]), "language")
        self.get(introduction)
        return self.redirected(self.post(f"{self.root}/start", []), "start")

    def answers_for(self, page_id: str, html: str) -> list[tuple[str, str]]:
        names = set(FIELD_NAME.findall(html))
        fields: list[tuple[str, str]] = []
        for question in self.questionnaire.page(page_id).questions:
            if any(name in names for name in question.field_names()):
                fields += posted_answer(question, self.pick)
        return fields

    def answer(self, path: str) -> str:
        """Show a question page, answer it; returns where the server sends the browser next."""
        page_id = path.rsplit("/p/", 1)[1].split("?")[0]
        shown = self.get(path)
        if shown.status != 200:
            raise JourneyFailed(f"{path}: {shown.status}")
        fields = self.answers_for(page_id, shown.text)
        next_path = self.redirected(self.post(path, fields), path)
        self.route.append(Step(path, tuple(fields), next_path))
        return next_path

    def replay(self, language: str, route: Sequence[Step]) -> str:
        """Start and send another respondent's answers page by page, without showing the pages (the
        same answers take the same path); returns where the last answer leads."""
        path = self.start(language)
        for step in route:
            if path != step.path:
                raise JourneyFailed(f"replay went to {path}, the recorded journey to {step.path}")
            path = self.redirected(self.post(step.path, list(step.fields)), step.path)
            if path != step.next_path:
                raise JourneyFailed(f"replay of {step.path} led to {path}, not {step.next_path}")
        return path

    def walk(self, path: str, until: Callable[[str], bool]) -> str:
        """Answer page after page from `path` until `until(path)` holds; returns that path."""
        for _ in range(MOST_STEPS):
            if until(path):
                return path
            if "/p/" not in path:
                raise JourneyFailed(f"the journey left the question pages at {path}")
            path = self.answer(path)
        raise JourneyFailed(f"no end after {MOST_STEPS} pages")
