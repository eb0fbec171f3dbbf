"""CSRF protection on every form, security headers on every response, rate limits on guessable
inputs (participant codes, resume codes, logins), and refusal of development secrets in production.

When the rate-limit store (Redis, memcached) cannot be reached, respondent routes go on without
counting (a study must not stop because a cache is down; codes are far too many to guess anyway) and
staff sign-in answers 503 (it stays closed rather than unlimited); one warning per outage."""

from __future__ import annotations

import argparse
import hmac
import importlib.util
import os
import sys
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect, generate_csrf
from limits.errors import StorageError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from .config import ConfigurationError
from .outage import outage, register


class KeptTokenCSRFProtect(CSRFProtect):
    """Flask-WTF's protection. A posted token that is the very one this worker signed for the session
    (`csrf_token`'s memory) is accepted without opening its signature again; any other token, and
    every request under HTTPS with the strict referrer check, goes through Flask-WTF's full check."""

    def protect(self, apply_exemptions: bool = False) -> None:
        config = current_app.config
        if request.method in config["WTF_CSRF_METHODS"] and not (request.is_secure and config["WTF_CSRF_SSL_STRICT"]):
            signed = _signed_for_session()
            posted = self._get_csrf_token()
            if signed is not None and isinstance(posted, str) and hmac.compare_digest(posted, signed):
                g.csrf_valid = True  # as Flask-WTF marks a request whose token it checked
                return
        super().protect(apply_exemptions)


csrf = KeptTokenCSRFProtect()


class RateLimitStoreUnavailable(Exception):
    """The rate-limit store cannot be reached on a route that stays closed then (staff sign-in)."""


def store_errors() -> tuple[type[BaseException], ...]:
    """What the storage clients raise when their server is away (timeouts are OSErrors too)."""
    errors: list[type[BaseException]] = [OSError, StorageError]
    if importlib.util.find_spec("redis") is not None:
        from redis.exceptions import RedisError

        errors.append(RedisError)
    if importlib.util.find_spec("pymemcache") is not None:
        from pymemcache.exceptions import MemcacheError

        errors.append(MemcacheError)
    return tuple(errors)


class StudyLimiter(Limiter):
    """Flask-Limiter with this platform's policy for an unreachable store (see the module docstring).
    Flask-Limiter's own in-memory fallback is not used: it puts one fallback limit on every route,
    question pages included, instead of each route's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limited_views: set[str] = set()  # module.qualname of every view given a limit here
        self._endpoint_limited: dict[str | None, bool] = {}

    def limit(self, *args: Any, **kwargs: Any) -> Any:
        """`Limiter.limit`, noting which views have a limit (the others skip the limiter's work)."""
        decorate = super().limit(*args, **kwargs)

        def noted(view: Any) -> Any:
            self.limited_views.add(_view_name(view))
            return decorate(view)

        return noted

    def _limited(self) -> bool:
        """Whether the request's view has a limit of its own (there are no default or app-wide ones)."""
        endpoint = request.endpoint
        found = self._endpoint_limited.get(endpoint)
        if found is None:
            view = current_app.view_functions.get(endpoint or "")
            found = view is not None and _view_name(view) in self.limited_views
            self._endpoint_limited[endpoint] = found
        return found

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        limits = self.limit_manager
        if not limits.default_limits and not limits.application_limits and not self._limited():
            return  # most requests (every question page): nothing to count
        store = outage("rate-limit store")
        try:
            super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)
            self._read_header_figures()
        except RateLimitExceeded:
            try:
                self._read_header_figures()
            except store_errors() as error:
                store.failed(error)
                self.context.view_rate_limit = None
            else:
                store.answered()
            raise
        except store_errors() as error:
            store.failed(error)
            self.context.view_rate_limit = None  # no headers from a store that is away
            if request.blueprint != "respond":
                raise RateLimitStoreUnavailable(str(error)) from error
            return
        if self.context.view_rate_limit is not None:
            store.answered()

    def _read_header_figures(self) -> None:
        """Read the figures of the response's rate-limit headers now, where a store error is handled:
        Flask-Limiter reads them after the view, and a store that went away meanwhile gave a 500."""
        limit = self.context.view_rate_limit
        if limit is not None:
            _ = limit.window


