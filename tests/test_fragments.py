"""Kept markup: the same bytes as a fresh rendering, per language and choice, and never a typed answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, render_template_string
from markupsafe import Markup

from survey.fragments import Kept, kept, question_block
from survey.questionnaires.model import Questionnaire
from survey.respond import forms


@pytest.fixture
def questionnaire(app: Flask) -> Questionnaire:
    return app.extensions["survey.questionnaires"]["every-type"]


@pytest.fixture
def german(app: Flask) -> Iterator[None]:
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        yield


def fresh(app: Flask, question: Any, form: Any, ctx: dict[str, Any]) -> str:
    macro = app.jinja_env.get_template("questions.html").module.question  # type: ignore[attr-defined]
    return str(macro(question, form, [], ctx, []))


def shown(app: Flask, questionnaire: Questionnaire, question_id: str, answers: dict[str, Any]) -> tuple[str, str, str]:
    """The kept markup twice (when it is rendered, then when it is found) and a fresh rendering."""
    question = questionnaire.question(question_id)
    form = forms.build([question], "de", answers=answers)
    ctx = {"lang": "de", "answers": answers, "questionnaire": questionnaire, "heading": True}
    return (
        str(question_block(question, form, ctx, [])),
        str(question_block(question, form, ctx, [])),
        fresh(app, question, form, ctx),
    )


@pytest.mark.usefixtures("german")
@pytest.mark.parametrize(
    ("question_id", "answers"),
    [
        ("consent", {"consent": True}),
        ("country_birth", {"country_birth": "SY"}),
        ("working", {"working": 2}),
        ("home_langs", {"home_langs": [1, 3]}),
        ("mother_tongue", {}),
        ("life_sat", {"life_sat": "dont_know"}),
        ("trust", {"trust": {"police": 1, "courts": 2}}),
        ("end_note", {}),
    ],
)
def test_kept_question_is_the_markup_of_the_macro(app, questionnaire, question_id, answers):
    rendered, found, expected = shown(app, questionnaire, question_id, answers)
    assert rendered == found == expected


@pytest.mark.usefixtures("german")
def test_each_choice_has_its_own_markup(app, questionnaire):
    first, _, _ = shown(app, questionnaire, "working", {"working": 1})
    second, _, _ = shown(app, questionnaire, "working", {"working": 2})
    assert 'value="1" checked' in first and 'value="2" checked' not in first
    assert 'value="2" checked' in second and 'value="1" checked' not in second


@pytest.mark.usefixtures("german")
def test_typed_answers_are_never_kept(app, questionnaire):
    rendered, _, expected = shown(app, questionnaire, "why_police", {"why_police": "Meine eigene Antwort"})
    assert rendered == expected and "Meine eigene Antwort" in rendered
    assert all("Meine eigene Antwort" not in markup for _, markup in kept()._kept.values())


@pytest.mark.usefixtures("german")
def test_texts_with_piped_answers_are_rendered_afresh(app, questionnaire):
    question_id = next(q.id for q in questionnaire.questions() if q.coded and "{{" in q.text.get("de"))
    one = shown(app, questionnaire, question_id, {"municipality": 1})
    other = shown(app, questionnaire, question_id, {"municipality": 2})
    assert one[0] == one[2] and other[0] == other[2] and one[0] != other[0]


def test_kept_template_parts_follow_the_ui_language(app):
    source = '{% kept %}<button>{{ _("Continue") }}</button>{% endkept %}'
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        german = render_template_string(source)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(source)
    assert german == "<button>Weiter</button>" and english == "<button>Continue</button>"


def test_kept_parts_of_different_templates_do_not_mix(app):
    with app.test_request_context("/"):
        assert render_template_string("{% kept %}one{% endkept %}") == "one"
        assert render_template_string("{% kept %}two{% endkept %}") == "two"


def test_kept_markup_stays_within_its_bounds():
    store = Kept(entries=3, characters=10)
    for number in range(5):
        store.keep(number, Markup(str(number)))
    assert len(store._kept) <= 3
    store.keep("long", Markup("x" * 9))
    assert store._size <= 10


def test_messages_of_templates_with_kept_parts_are_extracted():
    from survey.i18n import catalogs

    messages = {message.id for message in catalogs.extract() if message.id}
    assert {"Skip to main content", "Staff", "Continue later"} <= messages  # inside `{% kept %}` parts
