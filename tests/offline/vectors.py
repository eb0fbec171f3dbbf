"""The shared logic vectors: the inputs in tests/offline/cases.py with the answers the Python code
gives, written to tests/data/logic-vectors/ (`python -m tests.offline.vectors` after a change of
the cases or of the Python logic). tests/offline/test_logic_vectors.py checks the stored files
against the Python code and runs them through the JavaScript runtime."""

from __future__ import annotations

import copy
import datetime
import json
import re
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
from survey.questionnaires import model
from survey.questionnaires.loader import load_data
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.questions import TamperedInput
from survey.respond import flow, forms, services

from . import cases, member_cases, roster_cases
from .calendar_vectors import calendar_pages, calendar_vectors
from .pipe_vectors import pipe_vectors

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent / "data" / "logic-vectors"


# The interview date of the questionnaire vectors (conditions, computed values and rules read it).
TODAY = datetime.date(2026, 12, 7)


def _symbol(spec: dict[str, Any], outer: dict[str, Any]) -> ex.Symbol:
    if spec["kind"] == ex.MEMBERS:
        return ex.Symbol(ex.MEMBERS, members=_resolver({**outer, **spec["members"]}, "in the members of 'household'"))
    return ex.Symbol(spec["kind"], frozenset(spec["codes"]) if spec["codes"] is not None else None)


def _resolver(specs: dict[str, Any], where: str = "") -> Any:
    """Names resolve in `specs` (a roster's members: theirs before the rest), as the loader does."""

    def resolve(ref: ex.Ref) -> ex.Symbol:
        if ref.name not in specs:
            raise ex.ExpressionError(f"unknown question '{ref.name}'" + (f" {where}" if where else ""), ref.position)
        return _symbol(specs[ref.name], cases.SYMBOLS)

    return resolve


def _lookup(values: dict[str, Any]) -> Any:
    """A set of values as expressions see them: lists of options as sets, a roster's members each
    with a lookup of their own (their answers before the rest)."""

    def lookup(ref: ex.Ref) -> Any:
        value = values.get(ref.name)
        spec = cases.SYMBOLS.get(ref.name)
        if spec is not None and spec["kind"] == ex.MEMBERS:
            return tuple(_lookup({**values, **member}) for member in value or [])
        return frozenset(value) if isinstance(value, list) else value

    return lookup


def conditions() -> dict[str, Any]:
    """Each condition evaluated under each set of values; each computed value worked out under each;
    each bad condition's and bad computed value's error and position."""
    resolve = _resolver(cases.SYMBOLS)
    results = []
    for source in cases.CONDITIONS:
        condition = ex.compile_condition(source, resolve)
        results.append({"source": source, "results": [condition.holds(_lookup(values)) for values in cases.VALUES]})
    calculations = []
    for source in cases.CALCULATIONS:
        calculation = ex.compile_calculation(source, resolve)
        values = [calculation.value(_lookup(values)) for values in cases.VALUES]
        # As a piped text shows it (model.piped_value): nothing when unknown.
        computed = model.Computed("value", model.Text.of(None, "en"), calculation)
        shown = ["" if value is None else computed.display(value) for value in values]
        calculations.append({"source": source, "kind": calculation.kind, "results": values, "display": shown})
    errors = []
    for source in cases.BAD_CONDITIONS:
        try:
            ex.compile_condition(source, resolve)
        except ex.ExpressionError as error:
            errors.append({"source": source, "message": error.message, "position": error.position})
        else:
            raise AssertionError(f"{source!r} should not compile")
    calculation_errors = []
    for source in cases.BAD_CALCULATIONS:
        try:
            ex.compile_calculation(source, resolve)
        except ex.ExpressionError as error:
            calculation_errors.append({"source": source, "message": error.message, "position": error.position})
        else:
            raise AssertionError(f"{source!r} should not compile")
    return {
        "symbols": cases.SYMBOLS,
        "values": cases.VALUES,
        "conditions": results,
        "errors": errors,
        "calculations": calculations,
        "calculation_errors": calculation_errors,
    }


def questionnaire(source: ModuleType = cases) -> Questionnaire:
    loaded, problems = load_data(source.QUESTIONNAIRE, f"tests/offline/{source.__name__.rsplit('.', 1)[-1]}.py")
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


