"""Who linked a group's chat, and when (so they, or a coordinator, may undo a wrong tap)

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('financial_groups', sa.Column('linked_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                                nullable=True))
    op.add_column('financial_groups', sa.Column('linked_at', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('financial_groups') as batch:
        batch.drop_column('linked_at')
        batch.drop_column('linked_by_id')
