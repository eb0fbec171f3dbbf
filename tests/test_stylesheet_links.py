"""The stylesheet's links are made once per script root (survey/delivery.py `_links`): an app mounted
under a prefix links its own path, also after a request at another root."""

from __future__ import annotations

import re

PREFETCH = re.compile(r'<link rel="prefetch" href="([^"]+)">')


def test_each_script_root_links_its_own_path(client):
    plain = PREFETCH.search(client.get("/every-type/").get_data(as_text=True))
    mounted = PREFETCH.search(
        client.get("/every-type/", environ_overrides={"SCRIPT_NAME": "/umfrage"}).get_data(as_text=True)
    )
    again = PREFETCH.search(client.get("/every-type/").get_data(as_text=True))
    assert plain is not None and mounted is not None and again is not None
    assert plain.group(1).startswith("/static/survey.css?v=")
    assert mounted.group(1) == "/umfrage" + plain.group(1)
    assert again.group(1) == plain.group(1)