def _piped(q: Questionnaire, text: str, answers: dict[str, Any]) -> str:
    """model.pipe of `text` in German over `answers`, with computed values worked out on TODAY."""

    def replace(match: re.Match[str]) -> str:
        shown = model.piped_value(match.group(1), answers, q, "de", TODAY, member=model._member(match))
        return f"{model.FSI}{shown}{model.PDI}" if shown else ""

    return model.PIPE.sub(replace, text)


def _route(q: Questionnaire, case: dict[str, Any], pipes: tuple[str, ...] = ()) -> dict[str, Any]:
    effective, route = flow.walk(q, case["answers"], TODAY)
    _, shown = flow.asked(q, case["answers"], TODAY)
    following = route.first_open(case["completed"])
    values = model.lookup(q, effective, TODAY)
    return {
        **case,
        "pages": [page.id for page in route.pages],
        "questions": {
            page.id: [question.id for question in flow.visible_questions(q, page, effective, TODAY)]
            for page in route.pages
        },
        "shown": sorted(shown),
        "effective": effective,
        "computed": {computed.id: computed.calculation.value(values) for computed in q.computed},
        "reachable": [page_id for page_id in candidates(q, route) if route.reachable(case["completed"], page_id)],
        "next": following.id if following else None,
        "progress": {page.id: list(route.progress(page.id)) for page in route.pages},
    } | ({"piped": [[text, _piped(q, text, effective)] for text in pipes]} if pipes else {})


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
    effective, route = flow.walk(q, case["answers"], TODAY)
    assert route.reachable(case["completed"], page.id), f"{case['page']}: not reachable in this case"
    questions = flow.visible_questions(q, page, effective, TODAY)
    posted = MultiDict([(name, value) for name, values in case["posted"].items() for value in values])
    with app.test_request_context(method="POST"), force_locale(case["lang"]):
        try:
            forms.check_posted(questions, posted)
        except TamperedInput as error:
            if case.get("tampered"):  # an option code the page does not offer: refused, not validated
                return {**case, "refused": str(error)}
            raise AssertionError(f"{case['page']}: no honest form posts this ({error})") from None
        assert not case.get("tampered"), f"{case['page']}: the server takes this post"
        form = forms.build(questions, case["lang"], formdata=posted)
        errors = [[error.anchor, error.message] for error in forms.validate(questions, form, case["lang"])]
        read = forms.answers_from(questions, form)
        if not errors:  # survey/respond/pages.question_page: the rules once every field is fine
            broken = flow.rule_errors(q, questions, read, effective, case["lang"], TODAY)
            errors = [[question.anchor(), message] for question, message in broken]
    result: dict[str, Any] = {**case, "errors": errors, "read": read}
    if not errors:
        # survey/respond/services.save_page, then survey/respond/pages.question_page's redirect.
        answers = _saved(page, case["answers"], read)
        completed = list(case["completed"]) + ([] if page.id in case["completed"] else [page.id])
        _, new_route = flow.walk(q, answers, TODAY)
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
        "today": TODAY.isoformat(),
        "questionnaire": describe(q),
        "messages": messages,
        "routes": [_route(q, case, getattr(source, "PIPED", ())) for case in source.ROUTES],
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
        "pipes.json": pipe_vectors(app),
        "calendars.json": calendar_vectors(),
        "calendar-pages.json": calendar_pages(app),
        "rosters.json": questionnaire_vectors(app, roster_cases),
        "members.json": questionnaire_vectors(app, member_cases),
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
        effective, _ = flow.walk(q, base["answers"], TODAY)
        posted: dict[str, list[str]] = {}
        for question in flow.visible_questions(q, page, effective, TODAY):
            for name in question.field_names():
                if rng.random() < 0.8:
                    values = [rng.choice(TYPED) for _ in range(rng.choice((1, 1, 1, 2)))]
                    posted[name] = list(dict.fromkeys(values))
        case = {**base, "posted": posted, "lang": rng.choice(cases.LANGS)}
        case.pop("tampered", None)  # random values: refused posts are left out below
        try:
            made.append(_page(app, q, case))
        except AssertionError:
            continue  # a tampered post: the server refuses it before validation
    vectors = questionnaire_vectors(app)
    with app.app_context():
        counts = {0, 1, 2}
        messages = {lang: catalog(lang, counts) for lang in cases.LANGS}
    return {**vectors, "messages": messages, "routes": [], "pages": made}


