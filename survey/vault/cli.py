"""`flask keys ...`: the study key pair. Plugin commands, so they work before the app can start."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import PUBLIC_KEY_FILE
from .keys import CLASSIC, HYBRID, KeyFileError, fingerprint, generate, load_private, load_public, wrap

PRIVATE_KEY_FILE = "study-private.json"


def passphrase_from_user(confirm: bool) -> str:
    """SURVEY_KEY_PASSPHRASE for automation, else a hidden prompt."""
    from_env = os.environ.get("SURVEY_KEY_PASSPHRASE")
    if from_env:
        return from_env
    return click.prompt("Passphrase for the private key", hide_input=True, confirmation_prompt=confirm)


def write_key_pair(out: Path, suite: str, passphrase: str, force: bool = False) -> tuple[Path, Path, str]:
    """Write both key files into `out`; refuses to overwrite an existing key unless forced."""
    out.mkdir(parents=True, exist_ok=True)
    public_path, private_path = out / PUBLIC_KEY_FILE, out / PRIVATE_KEY_FILE
    if not force and (public_path.exists() or private_path.exists()):
        raise KeyFileError(f"{out} already holds a study key; use --force to replace it (rotation)")
    private = generate(suite)
    wrapped = wrap(private, passphrase)  # checks the passphrase before anything is written
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(wrapped + "\n")
    public_path.write_text(private.public().to_json() + "\n", encoding="utf-8")
    return public_path, private_path, private.key_id


@click.group("keys", help="The study key pair that seals responses.")
def keys() -> None:
    pass


@keys.command("generate")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for study-public.json and study-private.json.")
@click.option("--suite", type=click.Choice([HYBRID, CLASSIC]), default=HYBRID, show_default=True,
              help="HPKE KEM: hybrid post-quantum ML-KEM-768 + X25519, or X25519 alone.")
@click.option("--force", is_flag=True, help="Replace an existing key pair (rotation: keep the old private key!).")
def generate_command(out: Path, suite: str, force: bool) -> None:
    """Generate a key pair; the private key is wrapped under a passphrase (Argon2id, AES-256-GCM)."""
    try:
        passphrase = passphrase_from_user(confirm=True)
        public_path, private_path, key_id = write_key_pair(out, suite, passphrase, force)
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
