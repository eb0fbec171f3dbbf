"""fieldwork: sample draws, drawn codes with design weights, code dispositions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 14:00:00.000000

New tables only (sample_draw, sample_member, code_disposition); no existing table changes. Names and
addresses are not stored here: they live in the encrypted mailing file of each draw.
"""

import sqlalchemy as sa
from alembic import op

import survey.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sample_draw',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('wave', sa.String(length=16), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('register_sha256', sa.String(length=64), nullable=False),
    sa.Column('batch', sa.String(length=32), nullable=False),
    sa.Column('strata', sa.Text(), nullable=False),
    sa.Column('drawn_at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('mailing_deleted_at', survey.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample_draw'))
    )
    op.create_table('code_disposition',
    sa.Column('issued_code_id', sa.Integer(), nullable=False),
    sa.Column('progress', sa.String(length=8), nullable=True),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('undeliverable', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['issued_code_id'], ['issued_code.id'], name=op.f('fk_code_disposition_issued_code_id_issued_code'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('issued_code_id', name=op.f('pk_code_disposition'))
    )
    op.create_table('sample_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.String(length=16), nullable=False),
    sa.Column('issued_code_id', sa.Integer(), nullable=False),
    sa.Column('stratum', sa.String(length=64), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['sample_draw.id'], name=op.f('fk_sample_member_draw_id_sample_draw'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_code_id'], ['issued_code.id'], name=op.f('fk_sample_member_issued_code_id_issued_code'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample_member')),
    sa.UniqueConstraint('issued_code_id', name=op.f('uq_sample_member_issued_code_id'))
    )
    with op.batch_alter_table('sample_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sample_member_draw_id'), ['draw_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sample_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sample_member_draw_id'))
    op.drop_table('sample_member')
    op.drop_table('code_disposition')
    op.drop_table('sample_draw')
