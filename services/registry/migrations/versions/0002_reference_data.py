"""Seed the 35 districts and the starting social service nomenclature.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.registry.domain.reference_data import DISTRICTS, SERVICE_TYPES

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _labels_table(name: str) -> sa.Table:
    return sa.table(
        name,
        sa.column("code", sa.String),
        sa.column("name_ro", sa.String),
        sa.column("name_ru", sa.String),
        sa.column("name_en", sa.String),
    )


def upgrade() -> None:
    for table_name, labels in (("districts", DISTRICTS), ("service_types", SERVICE_TYPES)):
        rows = [{"code": x.code, "name_ro": x.ro, "name_ru": x.ru, "name_en": x.en} for x in labels]
        op.bulk_insert(_labels_table(table_name), rows)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM service_types"))
    op.execute(sa.text("DELETE FROM districts"))
