"""Alembic environment of the contracting service's own migration history."""

from services.common.migrations import run_migrations
from services.contracting.adapters.models import Base

run_migrations(Base.metadata)
