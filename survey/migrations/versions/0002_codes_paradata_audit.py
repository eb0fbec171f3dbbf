"""codes, paradata, audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:54:46.563303
"""

from alembic import op
import sqlalchemy as sa

import survey.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('event', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('detail', sa.String(length=1024), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)

    op.create_table('issued_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('pseudonym', sa.String(length=64), nullable=False),
    sa.Column('batch', sa.String(length=32), nullable=False),
    sa.Column('wave', sa.String(length=16), nullable=False),
    sa.Column('issued_at', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_code')),
    sa.UniqueConstraint('questionnaire_id', 'pseudonym', name=op.f('uq_issued_code_questionnaire_id'))
    )
    with op.batch_alter_table('issued_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_code_pseudonym'), ['pseudonym'], unique=False)

    op.create_table('paradata',
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('languages', sa.String(length=128), nullable=False),
    sa.Column('device_class', sa.String(length=16), nullable=False),
    sa.Column('started_hour', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_hour', survey.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['sealed_response.id'], name=op.f('fk_paradata_response_id_sealed_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_paradata'))
    )
    with op.batch_alter_table('sealed_response', schema=None) as batch_op:
        # Records from before sealing have no key id.
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('pseudonym', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_sealed_response_pseudonym'), ['pseudonym'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_sealed_response_questionnaire_id'), ['questionnaire_id', 'wave', 'pseudonym'])



def downgrade() -> None:
    with op.batch_alter_table('sealed_response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_sealed_response_questionnaire_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_sealed_response_pseudonym'))
        batch_op.drop_column('pseudonym')
        batch_op.drop_column('key_id')

    op.drop_table('paradata')
    with op.batch_alter_table('issued_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_code_pseudonym'))

    op.drop_table('issued_code')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))

    op.drop_table('audit_event')
