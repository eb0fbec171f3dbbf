"""Sync that cannot duplicate: records sealed on a device (client-made UUID) are stored once however
often they are uploaded, with paradata "assisted offline" and the interviewer's pseudonym; bad records
are refused one by one, naming their JSON pointer. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from sqlalchemy import select

from survey.interview.services import interviewer_pseudonym
from survey.respond.models import Paradata
from survey.vault.keys import CLASSIC, generate, load_public
from survey.vault.models import SealedResponse
from survey.vault.responses import seal_response, unseal_response

from ..accounts.signin import load_user, login
from ..conftest import count_rows, csrf_token, private_keys, study_keys

QUESTIONNAIRE = "every-type"
VERSION = "1.0"


def sealed_record(response: str, answers: dict[str, Any], key: Any = None) -> str:
    record = {
        "questionnaire": QUESTIONNAIRE,
        "version": VERSION,
        "wave": "1",
        "response": response,
        "pseudonym": None,
        "answers": answers,
    }
    return base64.b64encode(seal_response(record, key or load_public(study_keys()[0]))).decode()


def offline_record(answers: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    made = str(uuid.uuid4())
    record = {
        "id": made,
        "questionnaire": QUESTIONNAIRE,
        "version": VERSION,
        "sealed": sealed_record(uuid.UUID(made).hex, answers or {"consent": True, "birth_year": 1990}),
        "languages": ["ar", "de"],
        "device_class": "tablet",
        "started": "2026-12-07T09:40:00+01:00",
        "ended": "2026-12-07T10:25:00+01:00",
    }
    record.update(changes)
    return record


def interviewer(app: Any) -> Any:
    client = login(app.test_client(), app, "offline@example.org", ["interviewer"])
    token = csrf_token(client.get("/interview/").data)
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return client


def upload(client: Any, records: list[dict[str, Any]]) -> Any:
    return client.post("/offline/records", json={"records": records})


def test_resending_an_upload_stores_each_record_once(app: Any) -> None:
    client = interviewer(app)
    records = [offline_record({"consent": True, "comment": "مرحبا"}), offline_record({"consent": True})]
    ids = [uuid.UUID(record["id"]).hex for record in records]
    first = upload(client, records)
    assert first.status_code == 200
    assert first.get_json() == {"stored": ids, "already": [], "refused": []}
    again = upload(client, records)
    assert again.get_json() == {"stored": [], "already": ids, "refused": []}
    # A later batch that repeats one record and brings a new one (an interrupted sync resumed).
    third = offline_record()
    resumed = upload(client, [records[1], third])
    assert resumed.get_json() == {"stored": [uuid.UUID(third["id"]).hex], "already": [ids[1]], "refused": []}
    assert count_rows(app, "sealed_response") == 3
    assert count_rows(app, "paradata") == 3


def test_stored_records_open_to_what_was_sealed_with_assisted_offline_paradata(app: Any) -> None:
    client = interviewer(app)
    record = offline_record({"consent": True, "comment": "Добрий день"})
    assert upload(client, [record]).status_code == 200
    rid = uuid.UUID(record["id"]).hex
    with app.extensions["survey.db"].sessions() as db:
        stored = db.get(SealedResponse, rid)
        assert stored is not None
        opened = unseal_response(rid, stored.questionnaire_id, stored.questionnaire_version, stored.content,
                                 private_keys())  # fmt: skip
        paradata = db.scalar(select(Paradata).where(Paradata.response_id == rid))
    assert opened["answers"] == {"consent": True, "comment": "Добрий день"}
    assert stored.wave == "1" and stored.pseudonym is None
    assert stored.submitted_hour.isoformat() == "2026-12-07T09:00:00+00:00"
    assert paradata is not None
    assert paradata.mode == "assisted offline"
    assert paradata.languages == "ar,de"
    assert paradata.device_class == "tablet"
    assert paradata.started_hour.isoformat() == "2026-12-07T08:00:00+00:00"
    assert paradata.duration_minutes == 45
    with app.app_context():
        expected = interviewer_pseudonym(
            app.extensions["survey.pseudonym_key"], load_user(app, "offline@example.org").id
        )
    assert paradata.interviewer == expected


def test_bad_records_are_refused_by_pointer_and_the_good_ones_stored(app: Any) -> None:
    client = interviewer(app)
    good = offline_record()
    other_key = generate(CLASSIC).public()
    foreign = offline_record()
    foreign["sealed"] = sealed_record(uuid.UUID(foreign["id"]).hex, {}, other_key)
    bad = [
        offline_record(id="not-a-uuid"),
        offline_record(questionnaire="nope"),
        offline_record(sealed="***"),
        offline_record(
            sealed=base64.b64encode(b"R1" + bytes.fromhex(load_public(study_keys()[0]).key_id) + bytes(40)).decode()
        ),
        foreign,
        offline_record(languages=["xx"]),
        offline_record(device_class="phone"),
        offline_record(ended="2026-12-07T08:00:00+01:00"),
        offline_record(started="2026-12-07 09:40"),
        offline_record(ended="2999-01-01T00:00:00Z"),
        "not an object",
    ]
    response = upload(client, [good, *bad])
    result = response.get_json()
    assert result["stored"] == [uuid.UUID(good["id"]).hex]
    assert [(refused["pointer"], refused["error"]) for refused in result["refused"]] == [
        ("/records/1/id", "needs the record's UUID, made on the device"),
        ("/records/2/questionnaire", "no questionnaire with this id on this server"),
        ("/records/3/sealed", "needs the sealed record in base64"),
        ("/records/4/sealed", "not a sealed record (truncated or unknown format)"),
        (
            "/records/5/sealed",
            f"sealed with key {other_key.key_id}, not with the study key {load_public(study_keys()[0]).key_id}: "
            "keep the record and ask the study team",
        ),
        ("/records/6/languages", "needs the languages used, each one of the questionnaire's"),
        ("/records/7/device_class", "needs one of mobile, tablet, desktop"),
        ("/records/8/ended", "is before the start"),
        ("/records/9/started", "needs a date and time with its time zone, like 2026-12-07T10:15:00Z"),
        ("/records/10/ended", "is in the future: check the device's clock"),
        ("/records/11", "needs an object"),
    ]
    assert count_rows(app, "sealed_response") == 1


def test_another_record_under_a_stored_id_is_refused(app: Any) -> None:
    client = interviewer(app)
    record = offline_record()
    upload(client, [record])
    impostor = {**record, "sealed": sealed_record(uuid.UUID(record["id"]).hex, {"consent": True, "x": 1})}
    result = upload(client, [impostor]).get_json()
    assert result["refused"] == [
        {"id": record["id"], "pointer": "/records/0/id", "error": "another record is stored under this id"}
    ]
    assert count_rows(app, "sealed_response") == 1


def test_an_unreadable_upload_is_refused_whole(app: Any) -> None:
    client = interviewer(app)
    not_json = client.post("/offline/records", data="records", content_type="text/plain")
    assert not_json.status_code == 400
    assert not_json.get_json() == {"error": "needs a JSON body (Content-Type: application/json)", "pointer": ""}
    wrong = client.post("/offline/records", json={"records": "all of them"})
    assert wrong.status_code == 400
    assert wrong.get_json()["pointer"] == ""
    too_many = upload(client, [{}] * 51)
    assert too_many.status_code == 400
    assert too_many.get_json() == {"error": "at most 50 records per upload", "pointer": "/records"}
    assert count_rows(app, "sealed_response") == 0


def test_uploads_need_an_interviewer_and_a_csrf_token(app: Any) -> None:
    record = offline_record()
    stranger = app.test_client()
    stranger.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(stranger.get("/every-type/").data)
    anonymous = stranger.post("/offline/records", json={"records": [record]})
    assert anonymous.status_code in (302, 303) and "/account/login" in anonymous.location
    researcher = login(app.test_client(), app, "researcher@example.org", ["researcher"])
    researcher.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(researcher.get("/every-type/").data)
    assert researcher.post("/offline/records", json={"records": [record]}).status_code == 403
    no_token = login(app.test_client(), app, "offline2@example.org", ["interviewer"])
    refused = no_token.post("/offline/records", json={"records": [record]})
    assert refused.status_code == 400
    assert count_rows(app, "sealed_response") == 0


def test_device_fetches_the_study_public_key(app: Any) -> None:
    client = interviewer(app)
    response = client.get("/offline/key")
    assert response.status_code == 200
    document = json.loads(response.data)
    assert document["key_id"] == load_public(study_keys()[0]).key_id
    assert "wrapped" not in document


def test_offline_routes_are_for_interviewers_only(app: Any) -> None:
    from survey.accounts.access import access_policy

    for endpoint in (
        "offline.upload",
        "offline.study_key",
        "offline.questionnaire_logic",
        "offline.app",
        "offline.service_worker",
        "offline.device_status",
    ):
        assert access_policy(app.view_functions[endpoint]) == frozenset({"interviewer"})


def test_device_fetches_a_questionnaires_logic_and_messages(app: Any) -> None:
    client = interviewer(app)
    response = client.get("/offline/questionnaires/every-type")
    assert response.status_code == 200
    data = response.get_json()
    assert data["logic"]["id"] == "every-type"
    assert [page["id"] for page in data["logic"]["pages"]][:3] == ["consent", "birth", "origin"]
    # Every language the site offers: the interviewer's need not be one of the questionnaire's.
    assert {"de", "en", "ar", "uk", "ti"} <= set(data["messages"]) == set(data["texts"]) == set(data["directions"])
    assert data["messages"]["ar"]["Enter an answer"] == "أدخل إجابة"
    assert data["texts"]["de"]["There is a problem"] == "Es gibt ein Problem"
    assert data["directions"]["ar"] == "rtl" and data["directions"]["uk"] == "ltr"
    assert data["display"]["questions"]["wage"]["template"] == "number"
    assert data["display"]["handover"] == ["wage"]
    assert data["calendars"] == {}  # its dates and years are Gregorian only: no month names to ship
    assert ("SY", "سوريا") in [tuple(pair) for pair in data["display"]["lists"]["country_birth"]["ar"]]
    assert client.get("/offline/questionnaires/nope").status_code == 404


def test_device_status_names_what_to_cache_and_what_cannot_run_offline(app: Any) -> None:
    client = interviewer(app)
    response = client.get("/offline/device", headers={"Accept-Language": "en"})
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    refused = {entry["id"]: entry["refused"] for entry in data["questionnaires"]}
    assert refused["panel"] == "participant codes cannot be checked offline yet: run this questionnaire online"
    # Its computed values, rules, filtered list, other calendars and piped texts all run offline.
    assert refused["derived"] == ""
    assert refused["every-type"] == ""  # its piped text ({{municipality}}) is filled in offline
    assert refused["household"] == ""  # its rosters, member computed values and any() over members too
    files = [name.split("?")[0] for name in data["files"]]
    assert files[:2] == ["/offline/", "/offline/key"]
    assert {"/static/survey.css", "/static/offline/app.js", "/static/vendor/hpke/index.js"} <= set(files)
    assert any(name.startswith("/static/fonts/") for name in files)
    for name in files:  # every file the worker caches exists
        got = client.get(name)
        got.close()
        assert got.status_code == 200, name
    assert data["csrf"]
    assert data["autonyms"]["ar"] == "العربية"  # the prepare form names languages in themselves
    page = client.get("/offline/")
    policy = page.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "worker-src 'self'" in policy and "unsafe" not in policy
    assert client.get("/offline/sw.js").mimetype == "text/javascript"


def test_reasons_a_questionnaire_stays_online_are_in_the_interviewers_language(app: Any) -> None:
    client = interviewer(app)
    for language, expected in {
        "de": {
            "panel": "Teilnahmecodes können offline noch nicht geprüft werden: "
            "Führen Sie diesen Fragebogen online durch",
        },
        "ar": {
            "panel": "لا يمكن التحقق من رموز المشاركين دون اتصال بعد: أجرِ هذا الاستبيان عبر الإنترنت",
        },
    }.items():
        data = client.get("/offline/device", headers={"Accept-Language": language}).get_json()
        refused = {entry["id"]: entry["refused"] for entry in data["questionnaires"]}
        assert {name: refused[name] for name in expected} == expected
        assert refused["every-type"] == ""  # piped texts run offline
        assert refused["household"] == ""  # rosters run offline
    logic = client.get("/offline/questionnaires/household", headers={"Accept-Language": "uk"})
    assert logic.status_code == 200
    assert [roster["id"] for roster in logic.get_json()["logic"]["rosters"]] == ["members", "relatives"]


def test_synced_interviews_join_the_interviewers_list_and_the_review_queue(app: Any) -> None:
    from survey.fieldwork.models import InterviewReview
    from survey.interview.models import Interview

    client = interviewer(app)
    records = [offline_record(), offline_record(languages=["de"])]
    upload(client, records)
    upload(client, records)  # a resend adds nothing here either
    user = load_user(app, "offline@example.org")
    with app.extensions["survey.db"].sessions() as db:
        found = {row.id: row for row in db.scalars(select(Interview))}
        reviews = {row.interview_id: (row.response_id, row.status) for row in db.scalars(select(InterviewReview))}
    ids = [uuid.UUID(record["id"]).hex for record in records]
    assert sorted(found) == sorted(ids) == sorted(reviews)
    assert all(reviews[rid] == (rid, "pending") for rid in ids)
    first, second = found[ids[0]], found[ids[1]]
    assert (first.language, first.interviewer_language, first.status) == ("ar", "de", "submitted")
    assert (second.language, second.interviewer_language) == ("de", "de")
    assert first.interviewer_id == user.id
    assert first.started_hour.hour == 8  # 09:40 in UTC+1, to the hour
    page = client.get("/interview/").get_data(as_text=True)
    assert page.count(">Gesendet<") == 2  # "Sent", on the German page
