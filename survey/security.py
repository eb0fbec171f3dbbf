"""CSRF protection on every form, security headers on every response, rate limits on guessable
inputs (participant codes, resume codes, logins), and refusal of development secrets in production."""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from .config import ConfigurationError

csrf = CSRFProtect()
# Storage is configurable (RATELIMIT_STORAGE_URI: memory://, redis://..., memcached://...): with several
# app hosts the counts must be shared.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
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


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Participant codes and survey paths must never leak to other sites.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HTTPS"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


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
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_headers)
