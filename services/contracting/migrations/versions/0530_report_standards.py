"""monitoring_reports.standards: each report's answers to its service type's minimum quality standards

[{code, status (met / partly / not_met), note}], one per standard of the checklist in
services/common/quality_standards.py. Nullable: reports filed before the checklist existed answered none (shown as
an empty list). A branch from 0100 (which created the table), parallel to other features' migrations
(services.common.migrations.upgrade applies every head).

Revision ID: 0530
Revises: 0100
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0530"
down_revision: str | None = "0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("monitoring_reports", sa.Column("standards", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("monitoring_reports", schema=None) as batch_op:
        batch_op.drop_column("standards")
