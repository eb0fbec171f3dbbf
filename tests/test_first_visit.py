"""The first page in one round trip: the stylesheet inlined under a CSP hash until the browser has
fetched it; then linked, byte for byte as before."""

from __future__ import annotations

import base64
import hashlib
import re

from flask.testing import FlaskClient

from survey.delivery import STYLE_COOKIE

STYLE = re.compile(r"<style>(.*?)</style>", re.S)
LINK = re.compile(r'<link rel="stylesheet" href="(/static/survey\.css\?v=[0-9a-f]+)">\n</head>')


def test_first_page_inlines_the_stylesheet_allowed_by_its_hash(client: FlaskClient) -> None:
    response = client.get("/every-type/")
    html = response.get_data(as_text=True)
    found = STYLE.search(html)
    assert found is not None and "box-sizing" in found.group(1)
    digest = base64.b64encode(hashlib.sha256(found.group(1).encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in policy and "unsafe-inline" not in policy
    assert "url(/static/fonts/" in found.group(1) and "url(fonts/" not in found.group(1)
    assert re.search(r'<link rel="prefetch" href="/static/survey\.css\?v=[0-9a-f]+">', html)
    assert 'rel="stylesheet"' not in html


def test_the_fetched_stylesheet_makes_later_pages_link_it(client: FlaskClient) -> None:
    first = client.get("/every-type/").get_data(as_text=True)
    url = re.search(r'rel="prefetch" href="([^"]+)"', first).group(1)  # type: ignore[union-attr]
    sheet = client.get(url)
    sheet.close()
    assert sheet.status_code == 200 and "immutable" in sheet.headers["Cache-Control"]
    version = url.rsplit("=", 1)[1]
    cookie = client.get_cookie(STYLE_COOKIE)
    assert cookie is not None and cookie.value == version and cookie.http_only
    later = client.get("/every-type/")
    html = later.get_data(as_text=True)
    assert "<style>" not in html and LINK.search(html) and LINK.search(html).group(1) == url  # type: ignore[union-attr]
    assert "style-src 'self';" in later.headers["Content-Security-Policy"]


def test_an_old_stylesheet_version_in_the_cookie_inlines_again(client: FlaskClient) -> None:
    client.set_cookie(STYLE_COOKIE, "0123456789")
    assert "<style>" in client.get("/every-type/").get_data(as_text=True)
    client.get("/static/survey.css").close()  # without the version it is no sign of the cached file
    assert client.get_cookie(STYLE_COOKIE).value == "0123456789"  # type: ignore[union-attr]
