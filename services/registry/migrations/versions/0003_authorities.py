"""Authorities: one social assistance department per district, seeded with its name and seat.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.registry.domain.reference_data import AUTHORITIES

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    authorities = op.create_table(
        "authorities",
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["district_code"], ["districts.code"]),
        sa.PrimaryKeyConstraint("district_code"),
    )
    rows = [{"district_code": a.district_code, "name": a.name, "address": a.address} for a in AUTHORITIES]
    op.bulk_insert(authorities, rows)


def downgrade() -> None:
    op.drop_table("authorities")
