"""Sealed responses: round trip, tampering, swapping, truncation, wrong keys, rotation."""

from __future__ import annotations

import pytest

from survey.vault import keys
from survey.vault.responses import ResponseUnreadable, seal_response, unseal_response


def record(response_id: str = "r1", questionnaire: str = "q", version: str = "1") -> dict:
    return {
        "questionnaire": questionnaire,
        "version": version,
        "wave": "1",
        "response": response_id,
        "answers": {"story": "Olivenbaum im Hof"},
    }


@pytest.fixture(scope="module")
def hybrid():
    return keys.generate(keys.HYBRID)


@pytest.mark.parametrize("suite", [keys.HYBRID, keys.CLASSIC])
def test_round_trip_in_each_suite(suite):
    private = keys.generate(suite)
    blob = seal_response(record(), private.public())
    assert b"Olivenbaum" not in blob
    assert unseal_response("r1", "q", "1", blob, {private.key_id: private}) == record()


def test_flipped_bit_is_detected(hybrid):
    blob = bytearray(seal_response(record(), hybrid.public()))
    blob[-20] ^= 1
    with pytest.raises(ResponseUnreadable, match="response r1: does not open"):
        unseal_response("r1", "q", "1", bytes(blob), {hybrid.key_id: hybrid})


def test_truncated_record_is_detected(hybrid):
    blob = seal_response(record(), hybrid.public())
    for cut in (5, len(blob) // 2, len(blob) - 1):
        with pytest.raises(ResponseUnreadable, match="response r1"):
            unseal_response("r1", "q", "1", blob[:cut], {hybrid.key_id: hybrid})


def test_record_swapped_onto_another_row_does_not_open(hybrid):
    blob = seal_response(record("r1"), hybrid.public())
    with pytest.raises(ResponseUnreadable, match="response r2: does not open"):
        unseal_response("r2", "q", "1", blob, {hybrid.key_id: hybrid})
    with pytest.raises(ResponseUnreadable, match="does not open"):
        unseal_response("r1", "other-study", "1", blob, {hybrid.key_id: hybrid})
    with pytest.raises(ResponseUnreadable, match="does not open"):
        unseal_response("r1", "q", "2", blob, {hybrid.key_id: hybrid})


def test_wrong_key_is_named(hybrid):
    other = keys.generate()
    blob = seal_response(record(), hybrid.public())
    with pytest.raises(ResponseUnreadable, match=f"sealed with key {hybrid.key_id}, which is not among"):
        unseal_response("r1", "q", "1", blob, {other.key_id: other})


def test_key_id_forged_onto_another_key_does_not_open(hybrid):
    other = keys.generate()
    blob = seal_response(record(), other.public())
    forged = blob[:2] + bytes.fromhex(hybrid.key_id) + blob[10:]
    with pytest.raises(ResponseUnreadable, match="does not open"):
        unseal_response("r1", "q", "1", forged, {hybrid.key_id: hybrid})


def test_rotation_keeps_older_records_readable(hybrid):
    newer = keys.generate()
    old_blob = seal_response(record("old"), hybrid.public())
    new_blob = seal_response(record("new"), newer.public())
    both = {hybrid.key_id: hybrid, newer.key_id: newer}
    assert unseal_response("old", "q", "1", old_blob, both)["response"] == "old"
    assert unseal_response("new", "q", "1", new_blob, both)["response"] == "new"
