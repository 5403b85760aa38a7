"""Districts served as a table (filterable on any database); lifecycle columns for providers, accreditations, users.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

providers = sa.table("providers", sa.column("id", sa.Integer), sa.column("districts_served", sa.JSON))
links = sa.table("provider_districts", sa.column("provider_id", sa.Integer), sa.column("district_code", sa.String))


# Plain ALTER TABLE throughout, never a batch copy: on SQLite (foreign keys on) re-creating `providers` would
# drop the old table under its accreditations and users, and cascade-delete the district links just written.
def upgrade() -> None:
    op.create_table(
        "provider_districts",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["district_code"], ["districts.code"]),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provider_id", "district_code"),
    )
    op.create_index(op.f("ix_provider_districts_district_code"), "provider_districts", ["district_code"], unique=False)
    connection = op.get_bind()
    rows = [
        {"provider_id": provider_id, "district_code": code}
        for provider_id, codes in connection.execute(sa.select(providers.c.id, providers.c.districts_served))
        for code in sorted(set(codes or []))
    ]
    if rows:
        op.bulk_insert(links, rows)
    op.drop_column("providers", "districts_served")
    op.add_column("providers", sa.Column("address", sa.String(length=300), nullable=True))
    op.add_column("providers", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("accreditations", sa.Column("status_reason", sa.String(length=500), nullable=True))
    op.add_column("accreditations", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("full_name", sa.String(length=200), nullable=True))
    op.add_column("users", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_users_role"), "users", ["role"], unique=False)
    op.create_index(op.f("ix_users_district_code"), "users", ["district_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_users_district_code"), table_name="users")
    op.drop_index(op.f("ix_users_role"), table_name="users")
    op.drop_column("users", "created_at")
    op.drop_column("users", "full_name")
    op.drop_column("accreditations", "updated_at")
    op.drop_column("accreditations", "status_reason")
    op.drop_column("providers", "updated_at")
    op.drop_column("providers", "address")
    op.add_column("providers", sa.Column("districts_served", sa.JSON(), nullable=False, server_default="[]"))
    connection = op.get_bind()
    served: dict[int, list[str]] = {}
    for provider_id, code in connection.execute(sa.select(links.c.provider_id, links.c.district_code)):
        served.setdefault(provider_id, []).append(code)
    for provider_id, codes in served.items():
        op.execute(providers.update().where(providers.c.id == provider_id).values(districts_served=sorted(codes)))
    op.drop_table("provider_districts")
