"""Offline interviews end to end in Chromium against a live server: prepare the device, switch the
network off, run two interviews (Arabic with a hand-over, Ukrainian), reload the browser in the
middle of one, switch the network on and sync twice. The server holds exactly two responses, which
the Python vault opens to what was typed; IndexedDB never held a plain answer; a record changed by
one byte is refused."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from survey.accounts.services import disable, find_by_email
from survey.respond.models import Paradata
from survey.vault.models import SealedResponse
from survey.vault.responses import ResponseUnreadable, unseal_response

from ..accounts.signin import PASSWORD, make_user
from ..conftest import ROOT, private_keys
from .conftest import InThread
from .markup import serving

pytestmark = pytest.mark.browser

EMAIL = "outreach@example.org"
QUESTIONNAIRE = "offline-visit"
# What the interviews type; none of it may reach IndexedDB in plain text.
ARABIC_JOB = "ممرضة في المستشفى"
ARABIC_WORRIES = "لا أعرف بعد أين سأسكن"
UKRAINIAN_COMMENT = "Дякую, все добре"
TYPED = (ARABIC_JOB, ARABIC_WORRIES, UKRAINIAN_COMMENT)

# IndexedDB as JSON: every store's records, byte buffers as lists of numbers.
DUMP_DATABASE = """async () => {
  const names = (await indexedDB.databases()).map((item) => item.name);
  if (!names.includes("wetterau-offline")) return {};
  const database = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("wetterau-offline");
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const plain = (value) => {
    if (value instanceof ArrayBuffer) return { bytes: Array.from(new Uint8Array(value)) };
    if (ArrayBuffer.isView(value)) {
      return { bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
    }
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
  };
  const dump = {};
  for (const store of database.objectStoreNames) {
    dump[store] = await new Promise((resolve, reject) => {
      const reading = database.transaction(store).objectStore(store).getAll();
      reading.onsuccess = () => resolve(plain(reading.result));
      reading.onerror = () => reject(reading.error);
    });
  }
  database.close();
  return dump;
}"""

UPLOAD = """async (records) => {
  const device = await (await fetch("/offline/device")).json();
  const answer = await fetch("/offline/records", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": device.csrf },
    body: JSON.stringify({ records }),
  });
  return answer.json();
}"""


def stored_bytes(dump: Any) -> list[bytes]:
    """Every string and byte buffer in a dump, as bytes (strings UTF-8)."""
    found: list[bytes] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict) and set(value) == {"bytes"}:
            found.append(bytes(value["bytes"]))
        elif isinstance(value, dict):
            for key, item in value.items():
                found.append(str(key).encode())
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.append(value.encode())
            found.append(value.encode("utf-16-le"))

    walk(dump)
    return found


def assert_nothing_plain(dump: Any) -> None:
    everything = stored_bytes(dump)
    for text in TYPED:
        for encoded in (text.encode(), text.encode("utf-16-le")):
            assert not any(encoded in item for item in everything), f"{text!r} is stored in plain text"
    # The sealed records themselves are there, as base64 of the HPKE layout ("R1" + key id + ...).
    for record in dump.get("outbox", []):
        assert base64.b64decode(record["sealed"])[:2] == b"R1"


class Server:
    def __init__(self, url: str, app: Any) -> None:
        self.url, self.app = url, app


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("offline"), ROOT / "tests" / "data" / "offline", EMAIL) as (url, app):
        yield Server(url, app)


def continue_(page: Any) -> None:
    page.click("form button[name=continue]")


def sign_in_and_prepare(page: Any, url: str, email: str = EMAIL) -> None:
    page.goto(f"{url}/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"{url}/offline/")
    page.wait_for_selector("#prepare-button")
    page.click("#prepare-button")
    page.wait_for_selector("#ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


@contextmanager
def offline_device(browser: Any, url: str, email: str = EMAIL) -> Iterator[tuple[Any, Any, list[str]]]:
    """A device prepared by `email` and gone offline: its context and offline page (reloaded with
    the network off), and the problems seen (page errors, failed responses); closed afterwards."""
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda got: problems.append(f"{got.status} {got.url}") if got.status >= 400 else None)
    try:
        sign_in_and_prepare(page, url, email)
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("#ready")
        yield context, page, problems
    finally:
        context.close()


def go_online_and_sync(context: Any, page: Any) -> str:
    """Back online: reload the offline page, press Sync, wait for the outcome; returns the status line."""
    context.set_offline(False)
    page.reload()
    page.wait_for_selector("#sync")
    page.click("#sync")
    page.wait_for_selector("[role=status]:has-text('Sent:')")
    return str(page.inner_text("[role=status]"))


def send_and_sync(context: Any, page: Any) -> tuple[Any, str]:
    """On the review: send the interview into the outbox, read the device's database, then sync
    online; returns the database as it was offline and the sync's status line."""
    page.click("#send")
    page.wait_for_selector("#ready")
    database = page.evaluate(DUMP_DATABASE)
    return database, go_online_and_sync(context, page)


