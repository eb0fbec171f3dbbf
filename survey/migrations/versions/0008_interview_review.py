"""interview reviews

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 15:00:00.000000

A new table interview_review (approved / on hold / rejected with a comment, per submitted assisted
interview). Interviews submitted before this revision have no review row and are exported as not
reviewed.
"""

import sqlalchemy as sa
from alembic import op

import survey.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('interview_review',
    sa.Column('interview_id', sa.String(length=32), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=False),
    sa.Column('reviewed_by', sa.String(length=128), nullable=False),
    sa.Column('reviewed_hour', survey.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], name=op.f('fk_interview_review_interview_id_interview'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['sealed_response.id'], name=op.f('fk_interview_review_response_id_sealed_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interview_id', name=op.f('pk_interview_review')),
    sa.UniqueConstraint('response_id', name=op.f('uq_interview_review_response_id'))
    )


def downgrade() -> None:
    op.drop_table('interview_review')
