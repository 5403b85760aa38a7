"""Alembic environment of the notifications service's own migration history."""

from services.common.migrations import run_migrations
from services.notifications.adapters.orm import Base

run_migrations(Base.metadata)
