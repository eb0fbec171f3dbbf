"""Screenshots of offline interviews for docs/interviewers.md (360x740, Debian's Chromium):

.venv/bin/python -m tests.offline.screenshots
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from survey.migrations import upgrade

from ..accounts.signin import make_user
from ..browser.conftest import CHROMIUM_ARGS, chromium_path
from ..browser.screenshots import OUT
from ..conftest import ROOT, make_app
from .test_offline_interviews import ARABIC_JOB, EMAIL, continue_, sign_in_and_prepare, start


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUT / f"offline-{name}.png"))
    print(f"docs/screenshots/offline-{name}.png")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="offline-shots-"))
    app = make_app(
        f"sqlite:///{folder / 'survey.sqlite3'}",
        questionnaire_dir=ROOT / "tests" / "data" / "offline",
        TESTING=False,
        SECRET_KEY="offline-screenshots-secret-key-long",
    )
    upgrade(app.extensions["survey.db"].engine)
    make_user(app, EMAIL, ["interviewer"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
        page = context.new_page()
        page.goto(f"{url}/account/login")
        sign_in_and_prepare(page, url)
        page.locator("#prepare").scroll_into_view_if_needed()
        shoot(page, "prepare")
        context.set_offline(True)
        page.reload()
        start(page, "ar", "de")
        page.wait_for_selector("#consent")
        shoot(page, "bilingual")
        page.check("#consent")
        continue_(page)
        page.wait_for_selector("#birth_year")
        continue_(page)
        page.wait_for_selector(".error-summary")
        shoot(page, "error-summary")
        page.fill("#birth_year", "1984")
        continue_(page)
        page.check("#working-0")
        continue_(page)
        page.fill("#job", ARABIC_JOB)
        continue_(page)
        page.wait_for_selector(".handover")
        shoot(page, "handover")
        page.click(".to-respondent button")
        page.wait_for_selector("#worries")
        continue_(page)
        page.click(".to-interviewer a")
        page.fill("#household_size", "4")
        continue_(page)
        continue_(page)
        page.wait_for_selector("#send")
        shoot(page, "review")
        page.click("#send")
        page.wait_for_selector("#ready")
        shoot(page, "waiting")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
