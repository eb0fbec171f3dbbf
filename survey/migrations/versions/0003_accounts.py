"""accounts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:14:26.322352
"""

from alembic import op
import sqlalchemy as sa

import survey.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('roles', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', survey.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_confirmed', sa.Boolean(), nullable=False),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('created_at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('password_changed_at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', survey.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )


def downgrade() -> None:
    op.drop_table('user_account')
