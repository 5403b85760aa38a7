"""Alembic environment of the registry service's own migration history."""

from services.common.migrations import run_migrations
from services.registry.adapters.orm import Base

run_migrations(Base.metadata)
