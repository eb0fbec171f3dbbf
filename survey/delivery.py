"""Small pages on slow data: gzip for text responses, static files cached for a year under a
content hash in their URL (a changed file gets a new URL)."""

from __future__ import annotations

import hashlib
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, request
from werkzeug.wrappers import Response

COMPRESSIBLE = frozenset(
    {"text/html", "text/css", "text/csv", "application/json", "image/svg+xml", "application/javascript", "text/plain"}
)
MINIMUM_BYTES = 500
YEAR = 365 * 24 * 3600
GZIP_WINDOW_BITS = 16 + 14  # gzip container (16 +), 2**14-byte window
GZIP_MEMORY_LEVEL = 7


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


def init_app(app: Flask) -> None:
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", YEAR)

    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = _static_hash(app.static_folder or "", values["filename"])

    @app.after_request
    def _deliver(response: Response) -> Response:
        if request.endpoint == "static":
            if request.args.get("v"):
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            if response.mimetype in COMPRESSIBLE and response.status_code == 200:
                response.direct_passthrough = False  # small text files: read them to compress them
        return _compress(response)
