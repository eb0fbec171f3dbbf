"""Dates and years in other calendars offline (survey/static/offline/calendars.js): a Persian-speaking
respondent with a German interviewer types a year in the Solar Hijri calendar, a month in the
Ethiopian one and, handed the device, a birthday on 30 Esfand; every page's respondent block built by
render.js equals the server's (calendar choice, month names numbered in Persian digits, in German for
the interviewer and in Persian on the handed-over page), and the answers the offline runtime reads,
sealed in the browser and synced, open on the server to exactly what the server stored for the same
interview."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import private_keys
from .calendar_vectors import CALENDAR_QUESTIONNAIRE
from .conftest import InThread
from .markup import assert_same_markup, compare_pages, go, questionnaire_folder, serving, tags

pytestmark = pytest.mark.browser

STUDY = copy.deepcopy(CALENDAR_QUESTIONNAIRE) | {"access": "open", "wave": "1"}
STUDY["pages"][2]["questions"][0] |= {"privacy": "sensitive", "required": True}  # the birthday: handed over

# What the respondent types (Persian digits for the year), question by question.
TYPED = {
    "born": [("born-calendar", "solar_hijri"), ("born", "۱۳۹۴")],
    "arrived": [("arrived-calendar", "ethiopian"), ("arrived-month", "1"), ("arrived-year", "2017")],
    "birthday": [
        ("birthday-calendar", "solar_hijri"),
        ("birthday-day", "30"),
        ("birthday-month", "12"),
        ("birthday-year", "1403"),
    ],
    "hijri_year": [("hijri_year", "1394")],
    "year_only": [("year_only-calendar", "ethiopian"), ("year_only-year", "2008")],
}
STORED = {"born": 2015, "arrived": "2024-09", "birthday": "2025-03-20", "hijri_year": 2015, "year_only": "2016"}


def type_in(page: Any, question: Any) -> None:
    for name, value in TYPED[question.id]:
        field = page.locator(f'[name="{name}"]').first
        if field.evaluate("e => e.type") == "radio":
            page.locator(f'[name="{name}"][value="{value}"]').check()
        else:
            field.fill(value)


# The record app.js seals at "Send answers", with the answers the offline runtime read, uploaded as
# the device's sync does; answers the upload's JSON.
SYNC = """async ([study, answers]) => {
  const { readPublicKey, sealResponse, toBase64 } = await import("/static/offline/seal.js");
  const data = await (await fetch("/offline/questionnaires/" + study)).json();
  const key = readPublicKey(await (await fetch("/offline/key")).json());
  const device = await (await fetch("/offline/device")).json();
  const id = crypto.randomUUID();
  const record = {
    questionnaire: study, version: data.logic.version, wave: data.logic.wave, response: id.replaceAll("-", ""),
    pseudonym: null, answers, page_seconds: {}, pages: data.logic.pages.map((page) => page.id),
  };
  const sealed = toBase64(await sealResponse(record, key));
  const ended = new Date();
  const upload = {
    id, questionnaire: study, version: data.logic.version, sealed, languages: ["fa", "de"], device_class: "tablet",
    started: new Date(ended.getTime() - 600000).toISOString(), ended: ended.toISOString(),
  };
  const response = await fetch("/offline/records", {
    method: "POST", headers: { "Content-Type": "application/json", "X-CSRFToken": device.csrf },
    body: JSON.stringify({ records: [upload] }),
  });
  return [id.replaceAll("-", ""), await response.json()];
}"""


def test_dates_in_other_calendars_offline_are_shown_read_and_stored_as_on_the_server(
    chromium: InThread, tmp_path: Path
) -> None:
    loaded, folder = questionnaire_folder(tmp_path, STUDY)
    synced: list[Any] = []

    def send_both(page: Any, answers: dict[str, Any]) -> None:
        go(page, "main form button[type=submit]")  # the server's "Send answers"
        synced.extend(page.evaluate(SYNC, [loaded.id, answers]))

    read: dict[str, Any] = {}
    with serving(tmp_path, folder) as (url, app):
        compared = chromium.within(compare_pages, url, loaded, None, ("fa", "de"), type_in, read, send_both)
        with app.extensions["survey.db"].sessions() as db:
            rows = {row.id: row for row in db.scalars(select(SealedResponse))}
    assert {"born", "arrived", "birthday", "born with errors", "arrived with errors"} <= set(compared)
    assert_same_markup(compared)
    arrived = json.dumps(compared["arrived"][0][0], ensure_ascii=False)
    assert (
        "Äthiopischer Kalender" in arrived and "Meskerem" in arrived and "۱۳" in arrived
    )  # German names, Persian digits
    assert compared["birthday"][2] and "اسفند" in json.dumps(compared["birthday"][0][0], ensure_ascii=False)
    assert "details" in tags(compared["birthday"][0][0])
    assert read == STORED
    record_id, answer = synced
    assert answer == {"stored": [record_id], "already": [], "refused": []}
    keys = private_keys()
    opened = {row_id: unseal_response(row_id, loaded.id, "1", row.content, keys) for row_id, row in rows.items()}
    assert len(opened) == 2
    server = next(record for row_id, record in opened.items() if row_id != record_id)
    assert opened[record_id]["answers"] == server["answers"] == STORED
