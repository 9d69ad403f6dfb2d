"""Rejected bodies: a digest, so a copy delivered twice is kept once

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 07:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rejected_bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_rejected_bodies_digest'), ['digest'])


def downgrade() -> None:
    with op.batch_alter_table('rejected_bodies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_rejected_bodies_digest'), type_='unique')
        batch_op.drop_column('digest')
