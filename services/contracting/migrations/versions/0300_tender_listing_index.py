"""tender listing: an index on tenders.service_type, a filter of the public listing

Without it, GET /api/v1/tenders?service_type=… counted its matches with a sequential scan of every tender
(6.3 ms on 10,000 tenders on PostgreSQL 15; 0.5 ms with the index). status and district_code, the listing's
other filters, were indexed from 0001; its sort (id) is the primary key. A branch from 0002, parallel to other
features' migrations (services.common.migrations.upgrade applies every head).

Revision ID: 0300
Revises: 0002
Create Date: 2026-11-25 08:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0300"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tenders_service_type"), ["service_type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenders_service_type"))