def _view_name(view: Any) -> str:
    return f"{view.__module__}.{view.__qualname__}"


# Storage is configurable (RATELIMIT_STORAGE_URI: memory://, redis://..., memcached://...): with several
# app hosts, or several gunicorn workers, the counts must be shared.
limiter = StudyLimiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
# The Python client each storage scheme needs, and how to install it.
STORE_CLIENTS = {
    "redis": ("redis", "pip install -e '.[redis]'"),
    "rediss": ("redis", "pip install -e '.[redis]'"),
    "redis+unix": ("redis", "pip install -e '.[redis]'"),
    "redis+sentinel": ("redis", "pip install -e '.[redis]'"),
    "redis+cluster": ("redis", "pip install -e '.[redis]'"),
    "memcached": ("pymemcache", "pip install pymemcache"),
    "mongodb": ("pymongo", "pip install pymongo"),
    "mongodb+srv": ("pymongo", "pip install pymongo"),
}
# A store that does not answer within this many seconds counts as away (the client's default waits
# for the operating system's TCP timeout, minutes, while the request hangs).
STORE_TIMEOUT_SECONDS = 2
# Per address. Generous, since a whole accommodation centre may share one address; still, guessing one
# of 2^55 codes at this pace takes far longer than any survey runs.
CODE_ATTEMPTS = "30/minute;300/hour"
LOGIN_ATTEMPTS = "20/minute;200/hour"  # accounts also lock after 5 wrong passwords

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; media-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DEVELOPMENT_SECRETS = frozenset({"dev", "development", "secret", "changeme", "change-me", "x", "test"})
HSTS = "max-age=63072000; includeSubDomains"


# The security headers of every response, in order, built once: `_headers` adds those the response
# does not have yet (checked by one pass over its headers instead of a lookup per name).
_EVERY_RESPONSE = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    # Participant codes and survey paths must never leak to other sites.
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_ADDED: dict[tuple[bool, bool], tuple[tuple[str, str], ...]] = {
    (https, html): _EVERY_RESPONSE
    + ((("Strict-Transport-Security", HSTS),) if https else ())
    + ((("Cache-Control", "no-store"),) if html else ())
    for https in (False, True)
    for html in (False, True)
}
_ADDED_NAMES = frozenset(name.lower() for name, _ in _ADDED[True, True])


def _headers(response: Response) -> Response:
    added = _ADDED[bool(current_app.config.get("HTTPS")), response.mimetype == "text/html"]
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    if present.isdisjoint(_ADDED_NAMES):
        headers.extend(added)
    else:
        headers.extend([(name, value) for name, value in added if name.lower() not in present])
    return response


# Flask-WTF's names: the raw token in the session, the signed one in `g` and in forms.
CSRF_FIELD = "csrf_token"
SIGNED_TOKENS_KEPT = 20_000  # about 150 bytes each; more sessions than one worker serves in a while


def csrf_token() -> str:
    """Flask-WTF's `generate_csrf`, signing once per session instead of once per request.

    The signed token (the session's raw token, a timestamp and an HMAC) is kept in worker memory by raw
    token and handed out again: signing was about a twentieth of a question page's CPU. The raw token
    is readable in the signed one anyway, so the memory holds nothing a page does not show. Tokens do
    not expire by age here (WTF_CSRF_TIME_LIMIT is None); with a limit configured, every request signs
    anew as before, since a reused token would carry an older timestamp."""
    app = current_app
    config = app.config
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or config.get("WTF_CSRF_FIELD_NAME", CSRF_FIELD) != CSRF_FIELD:
        return str(generate_csrf())
    kept: dict[str, str] = app.extensions["survey.signed_csrf"]
    signed = g.get(CSRF_FIELD)  # a form of this request may have signed already
    if signed is None:
        raw = session.get(CSRF_FIELD)
        signed = kept.get(raw) if isinstance(raw, str) else None
        if signed is not None:
            setattr(g, CSRF_FIELD, signed)  # where Flask-WTF's forms find it (they would sign otherwise)
            return signed
        signed = generate_csrf()
    raw = session.get(CSRF_FIELD)  # none when the session was cleared after this request signed
    if isinstance(raw, str) and raw not in kept:
        if len(kept) >= SIGNED_TOKENS_KEPT:
            kept.clear()  # simpler than least-recently-used; the next request signs again
        kept[raw] = signed
    return str(signed)


