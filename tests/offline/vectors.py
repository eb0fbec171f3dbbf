"""The shared logic vectors: the inputs in tests/offline/cases.py with the answers the Python code
gives, written to tests/data/logic-vectors/ (`python -m tests.offline.vectors` after a change of
the cases or of the Python logic). tests/offline/test_logic_vectors.py checks the stored files
against the Python code and runs them through the JavaScript runtime."""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from flask import Flask
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from survey.offline.logic import describe
from survey.offline.messages import catalog, counts_for
from survey.questionnaires import expressions as ex
from survey.questionnaires.loader import load_data
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.questions import TamperedInput
from survey.respond import flow, forms, services

from . import cases, roster_cases

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent / "data" / "logic-vectors"


def _symbol(spec: dict[str, Any]) -> ex.Symbol:
    return ex.Symbol(spec["kind"], frozenset(spec["codes"]) if spec["codes"] is not None else None)


def conditions() -> dict[str, Any]:
    """Each condition evaluated under each set of values; each bad condition's error and position."""
    symbols = {name: _symbol(spec) for name, spec in cases.SYMBOLS.items()}
    results = []
    for source in cases.CONDITIONS:
        condition = ex.compile_condition(source, symbols)
        outcomes = []
        for values in cases.VALUES:

            def lookup(ref: ex.Ref, values: dict[str, Any] = values) -> Any:
                value = values.get(ref.name)
                return frozenset(value) if isinstance(value, list) else value

            outcomes.append(condition.holds(lookup))
        results.append({"source": source, "results": outcomes})
    errors = []
    for source in cases.BAD_CONDITIONS:
        try:
            ex.compile_condition(source, symbols)
        except ex.ExpressionError as error:
            errors.append({"source": source, "message": error.message, "position": error.position})
        else:
            raise AssertionError(f"{source!r} should not compile")
    return {"symbols": cases.SYMBOLS, "values": cases.VALUES, "conditions": results, "errors": errors}


def questionnaire(source: ModuleType = cases) -> Questionnaire:
    loaded, problems = load_data(source.QUESTIONNAIRE, f"tests/offline/{source.__name__.rsplit('.', 1)[-1]}.py")
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


def _route(q: Questionnaire, case: dict[str, Any]) -> dict[str, Any]:
    effective, route = flow.walk(q, case["answers"])
    _, shown = flow.asked(q, case["answers"])
    following = route.first_open(case["completed"])
    return {
        **case,
        "pages": [page.id for page in route.pages],
        "questions": {
            page.id: [question.id for question in flow.visible_questions(q, page, effective)] for page in route.pages
        },
        "shown": sorted(shown),
        "effective": effective,
        "reachable": [page_id for page_id in candidates(q, route) if route.reachable(case["completed"], page_id)],
        "next": following.id if following else None,
        "progress": {page.id: list(route.progress(page.id)) for page in route.pages},
    }


def candidates(q: Questionnaire, route: flow.Route) -> list[str]:
    """The pages whose reachability a route vector lists: the top-level ones, then its member pages."""
    return list(dict.fromkeys([*(page.id for page in q.pages), *(page.id for page in route.pages)]))


def _saved(page: Any, answers: dict[str, Any], read: dict[str, Any]) -> dict[str, Any]:
    """The answers after survey/respond/services.save_page stored the page's answers `read`."""
    answers = copy.deepcopy(answers)
    state = SimpleNamespace(answers=answers)
    if page.adds_member:
        services._add_member(state, page, read)  # type: ignore[arg-type]
        return answers
    own = services._member_of(state, page) if page.roster else answers  # type: ignore[arg-type]
    for question in page.questions:
        own.pop(question.id, None)
    own.update({qid: value for qid, value in read.items() if value is not None})
    return answers


def _page(app: Flask, q: Questionnaire, case: dict[str, Any]) -> dict[str, Any]:
    page = q.page(case["page"])
    effective, route = flow.walk(q, case["answers"])
    assert route.reachable(case["completed"], page.id), f"{case['page']}: not reachable in this case"
    questions = flow.visible_questions(q, page, effective)
    posted = MultiDict([(name, value) for name, values in case["posted"].items() for value in values])
    with app.test_request_context(method="POST"), force_locale(case["lang"]):
        try:
            forms.check_posted(questions, posted)
        except TamperedInput as error:
            raise AssertionError(f"{case['page']}: no honest form posts this ({error})") from None
        form = forms.build(questions, case["lang"], formdata=posted)
        errors = [[error.anchor, error.message] for error in forms.validate(questions, form, case["lang"])]
        read = forms.answers_from(questions, form)
    result: dict[str, Any] = {**case, "errors": errors, "read": read}
    if not errors:
        # survey/respond/services.save_page, then survey/respond/pages.question_page's redirect.
        answers = _saved(page, case["answers"], read)
        completed = list(case["completed"]) + ([] if page.id in case["completed"] else [page.id])
        _, new_route = flow.walk(q, answers)
        # A page that left the route ("add another?" after a new member) goes on to the first open page.
        after = new_route.neighbours(page.id)[1] if new_route.reachable(completed, page.id) else None
        following = after or new_route.first_open(completed)
        result["saved"] = {"answers": answers, "completed": completed, "next": following.id if following else "review"}
    return result


