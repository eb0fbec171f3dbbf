"""Page forms built at runtime from a page's visible questions, with stable field names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from ..questionnaires.questions import Question, TamperedInput
from ..security import csrf_token

# Names a page form posts besides its questions' fields.
CONTROL_FIELDS = frozenset({"csrf_token", "continue", "return_to", "switch_language"})


class PageForm(FlaskForm):
    """Base of the generated forms; subclasses get one field per question input. Also the bare form
    that checks the CSRF token of a page without questions (review, submit, remove a member)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if (kwargs.get("meta") or {}).get("csrf", True):
            csrf_token()  # the session's signed token, so that the form's CSRF field does not sign anew
        super().__init__(*args, **kwargs)


_FORM_CLASSES: dict[tuple[tuple[int, ...], str], tuple[tuple[Question, ...], type[PageForm]]] = {}


def form_class(questions: tuple[Question, ...], lang: str) -> type[PageForm]:
    """The form class of a set of questions, made once per set (building classes is costly).
    Keyed by identity: questionnaires are loaded once and live as long as the app."""
    key = (tuple(id(question) for question in questions), lang)
    cached = _FORM_CLASSES.get(key)
    if cached is None:
        fields: dict[str, Any] = {}
        for question in questions:
            fields.update(question.fields(lang))
        # The questions are kept with the class so their ids cannot be reused while cached.
        cached = _FORM_CLASSES[key] = (questions, type("GeneratedPageForm", (PageForm,), fields))
    return cached[1]


def build(
    questions: Sequence[Question],
    lang: str,
    answers: Mapping[str, Any] | None = None,
    formdata: MultiDict[str, str] | None = None,
) -> PageForm:
    form_class_ = form_class(tuple(questions), lang)
    if formdata is not None:
        return form_class_(formdata=formdata)
    data: dict[str, Any] = {}
    for question in questions:
        answer = (answers or {}).get(question.id)
        if answer is not None and question.answerable:
            data.update(question.form_data(answer))
    # A shown page's form is not validated: no CSRF field (the template puts csrf_token() in the page).
    return form_class_(formdata=None, data=data, meta={"csrf": False})


def check_posted(questions: Sequence[Question], posted: MultiDict[str, str]) -> None:
    """Raise TamperedInput for names or values that the rendered page cannot have produced."""
    allowed = set(CONTROL_FIELDS)
    for question in questions:
        allowed.update(question.field_names())
    unknown = sorted(set(posted.keys()) - allowed)
    if unknown:
        raise TamperedInput("unexpected field(s): " + ", ".join(name[:40] for name in unknown[:5]))
    lists = posted.to_dict(flat=False)
    for name, values in lists.items():
        if any("\x00" in value for value in values):
            raise TamperedInput(f"{name[:40]}: contains a NUL character")
    for question in questions:
        question.check_posted(lists)


@dataclass(frozen=True)
class FieldError:
    question: Question
    anchor: str
    message: str


def validate(questions: Sequence[Question], form: PageForm, lang: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for question in questions:
        errors.extend(FieldError(question, anchor, message) for anchor, message in question.located_errors(form, lang))
    return errors


def answers_from(questions: Sequence[Question], form: PageForm) -> dict[str, Any]:
    return {question.id: question.answer_from_form(form) for question in questions if question.answerable}
