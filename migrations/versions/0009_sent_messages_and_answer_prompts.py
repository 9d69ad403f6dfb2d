"""Sent message ids (quoted replies) and the questions the bot asked about answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 07:20:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sent_messages',
    sa.Column('line_message_id', sa.String(length=64), nullable=False),
    sa.Column('outbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('line_message_id', name=op.f('pk_sent_messages'))
    )
    op.create_table('answer_prompts',
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('meeting_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('asked_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', 'person_id', 'meeting_id', 'kind', name=op.f('pk_answer_prompts'))
    )


def downgrade() -> None:
    op.drop_table('answer_prompts')
    op.drop_table('sent_messages')
