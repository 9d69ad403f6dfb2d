"""unfiled notes: a note may wait for its author to say which meeting

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    # SQLite alters a column by copying the table and dropping the old one; with foreign keys on
    # (models/db.py), that drop cascades to note_photos, so the photos are kept aside and put back.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute("CREATE TEMP TABLE kept_note_photos AS SELECT * FROM note_photos")
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.alter_column('meeting_id', existing_type=_ID, nullable=True)
    if sqlite:
        op.execute("INSERT INTO note_photos SELECT * FROM kept_note_photos "
                   "WHERE id NOT IN (SELECT id FROM note_photos)")
        op.execute("DROP TABLE kept_note_photos")


def downgrade() -> None:
    # Unfiled notes have nowhere to go in the old schema.
    op.execute("DELETE FROM notes WHERE meeting_id IS NULL")
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.alter_column('meeting_id', existing_type=_ID, nullable=False)
