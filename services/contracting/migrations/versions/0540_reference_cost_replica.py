"""reference cost replica: the registry's reference costs per beneficiary, fed by reference_cost.* events

A published call's lots carry the reference cost that applies (issue 20); contracting learns them from the bus
like the nomenclature. A branch from 0400, parallel to other features' migrations
(services.common.migrations.upgrade applies every head).

Revision ID: 0540
Revises: 0400
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0540"
down_revision: str | None = "0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reference_cost_replica",
        sa.Column("service_type", sa.String(length=60), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_type", "district_code", "year"),
    )


def downgrade() -> None:
    op.drop_table("reference_cost_replica")
