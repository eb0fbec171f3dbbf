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
GOAL_RATIO = 1.1  # against a bare page of the same bytes
STYLE_COOKIE = "survey_css"  # survey.delivery.STYLE_COOKIE: "this browser has the stylesheet cached"
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
    encoded_body_size: navigation.encodedBodySize,
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
        # An empty cache: the cookie that says the stylesheet is cached goes with the cache.
        kept = [cookie for cookie in cookies if cookie["name"] != STYLE_COOKIE]
        if kept:
            context.add_cookies(kept)
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


def _requests(visits: list[dict[str, Any]]) -> int:
    """Requests the slowest visit made before its load event: the page and every resource timed by
    then (a prefetch for later pages comes after)."""
    return 1 + max(len(visit["resources"]) for visit in visits)


def _later_page(browser: Any, base: str, questionnaire: Questionnaire) -> dict[str, Any]:
    """After the first page (stylesheet prefetched), the next page links it from the cache."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/{questionnaire.id}/", timeout=STEP_MS)
        page.wait_for_load_state("networkidle", timeout=STEP_MS)  # the prefetch has arrived
        with page.expect_navigation(timeout=STEP_MS):
            page.click("form button[type=submit]", timeout=STEP_MS)
        html = page.content()
        cookies = [cookie["name"] for cookie in context.cookies()]
        return {"inlined": "<style>" in html, "linked": 'rel="stylesheet"' in html, "cookies": cookies}
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
                visit = _throttled_visit(browser, url, cookies)
                visits.append(visit)
                # The bare page has as many bytes on the wire as the page just loaded (gzipped body).
                size = int(visit["encoded_body_size"])
                baseline_visits.append(_throttled_visit(browser, f"http://127.0.0.1:{bare.port}/bytes/{size}", []))
            later = _later_page(browser, f"http://127.0.0.1:{site.port}", questionnaire)
        finally:
            browser.close()
    load = statistics.median(visit["load"] for visit in visits) / 1000
    baseline = statistics.median(visit["load"] for visit in baseline_visits) / 1000
    dcl = statistics.median(visit["dom_content_loaded"] for visit in visits) / 1000
    sizes = [int(visit["encoded_body_size"]) for visit in visits]
    return [
        Figure(
            "slow network",
            "slow network: first question page, load event",
            load,
            "s",
            baseline=baseline,
            baseline_name="bare page, same bytes",
            goal=f"<= {GOAL_RATIO:g} x bare page of the same bytes",
            met=load <= GOAL_RATIO * baseline,
            note=f"{max(sizes):,} bytes gzipped; {_requests(visits)} request(s) before the load event",
            details={"runs": runs, "throttling": THROTTLING, "page": visits, "bare": baseline_visits, "later": later},
        ),
        Figure(
            "slow network",
            "slow network: first question page, DOMContentLoaded",
            dcl,
            "s",
            baseline=statistics.median(visit["dom_content_loaded"] for visit in baseline_visits) / 1000,
            baseline_name="bare page, same bytes",
            goal=f"<= {GOAL_SECONDS:g} s",
            met=dcl <= GOAL_SECONDS,
        ),
    ]
