"""read versions: one counter per read model, bumped in the transaction of every change that alters it

The public listing and a call's page are answered from a per-process cache of rendered answers while the
counter has not moved (issue 21); a reader checks one row instead of rebuilding the page.

Revision ID: 0550
Revises: 0540
Create Date: 2026-12-06 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0550"
down_revision: str | None = "0540"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "read_versions",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(table, [{"name": "tenders", "version": 0}])


def downgrade() -> None:
    op.drop_table("read_versions")
