"""reference costs: the annual cost of one place per service type x district (or "*", national) x year

Kept by the registry, edited by operators with the decision that set each one (issue 20); announced as
reference_cost.set events for contracting's replica (OCDS lots carry the one that applies).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reference_costs",
        sa.Column("service_type", sa.String(length=60), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=60), nullable=True),
        sa.CheckConstraint("amount > 0", name="reference_cost_amount_positive"),
        sa.ForeignKeyConstraint(["service_type"], ["service_types.code"]),
        sa.PrimaryKeyConstraint("service_type", "district_code", "year"),
    )


def downgrade() -> None:
    op.drop_table("reference_costs")
