"""Section 5, slow network: how long the first question page takes to become usable in headless
Chromium throttled to 400 kbit/s and 400 ms round trip, in a fresh context with an empty cache
(after choosing the language and pressing Start in another context), beside the same navigation
to the bare Flask app (what the throttling alone costs)."""

from __future__ import annotations

import os
import statistics
import sys
from typing import Any

from figures import Figure
from servers import Gunicorn

from survey.questionnaires.model import Questionnaire

CHROMIUM = os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
THROTTLING = {
    "offline": False,
    "latency": 400,  # ms added to every request: the 400 ms round trip
    "downloadThroughput": 400_000 / 8,  # bytes per second: 400 kbit/s
    "uploadThroughput": 400_000 / 8,
}
GOAL_SECONDS = 1.5
STEP_MS = 30_000  # Playwright's limit for one navigation or click
TIMING = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    response_end: navigation.responseEnd,
    dom_content_loaded: navigation.domContentLoadedEventEnd,
    load: navigation.loadEventEnd,
    first_contentful_paint: paint ? paint.startTime : null,
    transfer_size: navigation.transferSize,
    resources: performance.getEntriesByType("resource").map(r => [r.name, r.transferSize, r.duration]),
  };
}"""


def _first_question_page(browser: Any, base: str, questionnaire: Questionnaire) -> tuple[str, list[Any]]:
    """Choose the language and press Start (unthrottled); the page reached, and the session cookies."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/{questionnaire.id}/", timeout=STEP_MS)
        with page.expect_navigation(timeout=STEP_MS):
            page.click("form button[type=submit]", timeout=STEP_MS)  # the default language is chosen
        with page.expect_navigation(timeout=STEP_MS):
            page.click("form button.start", timeout=STEP_MS)
        if "/p/" not in page.url:
            raise RuntimeError(f"Start led to {page.url}, not a question page")
        return page.url, context.cookies()
    finally:
        context.close()


def _throttled_visit(browser: Any, url: str, cookies: list[Any]) -> dict[str, Any]:
    """A fresh context (empty cache) with the respondent's cookies; navigation timing of `url`."""
    context = browser.new_context()
    try:
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", THROTTLING)
        response = page.goto(url, wait_until="load", timeout=STEP_MS)
        if response is None or response.status != 200:
            raise RuntimeError(f"{url}: {response.status if response else 'no response'}")
        page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0", timeout=STEP_MS)
        return page.evaluate(TIMING)
    finally:
        context.close()


def measure(site: Gunicorn, bare: Gunicorn, questionnaire: Questionnaire, runs: int) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    print(f"slow network: {runs} throttled visit(s) each in Chromium ...", file=sys.stderr)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            visits, baseline_visits = [], []
            for _ in range(runs):
                url, cookies = _first_question_page(browser, f"http://127.0.0.1:{site.port}", questionnaire)
                visits.append(_throttled_visit(browser, url, cookies))
                baseline_visits.append(_throttled_visit(browser, f"http://127.0.0.1:{bare.port}/", []))
        finally:
            browser.close()
    load = statistics.median(visit["load"] for visit in visits) / 1000
    baseline = statistics.median(visit["load"] for visit in baseline_visits) / 1000
    dcl = statistics.median(visit["dom_content_loaded"] for visit in visits) / 1000
    return [
        Figure(
            "slow network",
            "slow network: first question page, load event",
            load,
            "s",
            baseline=baseline,
            baseline_name="bare Flask page",
            goal=f"<= {GOAL_SECONDS:g} s",
            met=load <= GOAL_SECONDS,
            details={"runs": runs, "throttling": THROTTLING, "page": visits, "bare": baseline_visits},
        ),
        Figure(
            "slow network",
            "slow network: first question page, DOMContentLoaded",
            dcl,
            "s",
            baseline=statistics.median(visit["dom_content_loaded"] for visit in baseline_visits) / 1000,
            baseline_name="bare Flask page",
            goal=f"<= {GOAL_SECONDS:g} s",
            met=dcl <= GOAL_SECONDS,
        ),
    ]
