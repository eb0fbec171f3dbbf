"""`flask offline upload FILE --interviewer EMAIL`: a staff member stores the sealed outbox that an
interviewer's device saved as a file (when it will not reconnect). Each record is stored once, as
if the device had synced it: uploading the file again, or syncing the device later, adds nothing.
The upload page (/offline/outbox-file) does the same through the same service (outbox.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from .. import db
from ..accounts.services import find_by_email
from ..db import utcnow
from . import outbox, sync


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
    if file.stat().st_size > outbox.MAX_FILE_BYTES:
        raise click.ClickException(f"{file}: larger than {outbox.MAX_FILE_BYTES} bytes: not an outbox file")
    with force_locale("en"):  # the terminal's messages stay in English, as the other commands'
        try:
            result = outbox.store_file(session, file.read_bytes(), user, utcnow(), "cli")
        except sync.UploadRefused as refused:
            raise click.ClickException(f"{file}: {refused.pointer or '/'}: {refused.message}") from None
        for problem in result.refused:
            click.echo(f"{file}: {problem['pointer']}: {problem['error']}", err=True)
    click.echo(
        f"{file}: stored {len(result.stored)}, stored before {len(result.already)}, refused {len(result.refused)}"
    )
    if result.refused:
        raise SystemExit(1)
