"""`flask keys ...`: the study key pair. Plugin commands, so they work before the app can start."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import PUBLIC_KEY_FILE
from .keys import CLASSIC, HYBRID, KeyFileError, StudyPrivateKey, fingerprint, generate, load_private, load_public, wrap


def private_key_file(key_id: str) -> str:
    """Private keys are named by key id, so rotating never overwrites an older private key."""
    return f"study-private-{key_id}.json"


def passphrase_from_user(confirm: bool) -> str:
    """SURVEY_KEY_PASSPHRASE for automation, else a hidden prompt."""
    from_env = os.environ.get("SURVEY_KEY_PASSPHRASE")
    if from_env:
        return from_env
    return click.prompt("Passphrase for the private key", hide_input=True, confirmation_prompt=confirm)


def write_key_pair(out: Path, suite: str, passphrase: str, rotate: bool = False) -> tuple[Path, Path, str]:
    """Write a new key pair into `out`. With `rotate`, the new public key replaces the current one;
    every private key file stays (older responses need it)."""
    out.mkdir(parents=True, exist_ok=True)
    public_path = out / PUBLIC_KEY_FILE
    if public_path.exists() and not rotate:
        raise KeyFileError(f"{out} already holds a study key; use --rotate to seal new responses with a new key")
    private = generate(suite)
    wrapped = wrap(private, passphrase)  # checks the passphrase before anything is written
    private_path = out / private_key_file(private.key_id)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(wrapped + "\n")
    public_path.write_text(private.public().to_json() + "\n", encoding="utf-8")
    return public_path, private_path, private.key_id


@click.group("keys", help="The study key pair that seals responses.")
def keys() -> None:
    pass


@keys.command("generate")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for study-public.json and study-private-<key id>.json.",
)
@click.option(
    "--suite",
    type=click.Choice([HYBRID, CLASSIC]),
    default=HYBRID,
    show_default=True,
    help="HPKE KEM: hybrid post-quantum ML-KEM-768 + X25519, or X25519 alone.",
)
@click.option("--rotate", is_flag=True, help="Replace the current public key; older private keys stay.")
def generate_command(out: Path, suite: str, rotate: bool) -> None:
    """Generate a key pair; the private key is wrapped under a passphrase (Argon2id, AES-256-GCM)."""
    try:
        passphrase = passphrase_from_user(confirm=True)
        public_path, private_path, key_id = write_key_pair(out, suite, passphrase, rotate)
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"public key:  {public_path} (the server needs only this file)")
    click.echo(f"private key: {private_path} (move it off the server; keep it and the passphrase apart)")
    click.echo(f"fingerprint: {fingerprint(key_id)}")


@keys.command("fingerprint")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def fingerprint_command(file: Path) -> None:
    """Show the fingerprint of a public or private key file (the private one asks its passphrase)."""
    try:
        try:
            key_id = load_public(file).key_id
        except KeyFileError as error:
            if "private key file" not in str(error):
                raise
            key_id = load_private(file, passphrase_from_user(confirm=False)).key_id
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(fingerprint(key_id))


private_key_option = click.option(
    "--key",
    "key_files",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Private key file; repeat for older keys after a rotation.",
)


def private_keys_from(key_files: tuple[Path, ...]) -> dict[str, StudyPrivateKey]:
    """Open every key file with one passphrase (prompt or SURVEY_KEY_PASSPHRASE); clear errors."""
    passphrase = passphrase_from_user(confirm=False)
    try:
        return {key.key_id: key for key in (load_private(path, passphrase) for path in key_files)}
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None


@click.group("responses", help="Stored responses.")
def responses_group() -> None:
    pass


@responses_group.command("verify")
@private_key_option
@click.option("--questionnaire", "questionnaire_id", default=None, help="Only this questionnaire.")
def verify_command(key_files: tuple[Path, ...], questionnaire_id: str | None) -> None:
    """Open every stored response with the private key(s); name each one that does not open."""
    from flask.cli import ScriptInfo

    from .. import audit
    from .models import SealedResponse
    from .responses import ResponseUnreadable, unseal_response

    private = private_keys_from(key_files)
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    opened = failed = 0
    with app.app_context(), app.extensions["survey.db"].sessions() as session:
        query = session.query(SealedResponse).order_by(SealedResponse.id)
        if questionnaire_id:
            query = query.filter(SealedResponse.questionnaire_id == questionnaire_id)
        for row in query.yield_per(500):
            try:
                unseal_response(row.id, row.questionnaire_id, row.questionnaire_version, row.content, private)
                opened += 1
            except ResponseUnreadable as error:
                failed += 1
                click.echo(str(error), err=True)
        audit.record(session, "responses.verified", "cli", f"opened={opened} failed={failed}")
        session.commit()
    click.echo(f"{opened} response(s) open, {failed} do not")
    if failed:
        raise SystemExit(1)