def start(page: Any, language: str, interviewer_language: str) -> None:
    page.wait_for_selector("#ready")
    page.select_option("#questionnaire", QUESTIONNAIRE)
    page.select_option("#language", language)
    page.select_option("#interviewer_language", interviewer_language)
    page.click("form:has(#language) button[type=submit]")


def arabic_interview(page: Any) -> dict[str, Any]:
    """With a hand-over for the personal question and a reload of the browser in the middle."""
    seen: dict[str, Any] = {}
    start(page, "ar", "de")
    page.wait_for_selector("#consent")
    assert page.get_attribute(".respondent", "lang") == "ar"
    assert page.get_attribute(".respondent", "dir") == "rtl"
    assert page.inner_text("aside.iv").strip() == "Ich stimme zu."  # the interviewer's language beside it
    page.check("#consent")
    continue_(page)
    page.wait_for_selector("#birth_year")
    continue_(page)  # nothing entered: the error summary, as on the server
    page.wait_for_selector(".error-summary")
    seen["error_title"] = page.title()
    seen["error_summary"] = page.inner_text(".error-summary")
    seen["error_link"] = page.get_attribute(".error-summary a", "href")
    # The recorded question in Arabic, played from the device's cache (the network is off).
    seen["audio"] = page.evaluate(
        "async () => { const a = document.querySelector('.respondent audio');"
        " return a ? [(await fetch(a.src)).status, a.getAttribute('aria-label')] : null; }"
    )
    page.fill("#birth_year", "١٩٨٤")  # Arabic-Indic digits, read as 1984
    continue_(page)
    page.wait_for_selector("#working-0")
    page.check("#working-0")
    continue_(page)
    page.wait_for_selector("#job")
    page.fill("#job", ARABIC_JOB)
    continue_(page)
    # The personal question: the interviewer hands the device over.
    page.wait_for_selector(".handover")
    seen["draft"] = page.evaluate(DUMP_DATABASE)
    page.reload()  # the browser reloads in the middle: the sealed draft resumes
    page.wait_for_selector(".handover")
    seen["handover_lang"] = page.get_attribute(".to-respondent", "lang")
    page.click(".to-respondent button")
    page.wait_for_selector("#worries")
    seen["handed_html"] = (page.get_attribute("html", "lang"), page.get_attribute("html", "dir"))
    seen["handed_iv"] = page.locator("aside.iv").count()
    page.fill("#worries", ARABIC_WORRIES)
    continue_(page)
    page.wait_for_selector(".to-interviewer a")
    page.click(".to-interviewer a")
    page.wait_for_selector("#household_size")
    page.fill("#household_size", "4")
    continue_(page)
    page.wait_for_selector("#comment")
    continue_(page)
    page.wait_for_selector("#send")
    seen["review"] = page.locator(".summary dd[dir=auto]").all_inner_texts()
    page.click("#send")
    page.wait_for_selector("#ready")
    return seen


def ukrainian_interview(page: Any) -> None:
    """Not working: the job and the personal question are skipped, so there is no hand-over."""
    start(page, "uk", "de")
    page.wait_for_selector("#consent")
    page.check("#consent")
    continue_(page)
    page.wait_for_selector("#birth_year")
    page.fill("#birth_year", "1990")
    continue_(page)
    page.wait_for_selector("#working-1")
    page.check("#working-1")
    continue_(page)
    page.wait_for_selector("#household_size")
    page.fill("#household_size", "2")
    continue_(page)
    page.wait_for_selector("#comment")
    page.fill("#comment", UKRAINIAN_COMMENT)
    continue_(page)
    page.wait_for_selector("#send")
    page.click("#send")
    page.wait_for_selector("#ready")


