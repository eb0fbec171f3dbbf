"""An outbox saved as a file on an interviewer's device (when it will not reconnect), stored by a
staff member on the upload page or with `flask offline upload`: each record once, as if the device
had synced it, under the interviewer's pseudonym. Uploading the file again adds nothing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import questionnaires, vault
from ..accounts.models import User
from ..audit import record as audit
from ..interview.services import interviewer_pseudonym
from . import sync

# A record is 1.5 to 10 KB in base64: 8 MiB hold several hundred interviews of one device.
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_file(data: bytes) -> Sequence[Any]:
    """The records of an outbox file's bytes; raises sync.UploadRefused naming the JSON pointer."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        message = lazy_gettext("not a JSON file: not an outbox saved by the offline interview page")
        raise sync.UploadRefused("", message) from None
    return sync.read_outbox_file(document)


def interviewers(db: Session) -> list[User]:
    """The accounts holding the interviewer role, by email: whose device may have saved a file. A
    disabled account is among them: its device cannot sync any more, so its file comes here."""
    users = db.scalars(select(User).order_by(User.email))
    return [user for user in users if "interviewer" in user.role_set]


def store_file(db: Session, data: bytes, interviewer: User, now: datetime.datetime, actor: str) -> sync.SyncResult:
    """Store every acceptable record of an outbox file once, as synced by `interviewer`'s device;
    raises sync.UploadRefused for a file that is not an outbox. The upload is audited (counts only)."""
    records = read_file(data)
    result = sync.store_all(
        db,
        records,
        questionnaires.all_questionnaires(),
        vault.study_key(),
        interviewer_pseudonym(vault.pseudonym_key(), interviewer.id),
        now,
        interviewer.id,
    )
    detail = (
        f"interviewer account {interviewer.id}: stored {len(result.stored)}, "
        f"stored before {len(result.already)}, refused {len(result.refused)}"
    )
    audit(db, "offline outbox file uploaded", actor, detail)
    db.commit()
    return result
