"""Small pages on slow data: gzip for text responses, static files cached for a year under a
content hash in their URL (a changed file gets a new URL), and the first page in one round trip.

First visit: a browser that has not fetched the stylesheet yet gets it inlined in a `<style>` element
(allowed by its sha256 hash in that response's Content-Security-Policy, never 'unsafe-inline') and a
`<link rel="prefetch">` that fetches the file for later pages without holding up this one. The
stylesheet's response sets a cookie naming the stylesheet's hash (the same for everyone: nothing
about the person), so later pages only link it, byte for byte as before, and it comes from the cache."""

from __future__ import annotations

import base64
import hashlib
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from .security import CONTENT_SECURITY_POLICY

COMPRESSIBLE = frozenset(
    {"text/html", "text/css", "text/csv", "application/json", "image/svg+xml", "application/javascript", "text/plain"}
)
MINIMUM_BYTES = 500
YEAR = 365 * 24 * 3600
GZIP_WINDOW_BITS = 16 + 14  # gzip container (16 +), 2**14-byte window
GZIP_MEMORY_LEVEL = 7
STYLESHEET = "survey.css"
STYLE_COOKIE = "survey_css"  # the stylesheet's hash once this browser has fetched it


def _compress(response: Response) -> Response:
    if (
        response.direct_passthrough
        or response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
        or "gzip" not in request.headers.get("Accept-Encoding", "")
    ):
        return response
    body = response.get_data()
    if len(body) < MINIMUM_BYTES:
        return response
    response.set_data(_gzip(body))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(response.get_data()))
    response.vary.add("Accept-Encoding")
    return response


def _gzip(body: bytes) -> bytes:
    """gzip at level 6 with a 16 KB window: for pages of a few KB, setting up the default 32 KB window
    costs more than compressing, and the smaller one compresses question pages to the same size."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, GZIP_WINDOW_BITS, GZIP_MEMORY_LEVEL)
    return compressor.compress(body) + compressor.flush()


@cache
def _static_hash(folder: str, filename: str) -> str:
    path = Path(folder) / filename
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.is_file() else "0"


@cache
def _inline_style(folder: str, script_root: str, static_path: str) -> tuple[Markup, str]:
    """The stylesheet as a `<style>` element (its font URLs made absolute) and its CSP source."""
    css = (Path(folder) / STYLESHEET).read_text(encoding="utf-8").strip()
    css = css.replace("url(fonts/", f"url({script_root}{static_path}/fonts/")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return Markup("<style>") + Markup(css) + Markup("</style>"), f"'sha256-{digest}'"


def stylesheet() -> Markup:
    """The page's stylesheet: linked when this browser has it, else inlined (see the docstring)."""
    app = current_app
    script_root = request.script_root
    links = _links(app, script_root)
    if request.cookies.get(STYLE_COOKIE) == _static_hash(app.static_folder or "", STYLESHEET):
        return links[0]
    style, source = _inline_style(app.static_folder or "", script_root, app.static_url_path or "")
    g.inline_style = source
    return style + links[1]


def _links(app: Flask, script_root: str) -> tuple[Markup, Markup]:
    """The stylesheet's `<link>` and its prefetch `<link>`, made once per app and script root (the
    URL is relative and versioned by the file's hash, itself computed once)."""
    kept: dict[str, tuple[Markup, Markup]] = app.extensions.setdefault("survey.stylesheet_links", {})
    found = kept.get(script_root)
    if found is None:
        url = url_for("static", filename=STYLESHEET)
        found = kept[script_root] = (
            Markup('<link rel="stylesheet" href="{url}">').format(url=url),
            Markup('<link rel="prefetch" href="{url}">').format(url=url),
        )
    return found


def _first_visit(response: Response) -> None:
    source = g.pop("inline_style", None)
    if source is not None:
        # A view's own policy (the offline page's adds connect-src and worker-src) keeps its other parts.
        own = response.headers.get("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        policy = own.replace("style-src 'self'", f"style-src 'self' {source}", 1)
        response.headers["Content-Security-Policy"] = policy
    elif request.endpoint == "static" and request.view_args and request.view_args.get("filename") == STYLESHEET:
        version = _static_hash(current_app.static_folder or "", STYLESHEET)
        if response.status_code in (200, 304) and request.args.get("v") == version:
            response.set_cookie(
                STYLE_COOKIE,
                version,
                max_age=YEAR,
                path=request.script_root or "/",
                secure=bool(current_app.config.get("HTTPS")),
                httponly=True,
                samesite="Lax",
            )


def init_app(app: Flask) -> None:
    app.jinja_env.globals["stylesheet"] = stylesheet

    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", YEAR)

    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = _static_hash(app.static_folder or "", values["filename"])

    @app.after_request
    def _deliver(response: Response) -> Response:
        _first_visit(response)
        if request.endpoint == "static":
            if request.args.get("v"):
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            if response.mimetype in COMPRESSIBLE and response.status_code == 200:
                response.direct_passthrough = False  # small text files: read them to compress them
        return _compress(response)
