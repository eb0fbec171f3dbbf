"""Sealed before stored: a record sealed in Chromium by survey/static/offline/seal.js opens with the
Python vault to exactly what was sealed, for both suites; a record changed by one byte does not."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from survey.vault.keys import CLASSIC, HYBRID, StudyPrivateKey, generate
from survey.vault.responses import ResponseUnreadable, unseal_response

from ..conftest import study_keys
from .conftest import ORIGIN, InThread, open_page

pytestmark = pytest.mark.browser

SEAL_PAGE = """<!doctype html><html lang="en"><title>seal</title>
<script type="module">
import { readPublicKey, sealResponse, toBase64 } from "/survey/static/offline/seal.js";
window.seal = async (keyFile, record) => toBase64(await sealResponse(record, readPublicKey(keyFile)));
window.readKey = (keyFile) => { try { readPublicKey(keyFile); return "ok"; } catch (error) { return error.message; } };
window.ready = true;
</script>"""

RECORD: dict[str, Any] = {
    "questionnaire": "wetterau-integration",
    "version": "3",
    "wave": "1",
    "response": "0d9c2f4e-5b7a-4f6e-9a51-3c2d1e0f8a7b",
    "pseudonym": None,
    "answers": {
        "consent": True,
        "age": 34,
        "wage": 13.25,
        "country": "SY",
        "langs": [2, 3],
        "trust": {"police": 2, "courts": "dont_know"},
        "comment": "لا أعرف بعد — ще не знаю\nzweite Zeile «ü»",
        "arrived": "2016-03",
    },
}


@pytest.fixture(scope="module")
def sealer(chromium: InThread) -> Iterator[InThread]:
    context, page = open_page(chromium, {"seal.html": SEAL_PAGE})
    page.goto(f"{ORIGIN}/seal.html")
    page.wait_for_function("window.ready === true")
    yield page
    context.close()


def key_pairs() -> dict[str, StudyPrivateKey]:
    return {HYBRID: study_keys()[1], CLASSIC: generate(CLASSIC)}


def seal_in_browser(page: object, private: StudyPrivateKey, record: dict[str, Any]) -> bytes:
    key_file = json.loads(private.public().to_json())
    sealed = page.evaluate("([key, record]) => window.seal(key, record)", [key_file, record])  # type: ignore[attr-defined]
    return base64.b64decode(sealed)


def unseal(private: StudyPrivateKey, blob: bytes, response: str = RECORD["response"]) -> dict[str, Any]:
    return unseal_response(response, RECORD["questionnaire"], RECORD["version"], blob, {private.key_id: private})


@pytest.mark.parametrize("suite", [HYBRID, CLASSIC])
def test_record_sealed_in_chromium_opens_with_the_python_vault(sealer: object, suite: str) -> None:
    private = key_pairs()[suite]
    blob = seal_in_browser(sealer, private, RECORD)
    assert blob[:2] == b"R1"
    assert blob[2:10].hex() == private.key_id
    # Encapsulated key and AES-256-GCM tag: 1120 + 16 bytes for the hybrid, 32 + 16 for X25519.
    overhead = 2 + 8 + (1120 if suite == HYBRID else 32) + 16
    plain = json.dumps(RECORD, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert len(blob) == overhead + len(plain)
    assert unseal(private, blob) == RECORD


def test_two_seals_of_one_record_differ(sealer: object) -> None:
    private = key_pairs()[HYBRID]
    assert seal_in_browser(sealer, private, RECORD) != seal_in_browser(sealer, private, RECORD)


@pytest.mark.parametrize("suite", [HYBRID, CLASSIC])
def test_record_changed_by_one_byte_is_refused(sealer: object, suite: str) -> None:
    private = key_pairs()[suite]
    blob = seal_in_browser(sealer, private, RECORD)
    enc = 1120 if suite == HYBRID else 32
    # The format tag, the key id, the ML-KEM and X25519 parts of the encapsulated key, the
    # ciphertext and the authentication tag.
    positions = {0, 5, 10, 10 + enc - 1, 10 + enc + 3, len(blob) - 1}
    if suite == HYBRID:
        positions.add(10 + 1088)  # the X25519 share of the hybrid encapsulation
    for position in sorted(positions):
        changed = bytearray(blob)
        changed[position] ^= 0x01
        with pytest.raises(ResponseUnreadable) as refused:
            unseal(private, bytes(changed))
        assert RECORD["response"] in str(refused.value), position
    with pytest.raises(ResponseUnreadable, match="truncated"):
        unseal(private, blob[:9])
    with pytest.raises(ResponseUnreadable, match="altered, truncated or swapped"):
        unseal(private, blob[:-1])


def test_record_sealed_for_another_response_does_not_open_as_this_one(sealer: object) -> None:
    private = key_pairs()[HYBRID]
    blob = seal_in_browser(sealer, private, {**RECORD, "response": "another-response"})
    with pytest.raises(ResponseUnreadable, match="swapped with another record"):
        unseal(private, blob)


def test_browser_refuses_a_damaged_public_key_file(sealer: object) -> None:
    key_file = json.loads(key_pairs()[HYBRID].public().to_json())
    read = sealer.evaluate  # type: ignore[attr-defined]
    assert read("(key) => window.readKey(key)", key_file) == "ok"
    assert read("(key) => window.readKey(key)", {**key_file, "key_id": "0" * 16}) == (
        "key id does not match the key (file damaged or edited)"
    )
    short = base64.b64encode(base64.b64decode(key_file["public_key"])[:-1]).decode()
    assert read("(key) => window.readKey(key)", {**key_file, "public_key": short}) == (
        "public key has 1215 bytes, expected 1216"
    )
    assert read("(key) => window.readKey(key)", {**key_file, "format": "wetterau-survey-private-key"}) == (
        "not a study public key file of format version 1"
    )


def test_browser_refuses_a_record_without_ids(sealer: object) -> None:
    key_file = json.loads(key_pairs()[CLASSIC].public().to_json())
    message = sealer.evaluate(  # type: ignore[attr-defined]
        "([key, record]) => window.seal(key, record).then(() => 'sealed', (error) => error.message)",
        [key_file, {**RECORD, "response": ""}],
    )
    assert message == "the record has no response id"


def test_record_sealed_in_chromium_and_uploaded_opens_from_the_database(sealer: object, app: Any) -> None:
    import uuid

    from survey.vault.models import SealedResponse

    from .test_sync import interviewer

    made = uuid.uuid4()
    record = {**RECORD, "questionnaire": "every-type", "version": "1.0", "response": made.hex}
    blob = seal_in_browser(sealer, key_pairs()[HYBRID], record)
    upload = {
        "id": str(made),
        "questionnaire": "every-type",
        "version": "1.0",
        "sealed": base64.b64encode(blob).decode(),
        "languages": ["ar"],
        "device_class": "mobile",
        "started": "2026-12-07T10:00:00Z",
        "ended": "2026-12-07T10:30:00Z",
    }
    client = interviewer(app)
    for _ in range(2):  # sent twice: stored once
        assert client.post("/offline/records", json={"records": [upload]}).status_code == 200
    with app.extensions["survey.db"].sessions() as db:
        stored = db.scalars(select(SealedResponse)).all()
    assert [row.id for row in stored] == [made.hex]
    private = key_pairs()[HYBRID]
    opened = unseal_response(made.hex, "every-type", "1.0", stored[0].content, {private.key_id: private})
    assert opened == record
