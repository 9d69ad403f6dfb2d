"""Imports every model module so the metadata knows every table (for Alembic and tests)."""

from models import conversations, events, lease, meetings, network, outbox, people, quota, reminders  # noqa: F401
