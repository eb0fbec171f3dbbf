"""/offline/outbox-file: staff upload an outbox an interviewer's device saved as a file. Each record is
stored once with the interviewer's pseudonym; bad records and files are named by their JSON pointer
in a translated error list. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from survey.audit import AuditEvent
from survey.interview.services import interviewer_pseudonym
from survey.offline.outbox import MAX_FILE_BYTES
from survey.respond.models import Paradata

from ..accounts.signin import load_user, login, make_user, update_user
from ..conftest import count_rows, csrf_token
from .test_sync import offline_record

PAGE = "/offline/outbox-file"
INTERVIEWER = "device@example.org"


def outbox_bytes(records: Any, **changes: Any) -> bytes:
    document = {"format": "wetterau-survey-outbox", "version": 1, "records": records, **changes}
    return json.dumps(document).encode()


def staff(app: Any, roles: tuple[str, ...] = ("researcher",), language: str = "en") -> Any:
    client = login(app.test_client(), app, "staff@example.org", roles)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def post(client: Any, data: bytes | None, interviewer: Any, token: bool = True) -> Any:
    form: dict[str, Any] = {"interviewer": str(interviewer)}
    if token:
        form["csrf_token"] = csrf_token(client.get(PAGE).data)
    if data is not None:
        form["file"] = FileStorage(io.BytesIO(data), "outbox.json", content_type="application/json")
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(form)
    return client.post(PAGE, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_saved_outbox_is_stored_once_with_the_interviewers_pseudonym(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    client = staff(app)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert f'<option value="{device.id}" dir="ltr">{INTERVIEWER}</option>' in page.data.decode()
    data = outbox_bytes([offline_record(), offline_record()])
    first = post(client, data, device.id)
    assert first.status_code == 200, first.data.decode()[:2000]
    assert "Stored now: <bdi>2</bdi>. Stored before: <bdi>0</bdi>. Not accepted: <bdi>0</bdi>." in first.data.decode()
    again = post(client, data, device.id)
    assert "Stored now: <bdi>0</bdi>. Stored before: <bdi>2</bdi>. Not accepted: <bdi>0</bdi>." in again.data.decode()
    assert count_rows(app, "sealed_response") == 2
    with app.app_context():
        expected = interviewer_pseudonym(app.extensions["survey.pseudonym_key"], load_user(app, INTERVIEWER).id)
    with app.extensions["survey.db"].sessions() as db:
        paradata = db.scalars(select(Paradata)).all()
        assert [(row.mode, row.interviewer) for row in paradata] == [("assisted offline", expected)] * 2
        events = db.scalars(select(AuditEvent).where(AuditEvent.event == "offline outbox file uploaded")).all()
        assert [event.actor for event in events] == ["staff@example.org"] * 2
        assert events[1].detail.endswith("stored 0, stored before 2, refused 0")


def test_bad_records_are_listed_by_pointer_and_the_good_ones_stored(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    client = staff(app)
    records = [offline_record(), offline_record(sealed="bm90IHNlYWxlZA=="), offline_record(device_class="phone")]
    response = post(client, outbox_bytes(records), device.id)
    html = response.data.decode()
    assert response.status_code == 400
    assert "<title>Error:" in html
    assert (
        '<a href="#file"><bdi dir="ltr"><code>/records/1/sealed</code></bdi>: '
        "not a sealed record (truncated or unknown format)</a>"
    ) in html
    assert "<code>/records/2/device_class</code></bdi>: needs one of mobile, tablet, desktop</a>" in html
    assert "Not accepted: <bdi>2</bdi>." in html
    assert count_rows(app, "sealed_response") == 1


def test_the_error_list_is_in_the_staff_members_language(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    records = [offline_record(id="not-a-uuid"), offline_record(ended="2026-12-07T08:00:00+01:00")]
    arabic = post(staff(app, language="ar"), outbox_bytes(records), device.id).data.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "<code>/records/0/id</code></bdi>: يحتاج إلى معرّف UUID الخاص بالسجل، المُنشأ على الجهاز</a>" in arabic
    assert "<code>/records/1/ended</code></bdi>: يقع قبل البداية</a>" in arabic
    german = post(staff(app, language="de"), outbox_bytes([], version=2), device.id).data.decode()
    assert "<code>/version</code></bdi>: braucht Version 1" in german
    assert count_rows(app, "sealed_response") == 0


def test_files_that_are_not_outboxes_are_refused_by_pointer(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    client = staff(app)
    cases = {
        b"{": "<code>/</code></bdi>: not a JSON file",
        "﻿{}".encode("utf-16"): "<code>/</code></bdi>: not a JSON file",
        outbox_bytes([], format="something"): "<code>/format</code></bdi>: needs &#34;wetterau-survey-outbox&#34;",
        outbox_bytes({}): "<code>/records</code></bdi>: needs a list of records",
    }
    for data, message in cases.items():
        response = post(client, data, device.id)
        assert response.status_code == 400 and message in response.data.decode(), data
    assert count_rows(app, "sealed_response") == 0


def test_the_form_asks_for_the_interviewer_the_file_and_a_small_enough_file(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    make_user(app, "reader@example.org", ["researcher"])
    client = staff(app)
    data = outbox_bytes([offline_record()])
    nobody = post(client, data, "")
    assert nobody.status_code == 400
    assert '<a href="#interviewer">Choose the interviewer whose device saved the file.</a>' in nobody.data.decode()
    not_interviewer = post(client, data, load_user(app, "reader@example.org").id)
    assert "Choose the interviewer whose device saved the file." in not_interviewer.data.decode()
    no_file = post(client, None, device.id)
    assert '<a href="#file">Choose the outbox file.</a>' in no_file.data.decode()
    padding = b" " * (MAX_FILE_BYTES - len(data) + 1)
    too_large = post(client, data + padding, device.id)
    assert too_large.status_code == 400
    assert "The file is larger than 8 MB: not an outbox file." in too_large.data.decode()
    far_too_large = post(client, data + padding + b" " * 100_000, device.id)  # refused before the CSRF check
    assert far_too_large.status_code == 413
    assert "The file is larger than 8 MB: not an outbox file." in far_too_large.data.decode()
    assert count_rows(app, "sealed_response") == 0


def test_a_disabled_interviewers_file_can_be_uploaded(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    update_user(app, INTERVIEWER, active=False)  # the device cannot sync any more: its file comes here
    response = post(staff(app, ("admin",)), outbox_bytes([offline_record()]), device.id)
    assert "Stored now: <bdi>1</bdi>." in response.data.decode()
    assert count_rows(app, "interview") == 1


def test_the_page_is_for_staff_with_a_csrf_token(app: Any) -> None:
    device = make_user(app, INTERVIEWER, ["interviewer"])
    assert app.test_client().get(PAGE).status_code in (302, 303)
    interviewer = login(app.test_client(), app, "other@example.org", ["interviewer"])
    assert interviewer.get(PAGE).status_code == 403
    client = staff(app)
    refused = post(client, outbox_bytes([offline_record()]), device.id, token=False)
    assert refused.status_code == 400
    assert count_rows(app, "sealed_response") == 0
