"""Participant codes: typo detection, once per wave, linkage across waves, withdrawal."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text

from survey.audit import AuditEvent
from survey.vault import codes
from survey.vault.models import SealedResponse

from ..conftest import TEST_QUESTIONNAIRES, count_rows, make_app
from ..journey import Respondent

CODE = "7KQ2M9XD4HR"
CODE = CODE + codes._check_character(CODE)


def test_every_single_typo_and_almost_every_swap_is_caught():
    for index in range(len(CODE)):
        for char in codes.ALPHABET:
            if char != CODE[index]:
                with pytest.raises(codes.InvalidCode):
                    codes.normalise(CODE[:index] + char + CODE[index + 1 :])
    for index in range(len(CODE) - 1):
        swapped = CODE[:index] + CODE[index + 1] + CODE[index] + CODE[index + 2 :]
        if swapped != CODE:
            with pytest.raises(codes.InvalidCode):
                codes.normalise(swapped)


def test_codes_are_read_the_way_people_type_them():
    shown = codes.display(CODE)
    assert shown.count("-") == 2 and len(shown) == 14
    assert codes.normalise(shown.lower()) == CODE
    assert codes.normalise(" " + shown.replace("-", " ") + " ") == CODE
    assert codes.normalise(CODE.replace("0", "O").replace("1", "I")) == CODE
    with pytest.raises(codes.InvalidCode, match="length"):
        codes.normalise(CODE[:-1])
    with pytest.raises(codes.InvalidCode, match="characters"):
        codes.normalise(CODE[:-1] + "U")


def test_new_codes_carry_at_least_50_random_bits():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(codes.normalise(code) == code for code in made)
    assert 5 * codes.DATA_LENGTH >= 50


@pytest.fixture
def issued(app: Flask, runner, tmp_path: Path) -> list[dict]:
    out = tmp_path / "codes.csv"
    result = runner.invoke(
        args=[
            "codes",
            "generate",
            "--questionnaire",
            "panel",
            "--wave",
            "1",
            "--count",
            "3",
            "--out",
            str(out),
            "--base-url",
            "https://umfrage.example",
        ]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generated_codes_are_stored_only_as_pseudonyms(app, issued):
    assert len(issued) == 3
    assert issued[0]["url"] == f"https://umfrage.example/panel/code?c={issued[0]['code']}"
    with app.extensions["survey.db"].engine.connect() as connection:
        stored = " ".join(str(row) for row in connection.execute(text("SELECT * FROM issued_code")))
    for row in issued:
        assert row["code"] not in stored and codes.normalise(row["code"]) not in stored


def test_codes_cannot_be_written_over_an_existing_file(runner, issued, tmp_path):
    result = runner.invoke(
        args=[
            "codes",
            "generate",
            "--questionnaire",
            "panel",
            "--wave",
            "1",
            "--count",
            "1",
            "--out",
            str(tmp_path / "codes.csv"),
        ]
    )
    assert result.exit_code != 0 and "never overwritten" in result.output


def test_open_link_questionnaire_takes_no_codes(runner, tmp_path):
    result = runner.invoke(
        args=[
            "codes",
            "generate",
            "--questionnaire",
            "every-type",
            "--wave",
            "1",
            "--count",
            "1",
            "--out",
            str(tmp_path / "c.csv"),
        ]
    )
    assert result.exit_code != 0 and "open-link questionnaire" in result.output


def answer_panel(client, code: str, story: str = "Olivenbaum im Hof", language: str = "en", income: str = "4711"):
    person = Respondent(client, "panel")
    person.get("/panel/")
    person.post("/panel/", {"language": language})
    person.get("/panel/start")
    response = person.post("/panel/start", {"code": code})
    if response.status_code != 303:
        return person, response
    person.follow(response)
    person.answer("consent", {"consent": "yes"})
    person.answer("story", {"story": story, "income": income, "born-day": "3", "born-month": "4", "born-year": "1980"})
    return person, person.submit()


def test_a_code_answers_once_per_wave(app, issued):
    code = issued[0]["code"]
    _, first = answer_panel(app.test_client(), code)
    assert first.location.endswith("/panel/done")
    _, second = answer_panel(app.test_client(), code.lower())
    assert second.status_code == 200
    assert "You have already taken part" in second.data.decode()
    assert count_rows(app, "sealed_response") == 1


def test_wrong_codes_get_a_clear_message(app, issued):
    code = issued[0]["code"]
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    _, response = answer_panel(app.test_client(), typo)
    assert response.status_code == 400
    html = response.data.decode()
    assert "typing mistake" in html and 'href="#code"' in html and "<title>Error:" in html
    unknown = codes.new_code()
    _, response = answer_panel(app.test_client(), unknown)
    assert "We do not know this code" in response.data.decode()


def test_personal_link_keeps_the_code_out_of_later_urls(app, issued):
    client = app.test_client()
    code = issued[1]["code"]
    response = client.get(f"/panel/code?c={code}")
    assert response.status_code == 303 and code not in response.location
    page = client.get(response.location).data.decode()
    assert f'value="{code}"' in page  # prefilled in the form, posted in the body
    assert client.get("/panel/start").data.decode().count(code) == 0  # shown once only


def test_same_code_in_a_later_wave_links_both_responses(app, issued, tmp_path):
    code = issued[2]["code"]
    answer_panel(app.test_client(), code)
    folder = tmp_path / "wave2"
    folder.mkdir()
    text_of = (TEST_QUESTIONNAIRES / "panel.json").read_text(encoding="utf-8")
    (folder / "panel.json").write_text(text_of.replace('"wave": "1"', '"wave": "2"'), encoding="utf-8")
    shutil.copy(TEST_QUESTIONNAIRES / "every-type.json", folder)
    wave2 = make_app(app.config["DATABASE_URL"], questionnaire_dir=folder)
    _, response = answer_panel(wave2.test_client(), code)
    assert response.location.endswith("/panel/done")
    with app.extensions["survey.db"].sessions() as session:
        rows = session.scalars(select(SealedResponse)).all()
    assert sorted(row.wave for row in rows) == ["1", "2"]
    assert rows[0].pseudonym == rows[1].pseudonym is not None
    wave2.extensions["survey.db"].dispose()


def test_withdrawal_deletes_the_responses_and_logs_only_that_it_happened(app, issued):
    code = issued[0]["code"]
    answer_panel(app.test_client(), code)
    other = issued[1]["code"]
    answer_panel(app.test_client(), other)
    client = app.test_client()
    person = Respondent(client, "panel")
    person.get("/?lang=en")
    person.get("/withdraw")
    response = person.post("/withdraw", {"code": code})
    assert response.status_code == 200
    assert "Your answers have been deleted" in response.data.decode()
    assert count_rows(app, "sealed_response") == 1
    assert count_rows(app, "paradata") == 1
    with app.extensions["survey.db"].sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.event == "responses.withdrawn")).all()
    assert len(events) == 1 and events[0].detail == ""
    person.get("/withdraw")
    refused = person.post("/withdraw", {"code": code[:-1] + "0" if code[-1] != "0" else code[:-1] + "1"})
    assert refused.status_code == 400 and "typing mistake" in refused.data.decode()


def test_a_code_derived_from_a_secret_is_a_valid_code_and_the_same_each_time():
    secret, other = b"\x01" * 32, b"\x02" * 32
    code = codes.code_from_secret(secret, b"resume")
    assert codes.normalise(codes.display(code).lower()) == code  # typed back, it is accepted
    assert codes.code_from_secret(secret, b"resume") == code
    assert codes.code_from_secret(other, b"resume") != code
    assert codes.code_from_secret(secret, b"another purpose") != code
    # Every character of the alphabet appears over many secrets (no bias towards a few).
    seen = {char for n in range(200) for char in codes.code_from_secret(n.to_bytes(32, "big"), b"resume")[:-1]}
    assert seen == set(codes.ALPHABET)
