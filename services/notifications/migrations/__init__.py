"""The notifications service's own Alembic migration history."""
