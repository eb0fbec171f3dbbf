"""Researcher pages of the evaluation: response rates per wave and batch, the indicators check, a run."""

from __future__ import annotations

import io
import zipfile

from survey.accounts.access import access_policy

from ..accounts.signin import login
from ..conftest import TEST_PASSPHRASE, csrf_token, study_keys
from ..factories import store_response
from ..research.test_research import EVERY


def researcher(app):
    return login(app.test_client(), app, "res@example.org", ["researcher"])


def test_evaluation_pages_are_for_researchers_only(app):
    for endpoint in ("evaluation.index", "evaluation.run"):
        assert access_policy(app.view_functions[endpoint]) == frozenset({"researcher"})
    interviewer = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    assert interviewer.get("/research/evaluation/").status_code == 403
    assert app.test_client().get("/research/evaluation/").status_code in (302, 303)


def test_response_rates_per_wave_and_batch_and_the_indicators_check(app, runner, tmp_path):
    client = researcher(app)
    for count in ("4", "6"):
        page = client.get("/research/panel/codes")
        client.post("/research/panel/codes", data={"csrf_token": csrf_token(page.data), "count": count, "wave": "1"})
    html = client.get("/research/evaluation/", headers={"Accept-Language": "en"}).data.decode()
    assert "<td>10</td><td>0</td><td>0.0 %</td>" in html  # the whole wave: 10 codes, none answered yet
    assert html.count('<td dir="ltr">1</td>') == 3  # wave 1, then each of its two batches
    assert "every-type.indicators.json" in html and "No problems: 2 indicators, 1 breakdowns." in html


def test_run_on_the_servers_own_responses_downloads_the_reports(app):
    for index in range(8):
        store_response(app, "every-type", dict(EVERY, working=1 + index % 2, municipality=1 + index % 3))
    client = researcher(app)
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    page = client.get("/research/evaluation/run")
    data = {
        "csrf_token": csrf_token(page.data),
        "questionnaire": "every-type",
        "indicators": "every-type.indicators.json",
        "passphrase": TEST_PASSPHRASE,
        "key": (io.BytesIO(private_file.read_bytes()), "study-private.json"),
    }
    response = client.post("/research/evaluation/run", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"monitoring.de.html", "evaluation.en.html", "tables/estimates.csv", "tables.xlsx"} <= names
    estimates = archive.read("tables/estimates.csv").decode()
    assert "working,share,all,all,1,0.5," in estimates
    data.update(
        passphrase="wrong passphrase here",
        key=(io.BytesIO(private_file.read_bytes()), "k.json"),
        csrf_token=csrf_token(client.get("/research/evaluation/run").data),
    )
    refused = client.post("/research/evaluation/run", data=data, content_type="multipart/form-data")
    assert refused.status_code == 400 and 'class="error-summary"' in refused.data.decode()
    assert TEST_PASSPHRASE not in refused.data.decode()


def test_evaluate_from_a_sealed_bundle_on_the_offline_machine(app, runner, tmp_path, monkeypatch):
    for index in range(12):
        store_response(app, "every-type", dict(EVERY, working=1 + index % 3 // 2, municipality=1 + index % 2))
    bundle = tmp_path / "every-type.bundle"
    assert runner.invoke(args=["bundle", "--questionnaire", "every-type", "--out", str(bundle)]).exit_code == 0
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", TEST_PASSPHRASE)
    (private_file,) = study_keys()[0].parent.glob("study-private-*.json")
    out = tmp_path / "out"
    result = runner.invoke(
        args=[
            "evaluate", "--bundle", str(bundle), "--key", str(private_file), "--out", str(out), "--no-pdf",
            "--indicators", "tests/data/questionnaires/every-type.indicators.json",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"unsealing and anonymising {bundle}" in result.output
    estimates = (out / "tables" / "estimates.csv").read_text(encoding="utf-8")
    assert "working,share,all,all,1,0.666667," in estimates
    no_key = ["evaluate", "--bundle", str(bundle), "--out", str(tmp_path / "o"), "--indicators", "x"]
    refused = runner.invoke(args=no_key)
    assert refused.exit_code == 2 and "--bundle needs the private key: --key FILE" in refused.output
