"""temporary passwords

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09 10:00:00.000000

Adds user_account.must_change_password: set when an admin chooses someone else's password (or
`flask users create|set-password --temporary`), so that the next sign-in has to replace it first;
cleared by the user's own password change. Existing accounts start with false.
"""

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# recreate='never': plain ALTER TABLE on SQLite too (3.35+ for DROP COLUMN). Recreating user_account
# would drop it, and with the app's foreign keys on, that deletes its interviews (ON DELETE CASCADE).


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        # sa.false() renders as 0 on SQLite and false on PostgreSQL.
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('must_change_password')