def run_offline(browser: Any, url: str) -> dict[str, Any]:
    with offline_device(browser, url) as (context, page, problems):
        found: dict[str, Any] = {"offline_ready": page.inner_text("#ready")}
        found.update(arabic_interview(page))
        ukrainian_interview(page)
        found["waiting_offline"] = page.inner_text("#waiting")
        found["database"] = page.evaluate(DUMP_DATABASE)
        page.click("#sync")  # offline: nothing is lost, nothing sent
        page.wait_for_selector("[role=status]:has-text('No connection')")
        found["sync_offline"] = page.inner_text("[role=status]")
        found["sync_online"] = go_online_and_sync(context, page)
        found["waiting_after"] = page.inner_text("#waiting")
        found["after_sync"] = page.evaluate(DUMP_DATABASE)
        # The second sync: the device sends the same two records again (as after a lost answer).
        outbox = found["database"]["outbox"]
        records = [{key: value for key, value in item.items() if key != "saved"} for item in outbox]
        found["resent"] = page.evaluate(UPLOAD, records)
        changed = dict(records[0])
        blob = bytearray(base64.b64decode(changed["sealed"]))
        blob[-40] ^= 0x01
        changed["sealed"] = base64.b64encode(bytes(blob)).decode()
        found["changed_upload"] = page.evaluate(UPLOAD, [changed])
        found["changed_blob"] = bytes(blob)
        found["changed_id"] = changed["id"]
        # Preparing again (a new version) replaces the cache once the new one is complete.
        before = page.get_attribute("#app", "data-prepared")
        page.click("#prepare-button")
        page.wait_for_function("(before) => document.getElementById('app').dataset.prepared !== before", arg=before)
        found["caches"] = page.evaluate("async () => (await caches.keys()).length")
        # Sign out: nothing waits, so the caches, the database and the worker go.
        page.click("#clear")
        page.wait_for_url("**/account/login**")
        found["after_sign_out"] = page.evaluate(
            "async () => [(await caches.keys()).length, (await indexedDB.databases()).map((d) => d.name),"
            " (await navigator.serviceWorker.getRegistrations()).length]"
        )
    found["problems"] = problems
    return found


def test_two_offline_interviews_sync_once_and_open_to_what_was_typed(chromium: InThread, server: Server) -> None:
    found = chromium.within(run_offline, server.url)
    assert found["problems"] == []
    assert found["offline_ready"]
    # The offline pages repeat the server's: error summary, "Error:" title, German page texts.
    assert found["error_title"].startswith("Fehler:")
    assert "Es gibt ein Problem" in found["error_summary"]
    assert found["error_link"] == "#birth_year"
    assert found["audio"] == [200, "Frage anhören"]
    # Hand-over: the respondent's language only, without the interviewer's notes.
    assert found["handover_lang"] == "ar"
    assert found["handed_html"] == ("ar", "rtl")
    assert found["handed_iv"] == 0
    # The review shows each answer as the server's review does (Question.display): the consent in the
    # interviewer's language, the year as typed, the option's Arabic label.
    assert found["review"][:3] == ["Ja, ich stimme zu", "1984", "نعم"]
    # Drafts and outbox: sealed, never plain.
    assert found["draft"]["drafts"] and not found["draft"]["outbox"]
    assert_nothing_plain(found["draft"])
    assert len(found["database"]["outbox"]) == 2 and not found["database"]["drafts"]
    assert_nothing_plain(found["database"])
    assert "2" in found["waiting_offline"]
    assert "No connection" in found["sync_offline"]
    assert "2" in found["sync_online"] and "0" in found["waiting_after"]
    assert found["after_sync"]["outbox"] == []
    ids = sorted(uuid.UUID(item["id"]).hex for item in found["database"]["outbox"])
    assert found["resent"]["stored"] == [] and sorted(found["resent"]["already"]) == ids
    assert found["changed_upload"]["stored"] == []
    assert found["changed_upload"]["refused"][0]["error"] == "another record is stored under this id"
    assert found["caches"] == 1
    assert found["after_sign_out"] == [0, [], 0]

    keys = private_keys()
    with server.app.extensions["survey.db"].sessions() as db:
        rows = list(db.scalars(select(SealedResponse).order_by(SealedResponse.id)))
        paradata = {row.response_id: row for row in db.scalars(select(Paradata))}
        assert sorted(row.id for row in rows) == ids
        records = [unseal_response(row.id, QUESTIONNAIRE, "1.0", row.content, keys) for row in rows]
        opened = {record["response"]: record["answers"] for record in records}
        assert {item.mode for item in paradata.values()} == {"assisted offline"}
        assert all(item.interviewer for item in paradata.values())
        languages = sorted(paradata[row.id].languages for row in rows)
    assert sorted(opened.values(), key=lambda answers: answers["birth_year"]) == [
        {
            "consent": True,
            "birth_year": 1984,
            "working": 1,
            "job": ARABIC_JOB,
            "worries": ARABIC_WORRIES,
            "household_size": 4,
        },
        {"consent": True, "birth_year": 1990, "working": 2, "household_size": 2, "comment": UKRAINIAN_COMMENT},
    ]
    assert languages == ["ar,de", "uk,de"]
    # Seconds per page, as the server records them: one whole number for each page of the route.
    for record in records:
        assert set(record["page_seconds"]) == set(record["pages"]), record["pages"]
        assert all(isinstance(value, int) and value >= 0 for value in record["page_seconds"].values())
    # The record changed by one byte does not open as the response it names.
    changed_id = uuid.UUID(found["changed_id"]).hex
    with pytest.raises(ResponseUnreadable):
        unseal_response(changed_id, QUESTIONNAIRE, "1.0", found["changed_blob"], keys)


