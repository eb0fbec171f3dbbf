"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:42:02.158690
"""

from alembic import op
import sqlalchemy as sa

import survey.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('draft',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('created_at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('response_id', name=op.f('uq_draft_response_id'))
    )
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_updated_at'), ['updated_at'], unique=False)

    op.create_table('sealed_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=16), nullable=False),
    sa.Column('wave', sa.String(length=16), nullable=False),
    sa.Column('draft_id', sa.String(length=32), nullable=False),
    sa.Column('submitted_hour', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_response')),
    sa.UniqueConstraint('draft_id', name=op.f('uq_sealed_response_draft_id'))
    )
    with op.batch_alter_table('sealed_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_response_questionnaire_id'), ['questionnaire_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sealed_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_response_questionnaire_id'))

    op.drop_table('sealed_response')
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_updated_at'))

    op.drop_table('draft')
