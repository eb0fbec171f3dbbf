"""What questionnaire size costs: CPU per question page (GET) and per answer (POST) in process for
questionnaires of 50 / 500 / 2,000 questions, and the app's start-up time with 1 / 16 / 64
questionnaires. Each size runs in a fresh process (`python bench/questionnaire_size.py pages|startup
FOLDER N`), so that one size's caches and garbage do not bill the next; the figures are ratios
against the smallest size measured in the same run.

The generated questionnaire has five single-choice questions per page; every fourth page is shown
only after an answer on the page before, so skip logic is evaluated as in a real study.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from figures import Figure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PER_PAGE = 5
SIZES = (50, 500, 2_000)
QUICK_SIZES = (50, 500)
COUNTS = (1, 16, 64)
QUICK_COUNTS = (1, 16)
SIZE_GOAL = 1.5  # cost per page at 2,000 questions against 50
WORKER_TIMEOUT = 30  # gunicorn's default: a worker slower to start is killed
SAMPLED_PAGES = 40  # pages timed per journey, spread over the whole questionnaire
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SECONDS = 600


def generated(questions: int, name: str = "size") -> dict[str, Any]:
    """A questionnaire of `questions` single-choice questions in German and English."""
    pages = []
    for page_index in range(questions // PER_PAGE):
        items = []
        for position in range(PER_PAGE):
            number = page_index * PER_PAGE + position
            items.append(
                {
                    "id": f"q{number}",
                    "type": "single_choice",
                    "privacy": "none",
                    "text": {"de": f"Frage {number}?", "en": f"Question {number}?"},
                    "options": [
                        {"code": 1, "label": {"de": "Ja", "en": "Yes"}},
                        {"code": 2, "label": {"de": "Nein", "en": "No"}},
                    ],
                }
            )
        page: dict[str, Any] = {"id": f"p{page_index}", "questions": items}
        if page_index % 4 == 3:
            page["show_if"] = f"q{(page_index - 1) * PER_PAGE} = 1"
        pages.append(page)
    return {
        "format": 1,
        "id": name,
        "version": "1",
        "default_language": "de",
        "languages": {"de": {"reviewed": True}, "en": {"reviewed": True}},
        "title": {"de": "Größe", "en": "Size"},
        "pages": pages,
    }


def _environment(instance: Path, questionnaires: Path) -> dict[str, str]:
    import servers

    return {**servers.clean_environment(instance), "SURVEY_QUESTIONNAIRE_DIR": str(questionnaires)}


def _child(env: dict[str, str], *arguments: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=SECONDS)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def page_costs(instance: Path, folder: Path, quick: bool) -> list[Figure]:
    sizes = QUICK_SIZES if quick else SIZES
    costs = {}
    for size in sizes:
        questionnaires = folder / f"size-{size}"
        questionnaires.mkdir()
        (questionnaires / "size.json").write_text(json.dumps(generated(size)), encoding="utf-8")
        print(f"questionnaire size {size}: one journey ...", file=sys.stderr)
        costs[size] = _child(_environment(instance, questionnaires), "pages", str(size))
    smallest = sizes[0]
    found = []
    for kind, label in (("get", "GET question page"), ("post", "POST answers")):
        for size in sizes:
            largest = size == SIZES[-1]  # the goal is for 2,000 questions against 50 (not in --quick)
            found.append(
                Figure(
                    "size",
                    f"{label}, {size:,} questions (CPU in process)",
                    costs[size][kind] * 1000,
                    "ms",
                    baseline=costs[smallest][kind] * 1000 if size != smallest else None,
                    baseline_name=f"{smallest} questions",
                    goal=f"ratio <= {SIZE_GOAL}" if largest else "",
                    met=costs[size][kind] / costs[smallest][kind] <= SIZE_GOAL if largest else None,
                    details={"pages_timed": costs[size]["pages"]},
                )
            )
    return found


def startup(instance: Path, folder: Path, quick: bool) -> list[Figure]:
    counts = QUICK_COUNTS if quick else COUNTS
    study = json.loads((ROOT / "questionnaires" / "wetterau-integration.json").read_text(encoding="utf-8"))
    times: dict[int, dict[str, float]] = {}
    for count in counts:
        questionnaires = folder / f"startup-{count}"
        questionnaires.mkdir()
        for index in range(count):
            copy = {**study, "id": f"study-{index}"}
            (questionnaires / f"study-{index}.json").write_text(json.dumps(copy), encoding="utf-8")
        for audio in (ROOT / "questionnaires").iterdir():
            if audio.is_dir():
                shutil.copytree(audio, questionnaires / audio.name, dirs_exist_ok=True)
        env = _environment(instance, questionnaires)
        print(f"start-up with {count} questionnaire(s) ...", file=sys.stderr)
        shutil.rmtree(instance / "questionnaire-cache", ignore_errors=True)
        cold = _child(env, "startup", "0")["seconds"]
        warm = _child(env, "startup", "0")["seconds"]  # a second worker or export process
        times[count] = {"cold": cold, "warm": warm}
    smallest = counts[0]
    found = []
    for count in counts:
        found.append(
            Figure(
                "startup",
                f"create_app, {count} questionnaire(s), first process",
                times[count]["cold"],
                "s",
                baseline=times[smallest]["cold"] if count != smallest else None,
                baseline_name=f"{smallest} questionnaire",
            )
        )
    for count in counts:
        largest = count == counts[-1]
        found.append(
            Figure(
                "startup",
                f"create_app, {count} questionnaire(s), every later process",
                times[count]["warm"],
                "s",
                baseline=times[smallest]["warm"] if count != smallest else None,
                baseline_name=f"{smallest} questionnaire",
                goal=f"< {WORKER_TIMEOUT} s (gunicorn worker timeout)" if largest else "",
                met=times[count]["warm"] < WORKER_TIMEOUT if largest else None,
                note=(
                    "create_app in a fresh interpreter, imports included; later processes find the schema "
                    "validation of each file remembered under instance/questionnaire-cache"
                )
                if largest
                else "",
            )
        )
    return found


# In the child process -------------------------------------------------------------------------


def _token(body: bytes) -> str:
    match = TOKEN.search(body.decode())
    if match is None:
        raise RuntimeError("page without a CSRF token")
    return match.group(1)


def child_pages(size: int) -> dict[str, Any]:
    """One journey through the whole questionnaire; CPU of the GET and POST of sampled pages."""
    from survey import create_app

    app = create_app()
    gets: list[float] = []
    posts: list[float] = []
    # One journey untimed first: templates compiled and the per-text caches filled for every page, as
    # in a server that has already served this questionnaire to other respondents.
    walked = _journey(app.test_client(), size, [], [])
    while len(gets) < SAMPLED_PAGES:  # small questionnaires: several respondents, one after another
        walked += _journey(app.test_client(), size, gets, posts)
    return {"get": statistics.median(gets), "post": statistics.median(posts), "pages": len(gets), "walked": walked}


def _journey(client: Any, size: int, gets: list[float], posts: list[float]) -> int:
    start = client.get("/size/start")
    answer = client.post("/size/start", data={"csrf_token": _token(start.data)})
    location = answer.headers["Location"]
    every = max(1, size // PER_PAGE // SAMPLED_PAGES)
    index = 0
    gc.collect()
    while "/p/" in location:
        timed = index % every == 0
        started = time.process_time()
        page = client.get(location)
        if timed:
            gets.append(time.process_time() - started)
        fields = {"csrf_token": _token(page.data)}
        fields.update({name: "1" for name in re.findall(r'name="(q\d+)"', page.data.decode())})
        started = time.process_time()
        answered = client.post(location, data=fields)
        if timed:
            posts.append(time.process_time() - started)
        if answered.status_code not in (302, 303):
            raise RuntimeError(f"{location}: answer refused ({answered.status_code})")
        location = answered.headers["Location"]
        index += 1
    return index


def child_startup() -> dict[str, Any]:
    import survey

    started = time.perf_counter()
    survey.create_app()
    return {"seconds": time.perf_counter() - started}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    kind = sys.argv[1]
    result = child_pages(int(sys.argv[2])) if kind == "pages" else child_startup()
    print(json.dumps(result))