def questionnaire_vectors(app: Flask, source: ModuleType = cases) -> dict[str, Any]:
    q = questionnaire(source)
    counts = counts_for(q)
    with app.app_context():
        messages = {lang: catalog(lang, counts) for lang in sorted({case["lang"] for case in source.PAGES})}
    return {
        "questionnaire": describe(q),
        "messages": messages,
        "routes": [_route(q, case) for case in source.ROUTES],
        "pages": [_page(app, q, case) for case in source.PAGES],
    }


def vector_app() -> Flask:
    from ..conftest import make_app

    database = Path(tempfile.mkdtemp(prefix="logic-vectors-")) / "unused.sqlite3"
    return make_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=False)


def generate(app: Flask) -> dict[str, dict[str, Any]]:
    """File name -> content of every vector file."""
    return {
        "conditions.json": conditions(),
        "questionnaire.json": questionnaire_vectors(app),
        "rosters.json": questionnaire_vectors(app, roster_cases),
    }


def dump(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    app = vector_app()
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, content in generate(app).items():
        (FOLDER / name).write_text(dump(content), encoding="utf-8")
        print(f"wrote {FOLDER / name}")
    app.extensions["survey.db"].dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())


# Values a person (or a keyboard in another script) may type into any field.
TYPED = (
    "", " ", "0", "-0", "+1", "7", "  7  ", "\u00a07", "1e3", "١٢", "۱۹۸۵", "３", "²", "12.345", "1,5", ".5", "5.",
    "0.25", "٣٫٥", "abc", "dont_know", "refused", "yes", "1", "2", "9", "2016", "02", "31", "29", "13", "0", "9999",
    "10000", "0999", "1 000", "61169", "6١١٦٩", "Koch", "Bäcker-Meister", "x" * 41, "a\r\nb", "SY", "DE", "ar",
)  # fmt: skip


def random_posts(app: Flask, seed: int, count: int) -> dict[str, Any]:
    """`count` posts of random typed values onto the pages of cases.PAGES, with Python's answers
    (posts no honest form could make are left out)."""
    import random

    rng = random.Random(seed)
    q = questionnaire()
    made: list[dict[str, Any]] = []
    while len(made) < count:
        base = rng.choice(cases.PAGES)
        page = q.page(base["page"])
        effective, _ = flow.walk(q, base["answers"])
        posted: dict[str, list[str]] = {}
        for question in flow.visible_questions(q, page, effective):
            for name in question.field_names():
                if rng.random() < 0.8:
                    values = [rng.choice(TYPED) for _ in range(rng.choice((1, 1, 1, 2)))]
                    posted[name] = list(dict.fromkeys(values))
        case = {**base, "posted": posted, "lang": rng.choice(cases.LANGS)}
        try:
            made.append(_page(app, q, case))
        except AssertionError:
            continue  # a tampered post: the server refuses it before validation
    vectors = questionnaire_vectors(app)
    with app.app_context():
        counts = {0, 1, 2}
        messages = {lang: catalog(lang, counts) for lang in cases.LANGS}
    return {**vectors, "messages": messages, "routes": [], "pages": made}


def random_roster_interviews(app: Flask, seed: int, count: int) -> dict[str, Any]:
    """`count` posts of whole random interviews through the roster questionnaire (tests/offline/
    roster_cases.py): answers a person could give or mistype, "yes" and "no" on "add another?", going
    back to a random earlier page now and then; each post with Python's answers and the route before it."""
    import random

    from ..journey import valid_post

    rng = random.Random(seed)
    q = questionnaire(roster_cases)
    routes: list[dict[str, Any]] = []
    made: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    completed: list[str] = []
    while len(made) < count:
        effective, route = flow.walk(q, answers)
        following = route.first_open(completed)
        if following is None or rng.random() < 0.1:  # the review's "Change": any page done so far
            done = [page for page in route.pages if route.reachable(completed, page.id)]
            if following is None and rng.random() < 0.2:
                answers, completed = {}, []  # a new interview
                continue
            following = rng.choice(done)
        routes.append(_route(q, {"answers": answers, "completed": completed}))
        posted: dict[str, list[str]] = {}
        for question in flow.visible_questions(q, following, effective):
            if rng.random() < 0.8:
                for name, value in valid_post(question, pick=rng.randrange(6)):
                    posted.setdefault(name, []).append(value)
            else:
                for name in question.field_names():
                    if rng.random() < 0.7:
                        posted[name] = [rng.choice(TYPED)]
        case = {
            "page": following.id,
            "lang": rng.choice(roster_cases.LANGS),
            "answers": answers,
            "completed": completed,
            "posted": posted,
        }
        try:
            result = _page(app, q, case)
        except AssertionError:
            continue  # a post no honest form makes: the server refuses it before validation
        made.append(result)
        if "saved" in result:
            answers, completed = result["saved"]["answers"], result["saved"]["completed"]
    vectors = questionnaire_vectors(app, roster_cases)
    with app.app_context():
        messages = {lang: catalog(lang, counts_for(q)) for lang in roster_cases.LANGS}
    return {**vectors, "messages": messages, "routes": routes, "pages": made}
