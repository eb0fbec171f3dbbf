"""Hand-over pages without a browser: each block in the language of the person it addresses."""

from __future__ import annotations

import re

from ..accounts.signin import login
from ..conftest import csrf_token
from ..factories import issue_code
from .test_interview import post_page, start_interview


def test_hand_over_and_back_speak_to_each_person_in_their_language(app, runner, tmp_path):
    client = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    first = start_interview(client, "en", "de", code=issue_code(runner, tmp_path))
    assert post_page(client, first, {"consent": "yes"}).status_code == 303
    story = first.replace("/p/consent", "/p/story")
    html = client.get(story).data.decode()
    assert '<html lang="de" dir="ltr">' in html  # the interviewer holds the device
    assert re.search(r'<div class="panel handover" lang="de" dir="ltr">\s*<h1>Geben Sie das Gerät der', html)
    assert re.search(r'<form class="to-respondent"[^>]* lang="en" dir="ltr">', html)
    assert ">I have the device: continue</button>" in html and "Ich habe das Gerät" not in html
    client.post(story.replace("/p/", "/handover/"), data={"csrf_token": csrf_token(html)})
    alone = client.get(story).data.decode()
    answers = {"story": "allein", "income": "100", "born-day": "1", "born-month": "2", "born-year": "1990"}
    html = client.post(story, data={**answers, "csrf_token": csrf_token(alone)}).data.decode()
    assert '<html lang="en" dir="ltr">' in html  # the respondent holds the device
    assert '<div class="panel" lang="en" dir="ltr">\n<h1>Thank you. Please hand the device back' in html
    assert re.search(r'<p class="to-interviewer" lang="de" dir="ltr"><a class="button" href="[^"]+">Ich führe', html)
    assert "I am the interviewer" not in html
