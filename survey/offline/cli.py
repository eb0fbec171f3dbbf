"""`flask offline upload FILE --interviewer EMAIL`: a staff member stores the sealed outbox that an
interviewer's device saved as a file (when it will not reconnect). Each record is stored once, as
if the device had synced it: uploading the file again, or syncing the device later, adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import db, questionnaires, vault
from ..accounts.services import find_by_email
from ..db import utcnow
from ..interview.services import interviewer_pseudonym
from . import sync


@click.group("offline", help="Assisted interviews without a connection.")
def offline_group() -> None:
    pass


@offline_group.command("upload")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--interviewer", "email", required=True, help="Email of the interviewer whose device saved FILE.")
@with_appcontext
def upload(file: Path, email: str) -> None:
    """Store the sealed records of an outbox FILE saved on an interviewer's device."""
    session = db.session()
    user = find_by_email(session, email)
    if user is None or "interviewer" not in user.role_set:
        raise click.BadParameter(f"no interviewer account '{email}'", param_hint="--interviewer")
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{file}: not a JSON file ({error})") from None
    try:
        records = sync.read_outbox_file(document)
    except sync.UploadRefused as refused:
        raise click.ClickException(f"{file}: {refused.pointer}: {refused.message}") from None
    result = sync.store_all(
        session,
        records,
        questionnaires.all_questionnaires(),
        vault.study_key(),
        interviewer_pseudonym(vault.pseudonym_key(), user.id),
        utcnow(),
        user.id,
    )
    for problem in result.refused:
        click.echo(f"{file}: {problem['pointer']}: {problem['error']}", err=True)
    click.echo(
        f"{file}: stored {len(result.stored)}, stored before {len(result.already)}, refused {len(result.refused)}"
    )
    if result.refused:
        raise SystemExit(1)
