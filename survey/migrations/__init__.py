"""Alembic migrations; applied by `flask --app survey db upgrade` (the Procfile's release step)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

HERE = Path(__file__).resolve().parent


def compare_type(
    context: Any, inspected_column: Any, metadata_column: Any, inspected: Any, declared: Any
) -> bool | None:
    """Alembic's type comparison, except that on SQLite, which does not enforce lengths, a VARCHAR of
    another length counts as the same type: changing it there would rebuild the table (see 0005)."""
    if (
        context.dialect.name == "sqlite"
        and isinstance(inspected, sa.String)
        and isinstance(declared, sa.String)
        and not isinstance(inspected, sa.Text)
        and not isinstance(declared, sa.Text)
    ):
        return False
    return None  # Alembic's own comparison


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


@contextmanager
def _all_or_nothing(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole run, schema changes included."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so each ALTER, CREATE or
            # DROP before one would commit on its own: a run refused halfway (0005's downgrade without
            # the TOTP key) would leave the schema and alembic_version out of step.
            connection.exec_driver_sql("BEGIN")
        yield connection


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with _all_or_nothing(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with _all_or_nothing(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
