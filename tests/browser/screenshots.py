"""Refresh the screenshots in docs/screenshots/ (each page type in German and Arabic at 360x740, and the
interviewer's views), with Debian's Chromium:

    .venv/bin/python -m tests.browser.screenshots
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from survey.accounts import services
from survey.migrations import upgrade

from ..conftest import ROOT, make_app
from .conftest import CHROMIUM_ARGS, chromium_path
from .test_accessibility import STUDY
from .test_study_in_browser import fill, shown_questions

OUT = ROOT / "docs" / "screenshots"
WANTED = {"about_you": "radio", "german_skills": "matrix", "country_birth": "country-list"}


def shoot(page: Page, name: str) -> None:
    for attempt in range(3):  # a busy machine sometimes fails a capture; try again
        try:
            page.screenshot(path=str(OUT / f"{name}.png"))
            break
        except Exception:
            if attempt == 2:
                raise
            time.sleep(1)
    print(f"docs/screenshots/{name}.png")


def respondent(page: Page, base: str, language: str) -> None:
    page.goto(f"{base}/{STUDY.id}/")
    shoot(page, f"{language}-language")
    page.locator(f'input[name="language"][value="{language}"]').check()
    page.locator("button[type=submit]").click()
    shoot(page, f"{language}-introduction")
    page.locator("button.start").click()
    page.locator("button[name=continue]").click()
    shoot(page, f"{language}-error-summary")
    while "/p/" in page.url:
        page_id = page.url.rsplit("/p/", 1)[1]
        if page_id in WANTED:
            shoot(page, f"{language}-{WANTED[page_id]}")
        for question in shown_questions(page, STUDY.page(page_id)):
            fill(page, question)
        page.locator("button[name=continue]").click()
    shoot(page, f"{language}-review")
    page.locator("form[action$='/submit'] button").click()
    shoot(page, f"{language}-thank-you")


def interviewer(page: Page, base: str, app: object) -> None:
    with app.extensions["survey.db"].sessions() as db:  # type: ignore[attr-defined]
        services.create_user(
            db, "interviewer@demo.invalid", ["interviewer"], "Screenshot password 1", actor="screenshots"
        )
    page.goto(f"{base}/account/login")
    page.fill('input[name="email"]', "interviewer@demo.invalid")
    page.fill('input[name="password"]', "Screenshot password 1")
    page.locator("form button[type=submit]").click()
    page.goto(f"{base}/interview/")
    shoot(page, "interviewer-start")
    page.select_option("#questionnaire", STUDY.id)
    page.select_option("#language", "ar")
    page.select_option("#interviewer_language", "de")
    page.locator("form button[type=submit]").first.click()
    for _ in range(60):
        if page.locator(".handover").count():
            shoot(page, "interviewer-handover")
            page.locator("form button[type=submit]").click()
            shoot(page, "interviewer-respondent-alone")
            page_id = page.url.rsplit("/p/", 1)[1]
            for question in shown_questions(page, STUDY.page(page_id)):
                fill(page, question)
            page.locator("button[name=continue]").click()
            shoot(page, "interviewer-handback")
            break
        page_id = page.url.rsplit("/p/", 1)[1]
        if page_id == "about_you":
            shoot(page, "interviewer-bilingual")
        for question in shown_questions(page, STUDY.page(page_id)):
            fill(page, question)
        page.locator("button[name=continue]").click()


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(
            f"sqlite:///{Path(folder) / 's.sqlite3'}",
            questionnaire_dir=ROOT / "questionnaires",
            TESTING=False,
            SECRET_KEY="screenshots-secret-key-long-enough",
        )
        upgrade(app.extensions["survey.db"].engine)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                for language in ("de", "ar"):
                    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
                    respondent(context.new_page(), base, language)
                    context.close()
                context = browser.new_context(viewport={"width": 360, "height": 740})
                interviewer(context.new_page(), base, app)
                context.close()
                browser.close()
        finally:
            server.shutdown()
            time.sleep(0.1)
            app.extensions["survey.db"].dispose()


if __name__ == "__main__":
    main()
