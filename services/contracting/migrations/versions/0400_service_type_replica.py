"""service type replica: the registry's nomenclature, fed by service_type.* events

A call may name only a service type the registry owns (issue 14 #4); contracting learns them from the bus like
providers and accreditations. A branch from 0002, parallel to other features' migrations
(services.common.migrations.upgrade applies every head).

Revision ID: 0400
Revises: 0002
Create Date: 2026-12-04 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0400"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_type_replica",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name_ro", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("service_type_replica")
