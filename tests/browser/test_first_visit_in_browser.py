"""The first page in Chromium: styled by the inlined stylesheet under the enforced CSP, the stylesheet
prefetched for later pages, which link it and take it from the cache."""

from __future__ import annotations

import pytest

from survey.delivery import STYLE_COOKIE

from .conftest import new_page
from .test_study_in_browser import STUDY

pytestmark = pytest.mark.browser


def test_first_page_is_styled_in_one_request_and_later_pages_use_the_cache(browser, live_server):
    page = new_page(browser, javascript=False)
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    # What Chromium's network layer says about each response: from the server, or from a cache.
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    served: dict[str, str] = {}
    devtools.on("Network.requestServedFromCache", lambda event: served.update({event["requestId"]: "cache"}))
    sheets: list[tuple[str, bool]] = []  # (request id, from a cache) of every stylesheet response
    devtools.on(
        "Network.responseReceived",
        lambda event: (
            sheets.append(
                (
                    event["requestId"],
                    bool(event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache")),
                )
            )
            if "survey.css" in event["response"]["url"]
            else None
        ),
    )
    page.goto(f"{live_server}/{STUDY.id}/", wait_until="load")
    assert "<style>" in page.content()
    # Rules of the inlined sheet apply (box-sizing and the page width are survey.css's).
    assert page.evaluate("getComputedStyle(document.body).boxSizing") == "border-box"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxInlineSize") == "640px"
    page.wait_for_load_state("networkidle")
    assert len(sheets) == 1 and not sheets[0][1]  # the prefetch, from the server, after the page itself
    assert STYLE_COOKIE in [cookie["name"] for cookie in page.context.cookies()]
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    html = page.content()
    assert "<style>" not in html and 'rel="stylesheet"' in html
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxInlineSize") == "640px"
    later = [from_cache or served.get(request_id) == "cache" for request_id, from_cache in sheets[1:]]
    assert later == [] or all(later), sheets  # no second download of the stylesheet
    assert refused == []
    page.context.close()