def test_offline_page_keeps_a_strict_policy_and_respondent_pages_stay_script_free(server: Server) -> None:
    client = server.app.test_client()
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script" not in client.get("/").get_data(as_text=True)
    assert client.get("/offline/").status_code in (302, 303)  # interviewers only


def revoked_device_saves_its_outbox(browser: Any, url: str, email: str, revoke: Any) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 800, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    found: dict[str, Any] = {}
    try:
        sign_in_and_prepare(page, url, email)
        context.set_offline(True)
        page.reload()
        ukrainian_interview(page)
        context.set_offline(False)
        revoke()  # an administrator disables the account while the interview waits on the device
        page.reload()
        page.wait_for_selector("#save-file")
        found["sync_buttons"] = page.locator("#sync").count()
        page.click("#clear")  # refused: the interview is neither sent nor saved
        page.wait_for_selector(".error-summary[role=status]")
        found["refusal"] = page.inner_text(".error-summary")
        found["kept"] = len(page.evaluate(DUMP_DATABASE)["outbox"])
        with page.expect_download() as download:
            page.click("#save-file")
        found["file"] = Path(download.value.path()).read_bytes()
        found["file_name"] = download.value.suggested_filename
        # Saved and signed out: the device clears itself and goes to the sign-in page.
        page.wait_for_url("**/account/login**")
        found["after"] = page.evaluate(
            "async () => [(await caches.keys()).length, (await indexedDB.databases()).map((d) => d.name)]"
        )
    finally:
        context.close()
    return found


def test_revoked_device_keeps_its_outbox_until_saved_as_a_file_which_staff_upload_once(
    chromium: InThread, server: Server, tmp_path: Path
) -> None:
    email = "revoked@example.org"
    make_user(server.app, email, ["interviewer"])

    def revoke() -> None:
        with server.app.extensions["survey.db"].sessions() as db:
            user = find_by_email(db, email)
            assert user is not None
            disable(db, user, None, "admin@example.org")

    found = chromium.within(lambda browser: revoked_device_saves_its_outbox(browser, server.url, email, revoke))
    assert found["sync_buttons"] == 0
    # The device's own pages are in the language the interviewer's browser asks for (English here).
    assert "Send them or save the outbox first" in found["refusal"]
    assert found["kept"] == 1
    assert found["after"] == [0, []]
    assert found["file_name"].startswith("outbox-") and found["file_name"].endswith(".json")
    saved = json.loads(found["file"])
    assert saved["format"] == "wetterau-survey-outbox" and len(saved["records"]) == 1
    assert UKRAINIAN_COMMENT.encode() not in found["file"]
    file = tmp_path / found["file_name"]
    file.write_bytes(found["file"])
    runner = server.app.test_cli_runner()
    first = runner.invoke(args=["offline", "upload", str(file), "--interviewer", email])
    assert first.exit_code == 0, first.output
    assert "stored 1, stored before 0, refused 0" in first.output
    again = runner.invoke(args=["offline", "upload", str(file), "--interviewer", email])
    assert "stored 0, stored before 1, refused 0" in again.output
    record_id = uuid.UUID(saved["records"][0]["id"]).hex
    with server.app.extensions["survey.db"].sessions() as db:
        row = db.get(SealedResponse, record_id)
        assert row is not None
        answers = unseal_response(row.id, QUESTIONNAIRE, "1.0", row.content, private_keys())["answers"]
        modes = list(db.scalars(select(Paradata.mode).where(Paradata.response_id == record_id)))
    assert modes == ["assisted offline"]
    assert answers["comment"] == UKRAINIAN_COMMENT
