"""Node and Debian's Chromium for the offline runtime; files served from the working tree through
Playwright's routing, on an https origin (a secure context, as on a real device)."""

from __future__ import annotations

import mimetypes
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from ..browser.conftest import CHROMIUM_ARGS, chromium_path
from ..conftest import ROOT

ORIGIN = "https://offline.test"


def node_path() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        if os.environ.get("CI"):
            raise RuntimeError("node is not installed; .ci/run installs Debian's nodejs")
        pytest.skip("Debian's nodejs is not installed; the offline runtime's tests run in CI")
    return node


@pytest.fixture(scope="session")
def node() -> str:
    return node_path()


class InThread:
    """A Playwright object used only from the thread that made it: each call runs there.

    The browser tests in tests/browser/ run Playwright's sync API in the main thread of the same
    worker process; a second sync instance there fails ("Sync API inside the asyncio loop"), so this
    one lives in a thread of its own."""

    def __init__(self, executor: ThreadPoolExecutor, target: object) -> None:
        self._executor, self._target = executor, target

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._target, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._executor.submit(method, *args, **kwargs).result()

        return call

    def within(self, action: Callable[..., Any], *args: Any) -> Any:
        """Run `action(target, *args)` in the Playwright thread; wrap what it returns if asked."""
        return self._executor.submit(action, self._target, *args).result()


@pytest.fixture(scope="session")
def chromium() -> Iterator[InThread]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            raise RuntimeError("chromium is not installed; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed; the browser tests run in CI")
    from playwright.sync_api import sync_playwright

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="offline-chromium")
    playwright = executor.submit(lambda: sync_playwright().start()).result()
    instance = executor.submit(playwright.chromium.launch, executable_path=executable, args=CHROMIUM_ARGS).result()
    yield InThread(executor, instance)
    executor.submit(instance.close).result()
    executor.submit(playwright.stop).result()
    executor.shutdown()


def serve_tree(page: object, extra: dict[str, str] | None = None) -> None:
    """Answer every request to ORIGIN from the working tree (or from `extra`, path -> text); any
    other request fails, so nothing reaches the network."""
    extra = extra or {}

    def handle(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if not url.startswith(ORIGIN + "/"):
            route.abort()  # type: ignore[attr-defined]
            return
        path = url[len(ORIGIN) + 1 :].split("?")[0]
        if path in extra:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=extra[path])  # type: ignore[attr-defined]
            return
        file = (ROOT / path).resolve()
        if ROOT not in file.parents or not file.is_file():
            route.fulfill(status=404, body="not found")  # type: ignore[attr-defined]
            return
        kind = "text/javascript" if file.suffix in (".js", ".mjs") else mimetypes.guess_type(file.name)[0]
        route.fulfill(status=200, content_type=kind or "application/octet-stream", body=file.read_bytes())  # type: ignore[attr-defined]

    page.route("**/*", handle)  # type: ignore[attr-defined]


def open_page(chromium: InThread, extra: dict[str, str] | None = None) -> tuple[InThread, InThread]:
    """A new context and page (JavaScript on) serving the tree under ORIGIN, both used in the
    Playwright thread."""

    def make(browser: Any) -> tuple[Any, Any]:
        context = browser.new_context()
        page = context.new_page()
        serve_tree(page, extra)
        return context, page

    context, page = chromium.within(make)
    return InThread(chromium._executor, context), InThread(chromium._executor, page)


@pytest.fixture
def offline_page(chromium: InThread) -> Iterator[Callable[..., InThread]]:
    """Call with extra files (path -> HTML) for a page serving the tree under ORIGIN."""
    contexts: list[InThread] = []

    def opened(extra: dict[str, str] | None = None) -> InThread:
        context, page = open_page(chromium, extra)
        contexts.append(context)
        return page

    yield opened
    for context in contexts:
        context.close()