def _signed_for_session() -> str | None:
    """The signed token this worker handed out for the session's raw token, if it did and signed
    tokens are reused (see `csrf_token`)."""
    config = current_app.config
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or config.get("WTF_CSRF_FIELD_NAME", CSRF_FIELD) != CSRF_FIELD:
        return None
    raw = session.get(CSRF_FIELD)
    return current_app.extensions["survey.signed_csrf"].get(raw) if isinstance(raw, str) else None


def refuse_development_secrets(app: Flask) -> None:
    """Outside debugging and tests, a guessable session secret is a configuration error."""
    if app.debug or app.testing:
        return
    secret = str(app.config.get("SECRET_KEY", ""))
    if secret.lower() in DEVELOPMENT_SECRETS or len(secret) < 24:
        raise ConfigurationError(
            "SECRET_KEY is a development value or shorter than 24 characters: set a long random one "
            "(flask --app survey init writes instance/secret_key)."
        )


def gunicorn_workers(argv: list[str] | None = None) -> int:
    """How many workers the gunicorn server running this process has (0 outside gunicorn)."""
    argv = sys.argv if argv is None else argv
    if not argv or os.path.basename(argv[0]) != "gunicorn":
        return 0
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-w", "--workers", type=int)
    known, _ = parser.parse_known_args(argv[1:])
    if known.workers:
        return int(known.workers)
    return int(os.environ.get("WEB_CONCURRENCY") or 1)


def check_rate_limit_store(app: Flask, argv: list[str] | None = None) -> None:
    """The client library the configured store needs is installed; memory:// counts per worker."""
    uri = str(app.config["RATELIMIT_STORAGE_URI"])
    scheme = uri.split("://", 1)[0].lower()
    client = STORE_CLIENTS.get(scheme)
    if client is not None and importlib.util.find_spec(client[0]) is None:
        raise ConfigurationError(
            f"RATELIMIT_STORAGE_URI is {scheme}://..., which needs the Python package '{client[0]}': "
            f"it is not installed ({client[1]})."
        )
    if scheme.startswith("redis"):
        options: dict[str, Any] = app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {})
        options.setdefault("socket_connect_timeout", STORE_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", STORE_TIMEOUT_SECONDS)
    workers = gunicorn_workers(argv)
    warned = os.environ.get("SURVEY_STARTUP_WARNED") == "1"  # by gunicorn's master (survey/startup.py)
    if scheme == "memory" and workers > 1 and app.config.get("RATELIMIT_ENABLED", True) and not warned:
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory:// with %d gunicorn workers: each worker counts attempts "
            "on its own, so the rate limits allow up to %d times as many; set RATELIMIT_STORAGE_URI to a "
            "shared store (redis://host:6379/0, with pip install -e '.[redis]'), or run one worker",
            workers,
            workers,
        )


def init_app(app: Flask) -> None:
    refuse_development_secrets(app)
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        # Behind a TLS reverse proxy: trust its X-Forwarded-For/-Proto, and only that many hops.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    check_rate_limit_store(app)
    register(app, "rate-limit store", "respondent routes go on without counting, staff sign-in answers 503")
    csrf.init_app(app)
    app.extensions["survey.signed_csrf"] = {}
    # Instead of Flask-WTF's generate_csrf: its template global, and its context processor that put
    # the same function in every template's context again (the globals serve every template).
    app.jinja_env.globals["csrf_token"] = csrf_token
    processors = app.template_context_processors[None]
    processors[:] = [found for found in processors if getattr(found, "__module__", "") != "flask_wtf.csrf"]
    limiter.init_app(app)
    app.after_request(_headers)
