"""session generation, sealed TOTP secrets

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00.000000

Adds user_account.session_generation (sessions carry it; raising it ends them all) and widens
totp_secret for sealed values (AES-256-GCM under the TOTP key, survey/accounts/sealing.py).

Existing bare base32 secrets are sealed here when the migration runs inside the app, as
`flask --app survey db upgrade` (the Procfile's release step) does: only the app knows the TOTP key,
which is never in the database. Run any other way (e.g. `survey.migrations.upgrade(engine)` without an
app), they stay as they are and the app seals each one the next time it is used. Downgrading opens the
sealed secrets again, which also needs the app's TOTP key.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

user_account = sa.table(
    'user_account',
    sa.column('id', sa.Integer()),
    sa.column('totp_secret', sa.String()),
)


def _app_key() -> Any:
    """The app's TOTP key when the migration runs inside the app, else None."""
    from flask import has_app_context

    if not has_app_context():
        return None
    from survey.accounts import sealing

    try:
        return sealing.app_key()
    except KeyError:
        return None


def _stored_secrets(connection: sa.Connection) -> Sequence[Any]:
    query = sa.select(user_account.c.id, user_account.c.totp_secret).where(user_account.c.totp_secret.is_not(None))
    return connection.execute(query).all()


def _set_secret(connection: sa.Connection, user_id: int, value: str | None) -> None:
    connection.execute(user_account.update().where(user_account.c.id == user_id).values(totp_secret=value))


def _resize_secret(old: int, new: int) -> None:
    """Widen or narrow totp_secret in place. SQLite does not enforce VARCHAR lengths, and changing a
    column there means rebuilding user_account, whose drop, with the app's foreign keys on, would
    delete every interview (ON DELETE CASCADE): so SQLite is left as it is."""
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.alter_column('user_account', 'totp_secret', existing_type=sa.String(length=old), type_=sa.String(length=new),
                    existing_nullable=True)


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default=sa.text('0'), nullable=False))
    _resize_secret(64, 128)

    key = _app_key()
    if key is None:
        return
    from survey.accounts import sealing

    connection = op.get_bind()
    for user_id, stored in _stored_secrets(connection):
        if not sealing.is_sealed(stored):
            _set_secret(connection, user_id, sealing.seal(stored, user_id, key))


def downgrade() -> None:
    connection = op.get_bind()
    sealed = [(user_id, stored) for user_id, stored in _stored_secrets(connection) if stored.startswith('gcm1:')]
    if sealed:
        key = _app_key()
        if key is None:
            raise RuntimeError(
                "Sealed TOTP secrets need the app's TOTP key to be opened again: "
                "downgrade with 'flask --app survey db downgrade 0004'."
            )
        from survey.accounts import sealing

        for user_id, stored in sealed:
            _set_secret(connection, user_id, sealing.unseal(stored, user_id, key))

    _resize_secret(128, 64)
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('session_generation')
