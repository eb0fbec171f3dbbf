"""Section 1, page weight: the gzip-compressed bytes of each kind of respondent page of the shipped
study, as a first visit transfers them (the page, the CSS it links, any script), beside the
SurveyJS runtime such a page would need instead (survey-core + survey-js-ui + default CSS, gzip -9)."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import wire
from figures import Figure
from respondent import SCRIPT, SCRIPT_SOURCE, STYLESHEET, Respondent, path_of
from servers import Gunicorn

from survey.questionnaires.model import Questionnaire

BUDGET_BYTES = 20_000  # 20 KB, counted in thousands
RADIO_PAGE = "residence"  # one single-choice question, radio buttons only
MATRIX_PAGE = "german_skills"
COUNTRY_PAGE = "country_birth"
NPM_SECONDS = 300
# (package, file names in order of preference): the minified bundles a SurveyJS page loads.
SURVEYJS_FILES = (
    ("survey-core", ("survey.core.min.js",)),
    ("survey-js-ui", ("survey-js-ui.min.js",)),
    ("survey-core", ("survey-core.min.css", "defaultV2.min.css", "survey-core.fontless.min.css")),
)


@dataclass
class PageWeight:
    name: str
    path: str
    page_bytes: int  # status line, headers and gzip body of the page itself
    css_bytes: int
    script_bytes: int
    scripts: int  # <script> elements, inline or not
    resources: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.page_bytes + self.css_bytes + self.script_bytes


def _fetch(port: int, path: str) -> wire.Reply:
    reply = wire.exchange(port, wire.request_bytes("GET", path, port, [("Accept-Encoding", "gzip")]))
    if reply.status != 200:
        raise RuntimeError(f"{path}: {reply.status}")
    return reply


def weigh(port: int, name: str, path: str, reply: wire.Reply) -> PageWeight:
    """The page plus every stylesheet and script it references, each counted once."""
    if reply.status != 200:
        raise RuntimeError(f"{name}: {path} answered {reply.status}")
    html = reply.text
    weight = PageWeight(name, path, reply.wire_bytes, 0, 0, len(SCRIPT.findall(html)))
    for href in dict.fromkeys(STYLESHEET.findall(html.replace("&amp;", "&"))):
        size = _fetch(port, path_of(href)).wire_bytes
        weight.css_bytes += size
        weight.resources[href] = size
    for source in dict.fromkeys(SCRIPT_SOURCE.findall(html.replace("&amp;", "&"))):
        size = _fetch(port, path_of(source)).wire_bytes
        weight.script_bytes += size
        weight.resources[source] = size
    return weight


def surveyjs_runtime(folder: Path) -> tuple[int | None, dict[str, Any]]:
    """Install survey-core and survey-js-ui with npm into `folder`; the gzip -9 size of the bundles."""
    npm = shutil.which("npm")
    if npm is None:
        return None, {"reason": "npm is not installed"}
    command = [
        npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--ignore-scripts",
        "--cache", str(folder / ".npm-cache"), "survey-core", "survey-js-ui",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=NPM_SECONDS)
    except subprocess.TimeoutExpired:
        return None, {"reason": f"npm install took longer than {NPM_SECONDS} s"}
    if done.returncode != 0:
        return None, {"reason": "npm install failed: " + (done.stderr or done.stdout).strip()[-300:]}
    modules = folder / "node_modules"
    files: dict[str, int] = {}
    versions = {}
    for package, names in SURVEYJS_FILES:
        manifest = modules / package / "package.json"
        if manifest.is_file():
            versions[package] = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        found = next((path for name in names for path in sorted((modules / package).rglob(name))), None)
        if found is None:
            return None, {"reason": f"none of {', '.join(names)} in {package}", "versions": versions}
        files[f"{package}/{found.relative_to(modules / package)}"] = len(gzip.compress(found.read_bytes(), 9, mtime=0))
    return sum(files.values()), {"files_gzip9_bytes": files, "versions": versions}


def journey_pages(site: Gunicorn, questionnaire: Questionnaire) -> tuple[list[PageWeight], dict[str, Any]]:
    port, root = site.port, f"/{questionnaire.id}"
    german = Respondent(port, questionnaire)
    weights = [weigh(port, "language choice", f"{root}/", german.get(f"{root}/"))]
    path = german.start("de")
    for page_id, name in ((RADIO_PAGE, "radio page"), (MATRIX_PAGE, "matrix page")):
        path = german.walk(path, lambda here, page_id=page_id: here.endswith(f"/p/{page_id}"))
        weights.append(weigh(port, f"{name} ({page_id})", path, german.get(path)))
    path = german.walk(path, lambda here: "/p/" not in here)
    weights.append(weigh(port, "review page", path, german.get(path)))
    done = german.redirected(german.post(f"{root}/submit", []), "submit")
    weights.append(weigh(port, "thank-you page", done, german.get(done)))

    arabic = Respondent(port, questionnaire)
    path = arabic.walk(arabic.start("ar"), lambda here: here.endswith(f"/p/{COUNTRY_PAGE}"))
    weights.insert(3, weigh(port, f"country list in Arabic ({COUNTRY_PAGE})", path, arabic.get(path)))

    heaviest = max(
        ((path, reply.wire_bytes) for path, reply in german.shown if "/p/" in path), key=lambda item: item[1]
    )
    return weights, {"heaviest_question_page_de": {"path": heaviest[0], "page_bytes": heaviest[1]}}


def measure(site: Gunicorn, questionnaire: Questionnaire, folder: Path) -> list[Figure]:
    print("page weight: installing survey-core and survey-js-ui with npm ...", file=sys.stderr)
    runtime, runtime_details = surveyjs_runtime(folder / "surveyjs")
    weights, journey = journey_pages(site, questionnaire)
    figures = []
    for weight in weights:
        figures.append(
            Figure(
                "weight",
                f"page weight: {weight.name}",
                weight.total,
                "bytes",
                baseline=runtime,
                baseline_name="SurveyJS runtime" if runtime is not None else "",
                goal="<= 20 KB, no script",
                met=weight.total <= BUDGET_BYTES and weight.scripts == 0,
                baseline_missing=runtime_details.get("reason", "") if runtime is None else "",
                details={
                    "path": weight.path,
                    "page_bytes": weight.page_bytes,
                    "css_bytes": weight.css_bytes,
                    "script_bytes": weight.script_bytes,
                    "scripts": weight.scripts,
                    "resources": weight.resources,
                    "surveyjs": runtime_details,
                    **journey,
                },
            )
        )
    return figures