def _random_values(rng: Any) -> dict[str, Any]:
    """A set of answers as the server could hold them (any of them missing)."""
    maybe = {
        "age": lambda: rng.choice([rng.randint(-2, 99), 0, 18]),
        "wage": lambda: rng.choice([12.5, 0.0, 0.125, rng.randint(0, 400) / 8, 1e-7]),
        "rating": lambda: rng.choice([1, 2, 3]),
        "country": lambda: rng.choice(["DE", "SY", "UA", "AF"]),
        "name": lambda: rng.choice(["", "Ala'a", "x"]),
        "arrived": lambda: rng.choice(["2016-03", "1999", "2026-12-07", "2024-02-29", "2000-01"]),
        "birth": lambda: rng.choice(["1990-05-17", "2008-12-08", "2000-02", "1985", "2026-12-07"]),
        "langs": lambda: sorted(rng.sample([1, 2, 3, 4], rng.randint(0, 3))),
        "consent": lambda: True,
        "trust.police": lambda: rng.choice([1, 2, 3]),
        "trust.courts": lambda: rng.choice([1, 2, 3]),
        cases.TODAY: lambda: rng.choice(["2026-12-07", "2027-01-01", "2026-05-17"]),
    }
    values = {name: make() for name, make in maybe.items() if rng.random() < 0.8}
    if rng.random() < 0.8:
        members = [
            {
                key: value
                for key, value in (("m_age", rng.randint(0, 90)), ("m_sex", rng.choice([1, 2])))
                if rng.random() < 0.8
            }
            for _ in range(rng.randint(0, 3))
        ]
        values["household"] = members
    return values


def _random_source(rng: Any, depth: int, want: str) -> str:
    """A random expression of the kind `want` (number, date, text, bool) from the whole language."""
    r = rng.random
    if want == "number":
        if depth <= 0 or r() < 0.35:
            return rng.choice(
                ["age", "wage", "rating", "trust.police", "count(langs)", "count(household)", "year(arrived)",
                 "month(arrived)", "years_between(birth, today())", "year(today())", "0", "1", "2.5", "-3", "١٢",
                 "12.375", "m_age"]
            )  # fmt: skip
        left, right = _random_source(rng, depth - 1, "number"), _random_source(rng, depth - 1, "number")
        return rng.choice([f"{left} + {right}", f"{left} - {right}", f"{left}*{right}", f"-{left}", f"({left})"])
    if want == "date":
        return rng.choice(["arrived", "birth", "today()", "'2016-03'", "'2020'", "'2026-12-07'"])
    if want == "text":
        return rng.choice(["country", "name", "'SY'", "''", "'DE'"])
    if depth <= 0 or r() < 0.25:
        return rng.choice(["consent", "true", "false", "answered(age)", "answered(trust.police)", "langs in (1, 3)",
                           "country not in ('SY')", "rating in (2)"])  # fmt: skip
    op = rng.choice(["=", "!=", "<", "<=", ">", ">="])
    choice = rng.randrange(9)
    if choice == 0:
        return f"{_random_source(rng, depth - 1, 'number')} {op} {_random_source(rng, depth - 1, 'number')}"
    if choice == 1:
        return f"{_random_source(rng, 0, 'date')} {op} {_random_source(rng, 0, 'date')}"
    if choice == 2:
        return f"{_random_source(rng, 0, 'text')} {rng.choice(['=', '!='])} {_random_source(rng, 0, 'text')}"
    if choice == 3:
        return f"not {_random_source(rng, depth - 1, 'bool')}"
    if choice == 4:
        return f"{_random_source(rng, depth - 1, 'bool')} and {_random_source(rng, depth - 1, 'bool')}"
    if choice == 5:
        return f"({_random_source(rng, depth - 1, 'bool')} or {_random_source(rng, depth - 1, 'bool')})"
    quantifier = rng.choice(["any", "all"])
    return f"{quantifier}(household, {_random_source(rng, depth - 1, 'bool')})"


