"""The application factory, configuration, headers and error pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.config import ConfigurationError

from .conftest import TEST_QUESTIONNAIRES, make_app


def test_create_app_touches_no_database(tmp_path: Path):
    database = tmp_path / "never.sqlite3"
    app = make_app(f"sqlite:///{database}")
    assert app.name == "survey"
    assert not database.exists()


def test_missing_secret_key_is_a_clear_error(tmp_path: Path, monkeypatch):
    from survey import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="No SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://", "QUESTIONNAIRE_DIR": str(TEST_QUESTIONNAIRES)})


def test_heroku_style_postgres_url_uses_psycopg3():
    app = make_app("postgres://user:pw@db.example/survey")
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://user:pw@db.example/survey"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_http_only_and_same_site(client):
    from .conftest import csrf_token

    token = csrf_token(client.get("/every-type/").data)
    response = client.post("/every-type/", data={"language": "de", "csrf_token": token})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_start_page_lists_questionnaires_in_the_browser_language(client):
    html = client.get("/", headers={"Accept-Language": "ar,en;q=0.5"}).data.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "جميع أنواع الأسئلة" in html


def test_language_page_offers_each_language_by_its_own_name_preselected_from_browser(client):
    html = client.get("/every-type/", headers={"Accept-Language": "ar"}).data.decode()
    assert 'lang="ar" dir="rtl">العربية</label>' in html
    assert 'lang="de" dir="ltr">Deutsch</label>' in html
    assert 'value="ar" checked' in html
    assert 'value="de" checked' not in html


def test_choosing_an_unknown_language_is_refused(client):
    from .conftest import csrf_token

    token = csrf_token(client.get("/every-type/").data)
    response = client.post("/every-type/", data={"language": "xx", "csrf_token": token})
    assert response.status_code == 400


def test_not_found_page_is_translated(client):
    response = client.get("/nowhere/", headers={"Accept-Language": "de"})
    assert response.status_code == 404
    assert '<html lang="de" dir="ltr">' in response.data.decode()
    assert "Seite nicht gefunden" in response.data.decode()


def test_pages_need_no_javascript(client):
    for path in ("/", "/every-type/", "/every-type/start"):
        assert "<script" not in client.get(path).data.decode()


def test_procfile_access_log_leaves_out_query_strings():
    from .conftest import ROOT

    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "%(U)s" in web and "%(r)s" not in web and "%(q)s" not in web
    release = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("release:"))
    assert "db upgrade" in release


def test_pages_are_gzipped_and_static_files_cached_under_a_content_hash(client):
    import gzip
    import re

    page = client.get("/every-type/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(page.data).decode()
    css = re.search(r'href="(/static/survey\.css\?v=[0-9a-f]{10})"', html).group(1)
    with client.get(css, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Encoding"] == "gzip"
        assert b"margin-inline" in gzip.decompress(response.data)
    plain = client.get("/every-type/")
    assert "Content-Encoding" not in plain.headers and b"<html" in plain.data
