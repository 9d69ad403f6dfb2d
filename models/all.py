"""Imports every model module so the metadata knows every table (for Alembic and tests)."""

from models import (  # noqa: F401
    attendance, conversations, events, lease, line_rate, meetings, network, notes, outbox, people, quota, reminders, setup,
)
