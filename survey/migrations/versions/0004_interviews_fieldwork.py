"""interviews, fieldwork

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:15:08.616321
"""

from alembic import op
import sqlalchemy as sa

import survey.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fieldwork',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('wave', sa.String(length=16), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fieldwork')),
    sa.UniqueConstraint('questionnaire_id', 'wave', name=op.f('uq_fieldwork_questionnaire_id'))
    )
    op.create_table('interview',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('interviewer_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('interviewer_language', sa.String(length=16), nullable=False),
    sa.Column('started_hour', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['interviewer_id'], ['user_account.id'], name=op.f('fk_interview_interviewer_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview'))
    )
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_interviewer_id'), ['interviewer_id'], unique=False)

    with op.batch_alter_table('paradata', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interviewer', sa.String(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('paradata', schema=None) as batch_op:
        batch_op.drop_column('interviewer')

    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_interviewer_id'))

    op.drop_table('interview')
    op.drop_table('fieldwork')
