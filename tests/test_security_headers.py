"""The security headers `survey.security._headers` adds: each once, in order, never over one a view
or another hook set (a first visit's CSP with the inlined stylesheet's hash, a static file's caching)."""

from __future__ import annotations

from survey.security import CONTENT_SECURITY_POLICY, HSTS

from .conftest import make_app

ADDED = ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]


def names(response) -> list[str]:
    return [name for name, _ in response.headers]


def test_a_page_gets_every_header_once_in_order(client):
    response = client.get("/")
    found = names(response)
    expected = [*ADDED, "Cross-Origin-Opener-Policy", "Cache-Control"]
    assert [name for name in found if name in expected] == expected
    assert response.headers["Content-Security-Policy"].startswith(CONTENT_SECURITY_POLICY.split(";", 1)[0])
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in found


def test_a_header_set_before_is_kept_and_not_repeated(client):
    response = client.get("/every-type/")  # a first visit: the CSP allows the inlined stylesheet
    assert names(response).count("Content-Security-Policy") == 1
    assert "'sha256-" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    url = response.data.decode().split('rel="prefetch" href="', 1)[1].split('"', 1)[0]
    with client.get(url) as stylesheet:
        assert stylesheet.status_code == 200
        assert names(stylesheet).count("Cache-Control") == 1
        assert stylesheet.headers["Cache-Control"].startswith("public")
        assert stylesheet.headers["Referrer-Policy"] == "no-referrer"
        assert stylesheet.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_https_adds_strict_transport_security(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'survey.sqlite3'}", HTTPS=True)
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert names(response).index("Strict-Transport-Security") < names(response).index("Cache-Control")
