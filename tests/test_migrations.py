"""Alembic migrations create exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, bindparam, create_engine, inspect, text

from survey.accounts import sealing, totp
from survey.db import Base, UTCDateTime, make_engine, utcnow
from survey.migrations import compare_type, downgrade, upgrade

from .conftest import make_app


def test_migrated_schema_matches_the_models(app):
    engine = app.extensions["survey.db"].engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade(engine)
    assert {"draft", "sealed_response"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert "sealed_response" in inspect(engine).get_table_names()


def _empty_database_like(app, tmp_path) -> str:
    """A new, empty database of the same kind as the app's (SQLite file or PostgreSQL database)."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    name = "migrate_" + uuid.uuid4().hex[:8]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.replace("/postgres?", f"/{name}?")


def _secrets(engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT email, totp_secret FROM user_account")).all())


def test_0005_seals_existing_totp_secrets_inside_the_app_and_opens_them_on_downgrade(app, tmp_path):
    twin = make_app(_empty_database_like(app, tmp_path))
    engine = twin.extensions["survey.db"].engine
    upgrade(engine, "0004")
    plain = totp.new_secret()
    insert = text(
        "INSERT INTO user_account (email, password_hash, roles, active, failed_logins, totp_secret,"
        " totp_confirmed, created_at, password_changed_at) VALUES (:email, 'x', 'admin', :yes, 0,"
        " :secret, :yes, :now, :now)"
    ).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("yes", type_=Boolean()))
    with engine.begin() as connection:
        connection.execute(insert, {"email": "ada@example.org", "secret": plain, "yes": True, "now": utcnow()})
    with twin.app_context():
        upgrade(engine)  # as `flask --app survey db upgrade` runs it
        stored = _secrets(engine)["ada@example.org"]
        assert stored.startswith(sealing.PREFIX) and plain not in stored
        with engine.connect() as connection:
            user_id, generation = connection.execute(text("SELECT id, session_generation FROM user_account")).one()
        assert generation == 0
        assert sealing.unseal(stored, user_id, sealing.app_key()) == plain
    # Outside the app there is no key to open them with: downgrading refuses rather than lose them.
    with pytest.raises(RuntimeError, match="flask --app survey db downgrade"):
        downgrade(engine, "0004")
    with twin.app_context():
        downgrade(engine, "0004")
    assert _secrets(engine) == {"ada@example.org": plain}
    # Upgraded without the app, the bare secret stays until the app seals it at its next use.
    upgrade(engine)
    assert _secrets(engine) == {"ada@example.org": plain}
    twin.extensions["survey.db"].dispose()


def _temporary_flags(engine) -> dict[str, bool]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT email, must_change_password FROM user_account")).all()
    return {email: bool(flag) for email, flag in rows}


def _interviews(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM interview")).scalar_one()


def test_0005_and_0006_change_user_account_in_place_and_lose_no_interview(app, tmp_path):
    # The app's engine: on SQLite, with foreign keys on, so rebuilding user_account would cascade and
    # delete every interview (ON DELETE CASCADE); both migrations must alter the table in place.
    engine = make_engine(_empty_database_like(app, tmp_path))
    upgrade(engine, "0004")
    insert = text(
        "INSERT INTO user_account (email, password_hash, roles, active, failed_logins, totp_confirmed,"
        " created_at, password_changed_at) VALUES ('ada@example.org', 'x', 'admin', :yes, 0, :no, :now, :now)"
    ).bindparams(
        bindparam("now", type_=UTCDateTime()), bindparam("yes", type_=Boolean()), bindparam("no", type_=Boolean())
    )
    interview = text(
        "INSERT INTO interview (id, interviewer_id, questionnaire_id, language, interviewer_language,"
        " started_hour, status) SELECT 'i1', id, 'q', 'de', 'de', :now, 'open' FROM user_account"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    with engine.begin() as connection:
        connection.execute(insert, {"yes": True, "no": False, "now": utcnow()})
        connection.execute(interview, {"now": utcnow()})
    upgrade(engine)
    assert _temporary_flags(engine) == {"ada@example.org": False}
    assert _interviews(engine) == 1
    downgrade(engine, "0005")
    assert _interviews(engine) == 1
    columns = {column["name"] for column in inspect(engine).get_columns("user_account")}
    assert "must_change_password" not in columns and "session_generation" in columns
    downgrade(engine, "0004")
    assert _interviews(engine) == 1
    columns = {column["name"] for column in inspect(engine).get_columns("user_account")}
    assert "session_generation" not in columns
    upgrade(engine)
    assert _temporary_flags(engine) == {"ada@example.org": False}
    engine.dispose()


def test_0007_and_0008_add_the_fieldwork_tables_and_remove_them_keeping_the_codes(app, tmp_path):
    engine = make_engine(_empty_database_like(app, tmp_path))
    upgrade(engine, "0006")
    fieldwork = {"sample_draw", "sample_member", "code_disposition"}
    assert not fieldwork & set(inspect(engine).get_table_names())
    issued = text(
        "INSERT INTO issued_code (questionnaire_id, pseudonym, batch, wave, issued_at)"
        " VALUES ('panel', 'p1', 'b1', '1', :now)"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    with engine.begin() as connection:
        connection.execute(issued, {"now": utcnow()})
    upgrade(engine, "0007")
    assert fieldwork <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        code_id = connection.execute(text("SELECT id FROM issued_code")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO code_disposition (issued_code_id, progress, withdrawn, undeliverable)"
                " VALUES (:id, 'started', :no, :no)"
            ).bindparams(bindparam("no", type_=Boolean())),
            {"id": code_id, "no": False},
        )
    downgrade(engine, "0006")
    assert not fieldwork & set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM issued_code")).scalar_one() == 1
    upgrade(engine)
    assert fieldwork | {"interview_review"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "0007")  # 0008 only adds interview_review
    assert fieldwork <= set(inspect(engine).get_table_names())
    assert "interview_review" not in inspect(engine).get_table_names()
    upgrade(engine)
    engine.dispose()
