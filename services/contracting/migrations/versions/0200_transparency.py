"""transparency: the public change feed (with its position counter), OCDS releases and compiled records

A branch from 0002, parallel to other features' migrations (services.common.migrations.upgrade applies every
head). The feed_head row is created here: every public write updates it, which serializes them.

Revision ID: 0200
Revises: 0002
Create Date: 2026-11-24 06:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0200"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    feed_head = op.create_table(
        "feed_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(feed_head, [{"id": 1, "position": 0}])
    op.create_table(
        "public_changes",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("ocid", sa.String(length=120), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("release_id", sa.String(length=80), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("public_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_changes_ocid"), ["ocid"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_changes_tender_id"), ["tender_id"], unique=False)
    op.create_table(
        "ocds_releases",
        sa.Column("release_id", sa.String(length=80), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("ocid", sa.String(length=120), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("release", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["position"], ["public_changes.position"]),
        sa.PrimaryKeyConstraint("release_id"),
        sa.UniqueConstraint("position"),
    )
    with op.batch_alter_table("ocds_releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocds_releases_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ocds_releases_ocid"), ["ocid"], unique=False)
    op.create_table(
        "ocds_records",
        sa.Column("ocid", sa.String(length=120), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("first_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_position", sa.BigInteger(), nullable=False),
        sa.Column("release_count", sa.Integer(), nullable=False),
        sa.Column("compiled", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("ocid"),
    )
    with op.batch_alter_table("ocds_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocds_records_district_code"), ["district_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_ocds_records_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_ocds_records_tender_id"), ["tender_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ocds_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocds_records_tender_id"))
        batch_op.drop_index(batch_op.f("ix_ocds_records_status"))
        batch_op.drop_index(batch_op.f("ix_ocds_records_district_code"))
    op.drop_table("ocds_records")
    with op.batch_alter_table("ocds_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocds_releases_ocid"))
        batch_op.drop_index(batch_op.f("ix_ocds_releases_date"))
    op.drop_table("ocds_releases")
    with op.batch_alter_table("public_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_changes_tender_id"))
        batch_op.drop_index(batch_op.f("ix_public_changes_ocid"))
    op.drop_table("public_changes")
    op.drop_table("feed_head")
