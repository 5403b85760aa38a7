"""Alembic, driven from code: one migration history per service, each in services/<name>/migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

SERVICES_DIR = Path(__file__).resolve().parent.parent


def alembic_config(service: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    # '%' must be doubled for configparser; URLs with encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["service"] = service
    return config


def upgrade(service: str, database_url: str, revision: str = "heads") -> None:
    """Every head: features may add migrations on parallel branches (alembic applies them all)."""
    command.upgrade(alembic_config(service, database_url), revision)


def run_migrations(metadata) -> None:
    """The body of every service's migrations/env.py (online mode; offline SQL is not needed here)."""
    from alembic import context

    from services.common.db import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
