"""Flask's signed session cookie, opened once per cookie value instead of once per request.

Opening a cookie (base64, two HMACs with a key derived anew each time, tagged JSON) cost about a
tenth of a question page's CPU, and a respondent's cookie stays the same from page to page. The
cookie format, its signature and its age limit are Flask's own: a cookie is verified exactly as
Flask does the first time this worker sees it; later requests with the same value take a copy of
what it held, after checking its age again. Another value (changed by one byte, or re-signed after a
change) is another key and is verified afresh. Only values that passed the signature are kept, and
only for `OPENED_SECONDS` after they were last opened afresh: the cookie holds the draft's secret,
and a worker's memory should hold those of respondents active in the last minutes only."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .recent import Recent

OPENED_KEPT = 20_000  # cookie values; a few hundred bytes each with what they hold
OPENED_SECONDS = 15 * 60  # a respondent between two pages; after that the cookie is verified again


def _copy(value: Any) -> Any:
    """A copy of a cookie's contents that a request may change without changing the kept one
    (dicts and lists copied down to their leaves; everything else the JSON tags make is immutable)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class KeptCookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[Any, URLSafeTimedSerializer] = {}
        self._opened: Recent[tuple[float, dict[str, Any]]] = Recent(OPENED_KEPT, OPENED_SECONDS)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made once per secret key (and fallbacks) instead of per request."""
        if not app.secret_key:
            return None
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        found = self._serializers.get(key)
        if found is None:
            found = super().get_signing_serializer(app)
            if found is None:
                return None
            self._serializers.clear()  # the key changed: values opened with the old one go too
            self._opened.clear()
            self._serializers[key] = found
        return found

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        opened = self._opened.get(value)
        if opened is not None and time.time() - opened[0] <= max_age:
            return self.session_class(_copy(opened[1]))
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict):
            self._opened.put(value, (signed_at.timestamp(), _copy(data)))
        return self.session_class(data)


def init_app(app: Flask) -> None:
    app.session_interface = KeptCookieSessionInterface()
