"""A live server and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from survey.migrations import upgrade

from ..conftest import ROOT, make_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("SURVEY_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("browser") / "survey.sqlite3"
    app = make_app(f"sqlite:///{database}", questionnaire_dir=ROOT / "questionnaires", TESTING=False)
    upgrade(app.extensions["survey.db"].engine)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["survey.db"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            raise RuntimeError("chromium is not installed; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed; the browser tests run in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def new_page(browser: object, width: int = 360, height: int = 740, javascript: bool = False) -> object:
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)  # type: ignore[attr-defined]
    return context.new_page()


SCREENSHOTS = Path(os.environ.get("SURVEY_SCREENSHOTS", "")) if os.environ.get("SURVEY_SCREENSHOTS") else None
