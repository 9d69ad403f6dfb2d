"""Events retried after transient database errors; the setup code claimed once, wrong tries limited

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 07:10:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table('inbound_events') as batch:
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('next_attempt_at', models.base.UTCDateTime(timezone=True), nullable=True))
    waiting = sa.text("status = 'pending' AND next_attempt_at IS NOT NULL")
    op.create_index('ix_inbound_events_waiting_retry', 'inbound_events', ['chat_id', 'occurred_at'],
                    postgresql_where=waiting, sqlite_where=waiting)
    op.create_table('setup_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('person_id', BigId, nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_claim'))
    )
    op.create_table('setup_code_tries',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('person_id', BigId, nullable=False),
    sa.Column('tried_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_code_tries'))
    )
    op.create_index('ix_setup_code_tries_tried_at', 'setup_code_tries', ['tried_at'])
    # A network that already has a coordinator has spent its setup code.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM person_roles r JOIN people p ON p.id = r.person_id WHERE r.role = 'coordinator' "
                    "AND (p.line_user_id IS NOT NULL OR p.forgotten_at IS NOT NULL) LIMIT 1")).first():
        from datetime import datetime, timezone

        claim = sa.table('setup_claim', sa.column('id', sa.Integer()),
                         sa.column('claimed_at', models.base.UTCDateTime(timezone=True)), sa.column('note', sa.String()))
        op.bulk_insert(claim, [{'id': 1, 'claimed_at': datetime.now(timezone.utc), 'note': 'a coordinator existed'}])

def downgrade() -> None:
    op.drop_index('ix_setup_code_tries_tried_at', table_name='setup_code_tries')
    op.drop_table('setup_code_tries')
    op.drop_table('setup_claim')
    op.drop_index('ix_inbound_events_waiting_retry', table_name='inbound_events')
    with op.batch_alter_table('inbound_events') as batch:
        batch.drop_column('next_attempt_at')
        batch.drop_column('attempts')
