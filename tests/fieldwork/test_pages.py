"""Researcher pages: rates per group with small counts hidden, and the same table as CSV."""

from __future__ import annotations

import csv
import io

from ..accounts.signin import login
from .conftest import draw_args, draw_id
from .test_dispositions import begin, finish_panel


def test_rates_page_and_csv_hide_small_counts(app, runner, fieldwork_dir, register_file, design_file):
    from survey.fieldwork import mailing

    found = draw_id(runner.invoke(args=draw_args(register_file, design_file)).output)
    entries = mailing.read(fieldwork_dir, found)
    finish_panel(begin(app.test_client(), "panel", entries[0].code))
    client = login(app.test_client(), app, "researcher@example.org", ["researcher"])
    client.get("/?lang=en")
    page = client.get("/research/fieldwork/panel/rates?by=stratum")
    assert page.status_code == 200
    html = page.data.decode()
    assert "<bdi>&lt;5</bdi>" in html and "All codes" in html and found in html
    assert f"<bdi>{100 / 60:.1f}</bdi>" in html  # RR1 of all 60 codes
    download = client.get("/research/fieldwork/panel/rates.csv?by=language")
    assert download.headers["Content-Type"].startswith("text/csv")
    rows = {row["language"]: row for row in csv.DictReader(io.StringIO(download.data.decode()))}
    assert rows["all"]["issued"] == "60" and rows["all"]["complete"] == "<5"
    index = client.get("/research/").data.decode()
    assert "/research/fieldwork/panel/rates" in index


def test_interviewers_do_not_see_rates(app):
    client = login(app.test_client(), app, "interviewer@example.org", ["interviewer"])
    assert client.get("/research/fieldwork/panel/rates").status_code == 403
    assert client.get("/research/fieldwork/panel/rates.csv").status_code == 403
