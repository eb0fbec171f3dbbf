"""axe-core on every page type (WCAG 2.1 A and AA), keyboard-only use, narrow screens, zoom, and
right-to-left layout, in Debian's Chromium."""

from __future__ import annotations

import pytest

from survey.accounts import services, totp
from survey.questionnaires.loader import load_file

from ..conftest import ROOT
from ..journey import valid_post
from .conftest import new_page
from .test_study_in_browser import fill, shown_questions

pytestmark = pytest.mark.browser

STUDY = load_file(ROOT / "questionnaires" / "wetterau-integration.json")[0]
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
PAGE_TYPES = {
    "about_you": "radios and a year",
    "german_skills": "matrix",
    "country_birth": "country list",
    "home_languages": "checkboxes",
    "life_satisfaction": "scale",
    "municipality": "dropdown",
    "wetterau_since": "month in several calendars",
}


def violations(page, axe_script: str) -> list[str]:
    page.add_script_tag(content=axe_script)
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG}}}}})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x) {v['nodes'][0]['target']}" for v in result["violations"]]


def no_sideways_scroll(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def submit(page, selector: str) -> None:
    """Click a button that sends a form and wait until the next page has loaded."""
    with page.expect_navigation():
        page.locator(selector).click()
    page.wait_for_load_state()


def walk_study(page, live_url: str, language: str, visit) -> None:
    """Through the whole study, calling visit(kind, page) on each page type once."""
    page.goto(f"{live_url}/{STUDY.id}/")
    visit("language choice", page)
    page.locator(f'input[name="language"][value="{language}"]').check()
    submit(page, "button[type=submit]")
    visit("introduction", page)
    submit(page, "button.start")
    visit("consent", page)
    submit(page, "button[name=continue]")
    visit("error summary", page)
    seen = set()
    while "/p/" in page.url:
        page_id = page.url.rsplit("/p/", 1)[1]
        if page_id in PAGE_TYPES and page_id not in seen:
            seen.add(page_id)
            visit(PAGE_TYPES[page_id], page)
        for question in shown_questions(page, STUDY.page(page_id)):
            fill(page, question)
        submit(page, "button[name=continue]")
    visit("review", page)
    submit(page, "form[action$='/submit'] button")
    visit("thank-you", page)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_no_wcag_violations_on_any_respondent_page(browser, live_server, axe_script, language):
    page = new_page(browser, javascript=True, bypass_csp=True)
    found: dict[str, list[str]] = {}

    def visit(kind, current):
        problems = violations(current, axe_script)
        if problems:
            found[kind] = problems

    walk_study(page, live_server, language, visit)
    page.goto(f"{live_server}/withdraw")
    visit("withdraw", page)
    page.goto(f"{live_server}/account/login")
    visit("staff login", page)
    page.context.close()
    assert found == {}


def staff_page(browser, live, roles: list[str], email: str):
    with live.app.extensions["survey.db"].sessions() as db:
        user = services.find_by_email(db, email) or services.create_user(
            db, email, roles, "Browser test password 1", actor="test"
        )
        user.totp_secret, user.totp_confirmed = totp.new_secret(), True
        secret = user.totp_secret
        db.commit()
    page = new_page(browser, javascript=True, bypass_csp=True)
    page.goto(f"{live.url}/account/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', "Browser test password 1")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    if page.locator('input[name="code"]').count():
        import time

        page.fill('input[name="code"]', totp.code_at(secret, time.time()))
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
    return page


def test_no_wcag_violations_on_staff_pages(browser, live, axe_script):
    page = staff_page(browser, live, ["admin", "researcher", "interviewer"], "a11y@example.org")
    found = {}
    for path in (
        "/account/",
        "/account/admin/users",
        "/research/",
        "/research/export",
        "/research/audit",
        "/interview/",
    ):
        page.goto(live.url + path)
        assert "/account/login" not in page.url, path
        problems = violations(page, axe_script)
        if problems:
            found[path] = problems
    page.select_option("#language", "ar")
    page.select_option("#questionnaire", STUDY.id)
    page.locator("form button[type=submit]").first.click()
    problems = violations(page, axe_script)
    if problems:
        found["interview page"] = problems
    page.context.close()
    assert found == {}


def tab_to(page, matches: str) -> None:
    """Press Tab until the focused element matches the CSS selector (bounded)."""
    for _ in range(120):
        if page.evaluate(f"document.activeElement && document.activeElement.matches({matches!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {matches}")


def keyboard_answer(page, question) -> None:
    """Answer with the keyboard alone: Tab to each input, then Space, arrows or typing."""
    for name, value in valid_post(question):
        kind = page.locator(f'[name="{name}"]').first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind in ("input:radio", "input:checkbox"):
            tab_to(page, f'[name="{name}"]')
            page.keyboard.press("Space")
        elif kind.startswith("select"):
            tab_to(page, f'[name="{name}"]')
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
        else:
            tab_to(page, f'[name="{name}"]')
            page.keyboard.type(value)


def test_the_whole_study_can_be_completed_with_the_keyboard_alone(browser, live_server):
    page = new_page(browser, javascript=True)
    page.goto(f"{live_server}/{STUDY.id}/")
    tab_to(page, 'input[name="language"]')
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/start")
    tab_to(page, "button.start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/consent")
    for _ in range(80):
        if "/p/" not in page.url:
            break
        page_id = page.url.rsplit("/p/", 1)[1]
        for question in shown_questions(page, STUDY.page(page_id)):
            keyboard_answer(page, question)
        tab_to(page, "button[name=continue]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".error-summary").count() == 0, page.url
    assert page.url.endswith("/review")
    tab_to(page, "form[action$='/submit'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/done")
    page.context.close()


@pytest.mark.parametrize("width", [320])
def test_nothing_scrolls_sideways_at_320_px_and_nothing_is_cut_off_at_200_percent(browser, live_server, width):
    page = new_page(browser, width=width, javascript=False)
    problems = []

    def visit(kind, current):
        if not no_sideways_scroll(current, width):
            problems.append(kind)

    walk_study(page, live_server, "de", visit)
    page.context.close()
    # 200% zoom of a 640 px window shows the same CSS layout as 320 px at 100%; check a wide window too.
    zoomed = new_page(browser, width=1280, height=800, javascript=True)
    zoomed.goto(f"{live_server}/{STUDY.id}/")
    zoomed.evaluate("document.body.style.zoom = '200%'")
    assert zoomed.evaluate("document.documentElement.scrollWidth <= window.innerWidth * 1.0 + 1")
    zoomed.context.close()
    assert problems == []


def test_right_to_left_layout_in_arabic(browser, live_server):
    page = new_page(browser, javascript=True)
    page.goto(f"{live_server}/{STUDY.id}/")
    page.locator('input[name="language"][value="ar"]').check()
    page.locator("button[type=submit]").click()
    page.locator("button.start").click()
    page.locator('input[name="consent"]').check()
    page.locator("button[name=continue]").click()
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Radios sit at the inline start, which is the right-hand side in right-to-left text.
    radio = page.locator('input[type="radio"]').first.bounding_box()
    label = page.locator('input[type="radio"] + label').first.bounding_box()
    assert radio["x"] > label["x"]
    # The Continue button starts at the right edge of the content.
    button = page.locator("button[name=continue]").bounding_box()
    main = page.locator("main").bounding_box()
    assert button["x"] + button["width"] > main["x"] + main["width"] * 0.6
    # The progress bar fills from the right.
    assert page.evaluate("getComputedStyle(document.querySelector('progress')).direction") == "rtl"
    # Numbers inside right-to-left text are isolated, so "2 of 33" keeps its order.
    assert page.locator("p.progress bdi").count() == 2
    page.fill('input[name="birth_year"]', "١٩٩٠")
    page.locator('input[name="gender"]').first.check()
    with page.expect_navigation():
        page.locator("button[name=continue]").click()
    assert "/p/about_you" not in page.url  # Eastern Arabic digits accepted
    page.context.close()


def test_axe_finds_a_known_violation(browser, axe_script):
    """The check above is not vacuous: an unlabelled input is reported."""
    page = new_page(browser, javascript=True, bypass_csp=True)
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><input type="text"></main></body></html>'
    )
    assert any(problem.startswith("label:") for problem in violations(page, axe_script))
    page.context.close()
