"""provider contacts in the replica: the organisation's e-mail, telephone and address from provider.* events

Published on the party in OCDS so that bidders sharing contact facts can be found (red flag R044). A branch from
0002, parallel to other features' migrations (services.common.migrations.upgrade applies every head); the
registry re-announces its providers with these fields (registry migration 0007).

Revision ID: 0520
Revises: 0002
Create Date: 2026-12-05 21:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0520"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("provider_replica", sa.Column("email", sa.String(length=200), nullable=True))
    op.add_column("provider_replica", sa.Column("phone", sa.String(length=50), nullable=True))
    op.add_column("provider_replica", sa.Column("address", sa.String(length=300), nullable=True))


def downgrade() -> None:
    for column in ("address", "phone", "email"):
        op.drop_column("provider_replica", column)
