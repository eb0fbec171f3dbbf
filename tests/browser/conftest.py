"""A live server and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from survey.migrations import upgrade

from ..conftest import ROOT, TEST_QUESTIONNAIRES, make_app

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


class Live:
    """A running server: its base URL and the app behind it (for setting up accounts)."""

    def __init__(self, url: str, app: object) -> None:
        self.url, self.app = url, app


@contextmanager
def serving(database: Path, questionnaire_dir: Path) -> Iterator[Live]:
    """A threaded server of a new app on an upgraded SQLite file, stopped and disposed afterwards."""
    app = make_app(
        f"sqlite:///{database}",
        questionnaire_dir=questionnaire_dir,
        TESTING=False,
        SECRET_KEY="browser-tests-secret-key-long-enough",
    )
    upgrade(app.extensions["survey.db"].engine)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        app.extensions["survey.db"].dispose()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The shipped study."""
    with serving(tmp_path_factory.mktemp("browser") / "survey.sqlite3", ROOT / "questionnaires") as running:
        yield running


@pytest.fixture(scope="session")
def test_questionnaires(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The test questionnaires (tests/data/questionnaires), one server for the browser tests that use them."""
    with serving(tmp_path_factory.mktemp("test-questionnaires") / "survey.sqlite3", TEST_QUESTIONNAIRES) as running:
        yield running


@pytest.fixture(scope="session")
def live_server(live: Live) -> str:
    return live.url


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


def new_page(
    browser: object, width: int = 360, height: int = 740, javascript: bool = False, bypass_csp: bool = False
) -> object:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, java_script_enabled=javascript, bypass_csp=bypass_csp
    )
    return context.new_page()


AXE_VERSION = "4"


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core from the npm registry, installed once into .cache/ (never committed)."""
    import subprocess

    folder = ROOT / ".cache" / "axe"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                raise RuntimeError("npm is needed to install axe-core")
            pytest.skip("npm is not installed; the accessibility tests run in CI")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(folder), f"axe-core@{AXE_VERSION}", "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script.read_text(encoding="utf-8")
