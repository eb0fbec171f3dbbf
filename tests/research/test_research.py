"""Researcher area: counts that hide small numbers, fieldwork dates, code batches, web export."""

from __future__ import annotations

import datetime
import io
import zipfile

from survey.research import services

from ..accounts.signin import login
from ..conftest import TEST_PASSPHRASE, csrf_token, study_keys
from ..factories import store_response

EVERY = {
    "consent": True,
    "birth_year": 1990,
    "country_birth": "DE",
    "working": 2,
    "home_langs": [1],
    "mother_tongue": "de",
    "municipality": 1,
    "life_sat": 5,
    "trust": {"police": 1, "courts": 1},
}


def researcher(app):
    return login(app.test_client(), app, "res@example.org", ["researcher"])


def test_counts_below_five_are_shown_as_less_than_five(app):
    for _ in range(6):
        store_response(app, "every-type", EVERY, language="de")
    store_response(app, "every-type", EVERY, language="ar", mode="assisted")
    html = researcher(app).get("/research/").data.decode()
    assert "<td>6</td>" in html and "&lt;5" in html
    assert services.shown(3) == "<5" and services.shown(0) == "0" and services.shown(5) == "5"


def test_closed_fieldwork_closes_the_survey_to_respondents(app, client):
    client_r = researcher(app)
    page = client_r.get("/research/every-type/fieldwork")
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    response = client_r.post(
        "/research/every-type/fieldwork",
        data={"csrf_token": csrf_token(page.data), "opens_on": "2026-01-01", "closes_on": yesterday},
    )
    assert response.status_code == 200
    assert "This survey is closed" in client.get("/every-type/start", headers={"Accept-Language": "en"}).data.decode()
    bad = client_r.post(
        "/research/every-type/fieldwork",
        data={"csrf_token": csrf_token(page.data), "opens_on": "2026-13-01", "closes_on": ""},
    )
    assert bad.status_code == 400 and 'class="error-summary"' in bad.data.decode()


def test_code_batch_downloads_once_as_csv(app):
    client = researcher(app)
    page = client.get("/research/panel/codes")
    response = client.post(
        "/research/panel/codes", data={"csrf_token": csrf_token(page.data), "count": "4", "wave": "1"}
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.data.decode().splitlines()
    assert lines[0] == "code,url" and len(lines) == 5
    assert "<td>4</td>" in client.get("/research/panel/codes").data.decode()


def test_web_export_downloads_a_zip_and_never_keeps_the_key(app, tmp_path):
    for _ in range(3):
        store_response(app, "every-type", EVERY)
    client = researcher(app)
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    page = client.get("/research/export")
    data = {
        "csrf_token": csrf_token(page.data),
        "questionnaire": "every-type",
        "k": "1",
        "max_suppression": "0",
        "format_csv": "1",
        "format_sav": "1",
        "passphrase": TEST_PASSPHRASE,
        "key": (io.BytesIO(private_file.read_bytes()), "study-private.json"),
    }
    response = client.post("/research/export", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert {"every-type.csv", "every-type.sav", "codebook.html", "manifest.json", "disclosure-report.json"} <= set(
        names
    )
    data.update(
        passphrase="wrong passphrase here",
        key=(io.BytesIO(private_file.read_bytes()), "k.json"),
        csrf_token=csrf_token(client.get("/research/export").data),
    )
    refused = client.post("/research/export", data=data, content_type="multipart/form-data")
    assert refused.status_code == 400 and "wrong passphrase" in refused.data.decode()
    assert TEST_PASSPHRASE not in refused.data.decode()


def test_audit_log_is_for_researchers_and_admins(app):
    assert researcher(app).get("/research/audit").status_code == 200
    interviewer = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    assert interviewer.get("/research/audit").status_code == 403
