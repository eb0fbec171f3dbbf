"""Consistent backups of a live database: SQLite's online backup API, or pg_dump for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _libpq_url(engine: Engine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    import glob

    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return found


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy while the platform keeps running."""
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites a file")
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(engine.url.database or "")
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return target
    if engine.dialect.name == "postgresql":
        result = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), "--dbname", _libpq_url(engine)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise BackupError(f"no backup method for {engine.dialect.name}")


def restore(engine: Engine, source: Path) -> None:
    """Restore a backup into an empty database (the one `engine` points at)."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    if engine.dialect.name == "sqlite":
        target = Path(engine.url.database or "")
        if target.exists() and target.stat().st_size:
            raise BackupError(f"{target} is not empty; restore into a new database file")
        engine.dispose()
        shutil.copyfile(source, target)
        return
    if engine.dialect.name == "postgresql":
        result = subprocess.run(
            [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", _libpq_url(engine), str(source)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    raise BackupError(f"no restore method for {engine.dialect.name}")
