"""Computed values, valid_if rules and a filtered list offline, end to end: an interview of the
`derived` questionnaire (its other calendars left out, which the runtime does not have yet) runs
through flow.js in Chromium, page by page; each page's errors and next page are what the Python code
answers for the same post; the record sealed in the browser is uploaded, opens with the Python vault
and is what the server itself keeps: its answers are the effective answers of the server's walk,
its route the server's, and the computed values shown offline are the server's."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey.offline.logic import describe
from survey.offline.messages import catalogs
from survey.questionnaires import model
from survey.questionnaires.loader import load_data
from survey.respond import flow
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import TEST_QUESTIONNAIRES, study_keys
from .conftest import ORIGIN, InThread
from .test_not_offline import _without
from .test_sync import interviewer
from .vectors import TODAY, _page

pytestmark = pytest.mark.browser

RUN_PAGE = """<!doctype html><html lang="en"><title>interview</title>
<script type="module">
import { prepare, readPage, savePage, visibleQuestions, walk } from "/survey/static/offline/flow.js";
import { TamperedInput } from "/survey/static/offline/rules.js";
import { readPublicKey, sealResponse, toBase64 } from "/survey/static/offline/seal.js";
window.interview = async ({ description, messages, steps, today, key, response }) => {
  const questionnaire = prepare(description);
  let state = { answers: {}, completed: [] };
  const done = [];
  for (const [pageId, lang, posted] of steps) {
    const page = questionnaire.pages.find((item) => item.id === pageId);
    const { effective } = walk(questionnaire, state.answers, today);
    const options = visibleQuestions(questionnaire, page, effective, today)
      .map((question) => [question.id, (question.options || []).map((option) => option.code)]);
    const before = { answers: state.answers, completed: state.completed };
    try {
      const context = { lang, catalog: messages[lang], today };
      const { errors, answers } = readPage(questionnaire, page, state.answers, posted, context);
      let next = null;
      if (!errors.length) {
        const saved = savePage(questionnaire, state, page, answers, today);
        state = { answers: saved.answers, completed: saved.completed };
        next = saved.next;
      }
      done.push({ before, options, errors, next });
    } catch (error) {
      done.push({ before, options, refused: error instanceof TamperedInput ? error.message : String(error) });
    }
  }
  const { effective, route, computed } = walk(questionnaire, state.answers, today);
  const record = {
    questionnaire: description.id, version: description.version, wave: description.wave, response,
    pseudonym: null, answers: effective, pages: route.pages.map((page) => page.id),
  };
  const sealed = toBase64(await sealResponse(record, readPublicKey(key)));
  return { done, record, computed, sealed };
};
window.ready = true;
</script>"""

# Page, respondent language, posted fields: a birth date in the future and an arrival before the
# birth year (both broken rules), a language the filtered list does not offer (refused), then answers
# that pass; Arabic-Indic digits on the way.
STEPS: list[tuple[str, str, dict[str, list[str]]]] = [
    ("name", "en", {"first_name": ["Amal"]}),
    ("birth", "en", {"birth-day": ["1"], "birth-month": ["1"], "birth-year": ["2027"]}),
    ("birth", "ar", {"birth-day": ["17"], "birth-month": ["5"], "birth-year": ["1990"]}),
    ("arrival", "ar", {"arrival_year": ["١٩٨٥"]}),
    ("arrival", "de", {"arrival_year": ["1985"]}),
    ("arrival", "ar", {"arrival_year": ["٢٠١٩"]}),
    ("langs", "en", {"langs": ["2", "3"]}),
    ("best", "en", {"best_lang": ["4"]}),
    ("best", "ar", {}),
    ("best", "ar", {"best_lang": ["3"]}),
    ("summary", "en", {}),
    ("adults", "en", {"course": ["1"]}),
]


def offline_copy() -> Any:
    """The derived questionnaire without its other calendars (answers are stored Gregorian either way)."""
    data = json.loads((TEST_QUESTIONNAIRES / "derived.json").read_text(encoding="utf-8"))
    _without(data, "calendars")
    questionnaire, problems = load_data(data)
    assert questionnaire is not None, problems
    return questionnaire


def test_an_interview_with_computed_values_rules_and_a_filtered_list_runs_offline_as_on_the_server(
    offline_page: Any, app: Flask
) -> None:
    questionnaire = offline_copy()
    with app.app_context():
        messages = catalogs(questionnaire)
    made = uuid.uuid4()
    key = json.loads(study_keys()[1].public().to_json())
    page: InThread = offline_page({"interview.html": RUN_PAGE})
    page.goto(f"{ORIGIN}/interview.html")
    page.wait_for_function("window.ready === true")
    arguments = {
        "description": describe(questionnaire),
        "messages": messages,
        "steps": STEPS,
        "today": TODAY.isoformat(),
        "key": key,
        "response": made.hex,
    }
    result = page.evaluate("(arguments) => window.interview(arguments)", arguments)

    # Each post: the errors, the refusal and the next page Python gives for it.
    for (page_id, lang, posted), done in zip(STEPS, result["done"], strict=True):
        case = {"page": page_id, "lang": lang, "posted": posted, **done["before"]}
        if "refused" in done:
            case["tampered"] = True
        expected = _page(app, questionnaire, case)
        where = f"{page_id} {posted}"
        assert done.get("refused") == expected.get("refused"), where
        if "refused" not in done:
            assert done["errors"] == expected["errors"], where
            assert done["next"] == (expected["saved"]["next"] if "saved" in expected else None), where
        effective, _ = flow.walk(questionnaire, case["answers"], TODAY)
        shown = flow.visible_questions(questionnaire, questionnaire.page(page_id), effective, TODAY)
        assert done["options"] == [[q.id, [o.code for o in getattr(q, "options", ())]] for q in shown], where
    errors = [message for done in result["done"] for _, message in done.get("errors", [])]
    birth_rule = questionnaire.question("birth").invalid_message
    arrival_rule = questionnaire.question("arrival_year").invalid_message
    assert errors == [birth_rule.get("en"), arrival_rule.get("ar"), arrival_rule.get("de"), "اختر إجابة"]
    assert result["done"][7]["refused"] == "best_lang: unknown option code"
    assert result["done"][8]["options"] == [["best_lang", [2, 3]]]  # only the languages chosen
    assert result["done"][-1]["next"] == "review"
    assert result["computed"] == {"age": 36, "years_here": 7, "adult": True}

    # The sealed record, uploaded, opens to what the runtime kept; the server's own walk keeps it all.
    upload = {
        "id": str(made),
        "questionnaire": "derived",
        "version": questionnaire.version,
        "sealed": result["sealed"],
        "languages": ["ar", "en"],
        "device_class": "tablet",
        "started": "2026-12-07T10:00:00Z",
        "ended": "2026-12-07T10:20:00Z",
    }
    client = interviewer(app)
    answer = client.post("/offline/records", json={"records": [upload]})
    assert answer.get_json() == {"stored": [made.hex], "already": [], "refused": []}
    private = study_keys()[1]
    with app.extensions["survey.db"].sessions() as db:
        stored = db.scalars(select(SealedResponse).where(SealedResponse.id == made.hex)).one()
    opened = unseal_response(made.hex, "derived", questionnaire.version, stored.content, {private.key_id: private})
    assert opened == result["record"]
    assert opened["answers"] == {
        "first_name": "Amal",
        "birth": "1990-05-17",
        "arrival_year": 2019,
        "langs": [2, 3],
        "best_lang": 3,
        "course": 1,
    }
    with app.app_context():
        server = app.extensions["survey.questionnaires"]["derived"]
    effective, route = flow.walk(server, opened["answers"], TODAY)
    assert effective == opened["answers"]
    assert [page.id for page in route.pages] == opened["pages"]
    values = model.lookup(server, effective, TODAY)
    assert {computed.id: computed.calculation.value(values) for computed in server.computed} == result["computed"]
    assert base64.b64decode(result["sealed"])[:2] == b"R1"
