"""Drafts are sealed under a key only the respondent's browser holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from survey.respond.models import Draft
from survey.vault import drafts

from ..journey import Respondent


def test_draft_round_trips_with_the_right_secret():
    secret = drafts.new_secret()
    blob = drafts.seal(secret, {"answers": {"q": "Zaytun-4711"}})
    assert drafts.unseal(secret, blob) == {"answers": {"q": "Zaytun-4711"}}
    assert b"Zaytun" not in blob


def test_every_value_an_answer_can_hold_comes_back_exactly():
    """Drafts are written by orjson; an integer beyond 64 bits (the 20 digits an integer question
    without a maximum takes) goes the json module's way and is read back by it, not as a float."""
    secret = drafts.new_secret()
    content = {
        "answers": {
            "big": 99_999_999_999_999_999_999,
            "small": -(2**63),
            "decimal": 2.5,
            "text": "سلام \u2067Anna\u2069",
            "set": [3, 1],
        },
        "walk": {"reads": {"0": ["q"]}, "day": None},
    }
    for expected in (content, {**content, "answers": {**content["answers"], "big": 7}}):
        blob = drafts.seal(secret, expected)
        assert drafts.unseal(secret, blob) == expected
        assert type(drafts.unseal(secret, blob)["answers"]["big"]) is int
    assert drafts.seal(secret, content)[:2] == b"D1" and drafts.seal(secret, {"answers": {}})[:2] == b"D2"


def test_a_draft_sealed_before_orjson_still_opens():
    import json
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    secret = drafts.new_secret()
    nonce = os.urandom(12)
    plain = json.dumps({"answers": {"q": 1.0, "n": 12345678901234567890123}}).encode()
    blob = b"D1" + nonce + AESGCM(drafts._key(secret)).encrypt(nonce, plain, drafts.draft_id(secret).encode())
    assert drafts.unseal(secret, blob) == {"answers": {"q": 1.0, "n": 12345678901234567890123}}


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],  # truncated
        lambda blob: blob[:20] + bytes([blob[20] ^ 1]) + blob[21:],  # one bit flipped
        lambda blob: b"X9" + blob[2:],  # unknown format
        lambda blob: blob[:10],  # far too short
    ],
)
def test_damaged_draft_gives_a_clear_error(damage):
    secret = drafts.new_secret()
    blob = drafts.seal(secret, {"answers": {}})
    with pytest.raises(drafts.DraftUnreadable):
        drafts.unseal(secret, damage(blob))


def test_draft_of_another_browser_does_not_open():
    mine, theirs = drafts.new_secret(), drafts.new_secret()
    with pytest.raises(drafts.DraftUnreadable):
        drafts.unseal(mine, drafts.seal(theirs, {"answers": {}}))


def test_database_holds_no_draft_answer_in_plain_text(app, client, db_session):
    person = Respondent(client, "every-type")
    person.start("en")
    person.answer("consent", {"consent": "yes"})
    person.answer("birth", {"birth_year": "1937"})
    person.answer("origin", {"country_birth": "KG"})
    rows = db_session.scalars(select(Draft)).all()
    assert len(rows) == 1
    draft = rows[0]
    # Markers long enough that random ciphertext or a timestamp's microseconds
    # cannot contain them by chance (a bare b"1937" once matched a timestamp).
    answer = re.compile(rb'birth_year\W{1,4}1937|"KG"')
    for column in (draft.content, draft.id.encode(), draft.language.encode()):
        assert not answer.search(column)
    if app.config["DATABASE_URL"].startswith("sqlite"):
        database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
        files = [database, database.with_name(database.name + "-wal")]
        raw = b"".join(path.read_bytes() for path in files if path.exists())
        assert not answer.search(raw)
        assert b"birth_year" not in raw
