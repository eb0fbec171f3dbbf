"""Command line: `init` and `demo` (plugin commands that work before the app can be created),
`db upgrade|downgrade|revision` and `drafts purge`."""

from __future__ import annotations

import base64
import datetime
import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .accounts.sealing import KEY_FILE as TOTP_KEY_FILE
from .cli_options import file_option
from .config import instance_path
from .vault import PSEUDONYM_KEY_FILE, PUBLIC_KEY_FILE
from .vault.cli import write_key_pair
from .vault.keys import HYBRID


def _write_secret(path: Path, value: str) -> bool:
    if path.exists():
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return True


def ensure_instance(instance: Path) -> list[str]:
    """Create the instance folder, its session secret, pseudonym key and TOTP key once (each one that
    is missing); returns what was made."""
    instance.mkdir(parents=True, exist_ok=True)
    created = []
    if _write_secret(instance / "secret_key", secrets.token_urlsafe(48)):
        created.append("secret_key")
    for name in (PSEUDONYM_KEY_FILE, TOTP_KEY_FILE):
        if _write_secret(instance / name, base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()):
            created.append(name)
    return created


PASSPHRASE_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def demo_passphrase(length: int = 28) -> str:
    """A passphrase of letters and digits only (about 160 bits): nothing in it stops a double-click selection."""
    return "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(length))


@click.command("init", help="Create instance/ with a random session secret, pseudonym key and TOTP key (idempotent).")
def init_command() -> None:
    created = ensure_instance(Path(instance_path()))
    click.echo("created " + ", ".join(created) if created else "instance/ is ready")


@click.command("demo", help="Set up instance/ and the database, then serve the demo study.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Defaults to $PORT, else 5000.")
def demo_command(host: str, port: int | None) -> None:
    from . import create_app
    from .migrations import upgrade

    instance = Path(instance_path())
    ensure_instance(instance)
    if not (instance / PUBLIC_KEY_FILE).exists():
        # A demo key pair; a real study generates its keys in the key ceremony (docs/privacy.md).
        passphrase = demo_passphrase()
        write_key_pair(instance, HYBRID, passphrase)
        # On a line of its own and one word: a double click or a triple click selects exactly the passphrase.
        click.echo(f"Demo study key written to {instance}. Its passphrase, shown once, is the next line:")
        click.echo(passphrase)
    app = create_app()
    port = port or int(os.environ.get("PORT", "5000"))
    with app.app_context():
        from . import db
        from .accounts.services import DEMO_ADMIN_EMAIL, ensure_demo_admin

        upgrade(app.extensions["survey.db"].engine)  # in the app: migrations may need its keys
        names = ", ".join(sorted(app.extensions["survey.questionnaires"]))
        password = ensure_demo_admin(db.session())
    click.echo(f"Database ready. Questionnaires: {names}")
    if password:
        click.echo(
            f"Demo admin (admin, researcher, interviewer): {DEMO_ADMIN_EMAIL}, password (shown once): {password}"
        )
        click.echo(f"Sign in at http://{host}:{port}/account/login and set up the second factor.")
    click.echo(f"Open http://{host}:{port}/ (Ctrl+C stops)")
    # app.run() refuses to run inside the flask command; the server underneath it does not.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False)


@click.group("db", help="Database schema migrations.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    from .migrations import upgrade

    upgrade(current_app.extensions["survey.db"].engine, revision)
    click.echo(f"database upgraded to {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    from .migrations import downgrade

    downgrade(current_app.extensions["survey.db"].engine, revision)
    click.echo(f"database downgraded to {revision}")


@db_group.command("revision", help="Write a new migration from the models (for developers).")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    from alembic import command

    from .migrations import alembic_config

    engine = current_app.extensions["survey.db"].engine
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


@db_group.command("backup")
@file_option("--out", required=True)
@with_appcontext
def db_backup(out: Path) -> None:
    """A consistent copy of the live database (SQLite backup API, or pg_dump)."""
    from .backup import BackupError, backup

    try:
        backup(current_app.extensions["survey.db"].engine, out)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {out} (answers inside stay sealed; keep it as safe as the database)")


@db_group.command("restore")
@file_option("--from", "source", required=True)
@with_appcontext
def db_restore(source: Path) -> None:
    """Restore a backup into the configured, empty database."""
    from .backup import BackupError, restore

    try:
        restore(current_app.extensions["survey.db"].engine, source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {source}")


@click.group("drafts", help="Answers in progress.")
def drafts_group() -> None:
    pass


@drafts_group.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True)
@with_appcontext
def drafts_purge(days: int) -> None:
    from . import db
    from .respond.services import purge_drafts

    count = purge_drafts(db.session(), datetime.timedelta(days=days))
    click.echo(f"purged {count} draft(s) untouched for {days} days")


@click.command("synthesize", help="Store synthetic responses (demos, tests, benchmarks): never in a live study.")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--count", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--wave", default=None)
@with_appcontext
def synthesize_command(questionnaire_id: str, count: int, seed: int, wave: str | None) -> None:
    from . import db, questionnaires, vault
    from .respond import synthetic

    questionnaire = questionnaires.get(questionnaire_id)
    if questionnaire is None:
        raise click.BadParameter(f"no questionnaire '{questionnaire_id}'", param_hint="--questionnaire")
    synthetic.store(db.session(), questionnaire, vault.study_key(), count, seed, wave)
    click.echo(f"stored {count} synthetic responses for '{questionnaire_id}'")


def init_app(app: Flask) -> None:
    from .accounts.cli import users_group
    from .evaluation.cli import evaluate
    from .export.cli import bundle_command, export_command
    from .fieldwork.cli import fieldwork_group
    from .offline.cli import offline_group
    from .participants.cli import codes_group

    app.cli.add_command(codes_group)
    app.cli.add_command(users_group)
    app.cli.add_command(export_command)
    app.cli.add_command(bundle_command)
    app.cli.add_command(db_group)
    app.cli.add_command(synthesize_command)
    app.cli.add_command(drafts_group)
    app.cli.add_command(evaluate)
    app.cli.add_command(fieldwork_group)
    app.cli.add_command(offline_group)
