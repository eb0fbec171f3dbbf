"""Seeded stratified draws: reproducible, weighted, audited; addresses only in the encrypted mailing file."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from survey.audit import AuditEvent
from survey.fieldwork import mailing
from survey.fieldwork.models import SampleDraw, SampleMember
from survey.fieldwork.register import read
from survey.fieldwork.sampling import DesignError, draw, parse_design

from .conftest import SMALL_DESIGN, draw_args, draw_id
from .synthetic import register_rows, write_register


def _design():
    import tomllib

    return parse_design(tomllib.loads(SMALL_DESIGN))


def test_the_same_seed_draws_the_same_people_whatever_the_row_order(tmp_path):
    rows = register_rows(500)
    first = read(write_register(tmp_path / "a.csv", rows))
    shuffled = read(write_register(tmp_path / "b.csv", list(reversed(rows))))
    ids = [member.person.record_id for member in draw(first.people, _design(), 7).members]
    assert ids == [member.person.record_id for member in draw(shuffled.people, _design(), 7).members]
    assert ids != [member.person.record_id for member in draw(first.people, _design(), 8).members]


def test_proportional_allocation_sums_to_the_size_and_weights_to_the_frame(tmp_path):
    register = read(write_register(tmp_path / "a.csv", register_rows(500)))
    sample = draw(register.people, _design(), 1)
    assert len(sample.members) == 60
    assert sum(count.sample for count in sample.counts.values()) == 60
    assert sum(member.weight for member in sample.members) == pytest.approx(500 - sample.outside)
    for name, count in sample.counts.items():
        assert count.sample == round(60 * count.population / 500) or abs(count.sample - 60 * count.population / 500) < 1
        assert all(m.weight == count.population / count.sample for m in sample.members if m.stratum == name)


def test_fixed_allocation_larger_than_a_stratum_is_refused(tmp_path):
    design = parse_design(
        {"allocation": "fixed", "strata": {"tr": {"nationalities": ["TR"], "size": 10_000}}}, "design.toml"
    )
    register = read(write_register(tmp_path / "a.csv", register_rows(50)))
    with pytest.raises(DesignError, match="stratum tr: 10000 to draw but only"):
        draw(register.people, design, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"size": 5, "strata": {"a": {"nationalities": ["SY"]}, "b": {"nationalities": ["SY"]}}},
            "already in strata.a",
        ),
        ({"size": 5, "strata": {"a": {"nationalities": ["QQ"]}}}, "'QQ' is not an ISO 3166"),
        ({"size": 5, "allocation": "neyman", "strata": {"a": {"nationalities": ["SY"]}}}, "allocation is 'neyman'"),
        ({"strata": {"a": {"nationalities": ["SY"]}}}, "size must be a whole number"),
    ],
)
def test_bad_designs_name_the_key(raw, message):
    with pytest.raises(DesignError, match=message):
        parse_design(raw, "design.toml")


def test_a_draw_keeps_weights_and_audit_in_the_database_and_addresses_only_encrypted(
    app, runner, fieldwork_dir, register_file, design_file
):
    result = runner.invoke(args=draw_args(register_file, design_file))
    assert result.exit_code == 0, result.output
    found = draw_id(result.output)
    mailing_file, key_file = mailing.paths(fieldwork_dir, found)
    assert oct(key_file.stat().st_mode & 0o777) == "0o600" and oct(fieldwork_dir.stat().st_mode & 0o777) == "0o700"
    people = {person.record_id: person for person in read(register_file).people}
    entries = mailing.read(fieldwork_dir, found)
    assert len(entries) == 60
    blob = mailing_file.read_bytes()
    assert all(people[e.record].address["family_name"].encode() not in blob for e in entries[:10])
    with app.extensions["survey.db"].sessions() as session:
        record = session.get(SampleDraw, found)
        members = session.scalars(select(SampleMember).where(SampleMember.draw_id == found)).all()
        event = session.scalars(select(AuditEvent).where(AuditEvent.event == "fieldwork.drawn")).one()
    assert record.seed == 42 and record.register_sha256 == read(register_file).sha256
    strata = json.loads(record.strata)
    assert sum(stratum["sample"] for stratum in strata.values()) == 60
    assert {member.id for member in members} == {entry.member for entry in entries}
    assert "seed=42" in event.detail and record.register_sha256 in event.detail and "drawn=60" in event.detail
    # Nothing of the addresses is in any table: dump them all.
    with app.extensions["survey.db"].engine.connect() as connection:
        tables = ["sample_draw", "sample_member", "issued_code", "audit_event", "code_disposition"]
        dump = " ".join(str(row) for table in tables for row in connection.execute(text(f"SELECT * FROM {table}")))
    for entry in entries:
        assert entry.record not in dump and entry.address["street"] + " " not in dump
        assert entry.code not in dump


def test_the_same_seed_and_file_give_the_same_people_in_a_second_draw(
    app, runner, fieldwork_dir, register_file, design_file
):
    first = draw_id(runner.invoke(args=draw_args(register_file, design_file)).output)
    second = draw_id(runner.invoke(args=draw_args(register_file, design_file)).output)
    records = [sorted(entry.record for entry in mailing.read(fieldwork_dir, found)) for found in (first, second)]
    assert records[0] == records[1]
    codes = [{entry.code for entry in mailing.read(fieldwork_dir, found)} for found in (first, second)]
    assert not codes[0] & codes[1]  # new codes every time


def test_a_mailing_file_of_another_draw_does_not_open(app, runner, fieldwork_dir, register_file, design_file):
    first = draw_id(runner.invoke(args=draw_args(register_file, design_file)).output)
    second = draw_id(runner.invoke(args=draw_args(register_file, design_file, seed=3)).output)
    mailing.paths(fieldwork_dir, first)[0].write_bytes(mailing.paths(fieldwork_dir, second)[0].read_bytes())
    with pytest.raises(mailing.MailingError, match="does not open"):
        mailing.read(fieldwork_dir, first)


def test_an_interrupted_draw_leaves_no_codes_and_no_final_mailing_file(
    app, fieldwork_dir, register_file, design_file, monkeypatch
):
    from survey import questionnaires, vault
    from survey.fieldwork import services
    from survey.fieldwork.languages import mapping
    from survey.fieldwork.sampling import load_design

    def power_cut(*args, **kwargs):
        raise KeyboardInterrupt

    with app.app_context():
        session = app.extensions["survey.db"].sessions()
        monkeypatch.setattr(session, "commit", power_cut)
        with pytest.raises(KeyboardInterrupt):
            services.draw_sample(
                session,
                questionnaires.get("panel"),
                "1",
                read(register_file),
                load_design(design_file),
                1,
                fieldwork_dir,
                mapping(),
                vault.pseudonym_key(),
            )
        session.close()
    assert list(fieldwork_dir.iterdir()) == []
    with app.extensions["survey.db"].engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM issued_code")).scalar_one() == 0


def test_retention_deletes_file_key_and_letters_and_later_steps_refuse(
    app, runner, fieldwork_dir, register_file, design_file
):
    found = draw_id(runner.invoke(args=draw_args(register_file, design_file)).output)
    letters = fieldwork_dir / "letters"
    letters.mkdir()
    (letters / f"{found}-invitation.pdf").write_bytes(b"%PDF-1.7 stand-in")
    result = runner.invoke(args=["fieldwork", "retention", "--draw", found])
    assert result.exit_code == 0 and found in result.output
    assert list(fieldwork_dir.glob(f"{found}*")) == [] and list(letters.iterdir()) == []
    again = runner.invoke(args=["fieldwork", "reminders", "--draw", found])
    assert again.exit_code == 1 and "was deleted (retention)" in again.output
    with app.extensions["survey.db"].sessions() as session:
        assert session.get(SampleDraw, found).mailing_deleted_at is not None
        assert session.scalars(select(AuditEvent.event).where(AuditEvent.event == "fieldwork.mailing_deleted")).all()


def test_retention_by_age_keeps_younger_draws(app, runner, fieldwork_dir, register_file, design_file):
    found = draw_id(runner.invoke(args=draw_args(register_file, design_file)).output)
    result = runner.invoke(args=["fieldwork", "retention", "--older-than-days", "30"])
    assert result.exit_code == 0 and "0 draw(s)" in result.output
    assert mailing.paths(fieldwork_dir, found)[0].exists()
    assert runner.invoke(args=["fieldwork", "retention", "--older-than-days", "0"]).exit_code == 0
    assert not mailing.paths(fieldwork_dir, found)[0].exists()