def _mangled(rng: Any, source: str) -> str:
    """The source with one piece dropped, doubled or swapped for another: mostly refused."""
    pieces = [piece for piece in re.split(r"(\s+|[(),])", source) if piece]
    index = rng.randrange(len(pieces))
    change = rng.randrange(3)
    if change == 0:
        del pieces[index]
    elif change == 1:
        pieces.insert(index, pieces[index])
    else:
        pieces[index] = rng.choice(["(", ")", ",", "/", "+", "'", "in", "nope", "household", "langs", "count(", "."])
    return "".join(pieces)


def random_expressions(seed: int, count: int) -> dict[str, Any]:
    """`count` random conditions and `count` random computed values (a third of each mangled) with
    Python's answers under random sets of answers: in the format of conditions.json."""
    import random

    rng = random.Random(seed)
    resolve = _resolver(cases.SYMBOLS)
    values_sets = [_random_values(rng) for _ in range(6)]
    found: dict[str, list[Any]] = {"conditions": [], "errors": [], "calculations": [], "calculation_errors": []}
    for index in range(2 * count):
        condition = index < count
        source = _random_source(rng, 3, "bool" if condition else rng.choice(["number", "number", "bool", "date"]))
        if rng.random() < 0.33:
            source = _mangled(rng, source)
        try:
            if condition:
                compiled = ex.compile_condition(source, resolve)
                found["conditions"].append(
                    {"source": source, "results": [compiled.holds(_lookup(values)) for values in values_sets]}
                )
            else:
                calculation = ex.compile_calculation(source, resolve)
                results = [calculation.value(_lookup(values)) for values in values_sets]
                computed = model.Computed("value", model.Text.of(None, "en"), calculation)
                shown = ["" if value is None else computed.display(value) for value in results]
                found["calculations"].append(
                    {"source": source, "kind": calculation.kind, "results": results, "display": shown}
                )
        except ex.ExpressionError as error:
            where = "errors" if condition else "calculation_errors"
            found[where].append({"source": source, "message": error.message, "position": error.position})
    return {"symbols": cases.SYMBOLS, "values": values_sets, **found}


def random_roster_interviews(app: Flask, seed: int, count: int, source: ModuleType = roster_cases) -> dict[str, Any]:
    """`count` posts of whole random interviews through the roster questionnaire (tests/offline/
    roster_cases.py, or `source`, e.g. study_cases.py: the shipped study): answers a person could give
    or mistype (the source's POSTS name likelier answers for some questions), "yes" and "no" on "add
    another?", going back to a random earlier page now and then; each post with Python's answers and
    the route before it."""
    import random

    from ..journey import valid_post

    rng = random.Random(seed)
    q = questionnaire(source)
    likely: dict[str, list[str]] = getattr(source, "POSTS", {})
    routes: list[dict[str, Any]] = []
    made: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    completed: list[str] = []
    while len(made) < count:
        effective, route = flow.walk(q, answers, TODAY)
        following = route.first_open(completed)
        if following is None or rng.random() < 0.1:  # the review's "Change": any page done so far
            done = [page for page in route.pages if route.reachable(completed, page.id)]
            if following is None and rng.random() < 0.2:
                answers, completed = {}, []  # a new interview
                continue
            following = rng.choice(done)
        routes.append(_route(q, {"answers": answers, "completed": completed}))
        posted: dict[str, list[str]] = {}
        for question in flow.visible_questions(q, following, effective, TODAY):
            if question.id in likely and rng.random() < 0.9:
                posted[question.id] = [rng.choice(likely[question.id])]
            elif rng.random() < 0.8:
                for name, value in valid_post(question, pick=rng.randrange(6)):
                    posted.setdefault(name, []).append(value)
            else:
                for name in question.field_names():
                    if rng.random() < 0.7:
                        posted[name] = [rng.choice(TYPED)]
        case = {
            "page": following.id,
            "lang": rng.choice(source.LANGS),
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
    vectors = questionnaire_vectors(app, source)
    with app.app_context():
        messages = {lang: catalog(lang, counts_for(q)) for lang in source.LANGS}
    return {**vectors, "messages": messages, "routes": routes, "pages": made}
