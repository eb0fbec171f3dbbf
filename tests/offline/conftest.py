"""Node and Debian's Chromium for the offline runtime; files served from the working tree through
Playwright's routing, on an https origin (a secure context, as on a real device)."""

from __future__ import annotations

import mimetypes
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

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


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
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


@pytest.fixture
def offline_page(chromium: object) -> Iterator[Callable[..., object]]:
    """A Chromium page with JavaScript on, serving the tree under ORIGIN; call with extra files."""
    contexts: list[object] = []

    def open_page(extra: dict[str, str] | None = None) -> object:
        context = chromium.new_context()  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        serve_tree(page, extra)
        return page

    yield open_page
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


def tree_path(relative: str) -> Path:
    return ROOT / relative
