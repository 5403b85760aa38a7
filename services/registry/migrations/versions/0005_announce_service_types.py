"""Announce the nomenclature on the bus: one service_type.added event per service type already in the table.

0002 seeded the service types with plain SQL, so no event ever told the other services about them; contracting
keeps a replica of the nomenclature (it refuses calls for codes it does not know) and must receive them. Staged
in the outbox like any other event, they leave with the next relay pass and, on the one queue, before every
provider or accreditation event written after them. Operators' later additions are announced by
add_service_type itself.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from services.common.bus.envelope import Envelope

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

service_types = sa.table(
    "service_types",
    sa.column("code", sa.String),
    sa.column("name_ro", sa.String),
    sa.column("name_ru", sa.String),
    sa.column("name_en", sa.String),
)
outbox = sa.table(
    "outbox",
    sa.column("event_id", sa.String),
    sa.column("event_type", sa.String),
    sa.column("correlation_id", sa.String),
    sa.column("body", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("attempts", sa.Integer),
)
EVENT_TYPE = "service_type.added"


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(service_types).order_by(service_types.c.code)).mappings().all()
    now = datetime.now(UTC)
    staged = []
    for row in rows:
        # The same payload as services.registry.service_layer.reference.service_type_payload (not imported:
        # a migration must not change when that code does).
        payload = {"code": row["code"], "name_ro": row["name_ro"], "name_ru": row["name_ru"]}
        payload.update(name_en=row["name_en"], version=1)
        envelope = Envelope(type=EVENT_TYPE, payload=payload, producer="registry")
        staged.append(
            {
                "event_id": envelope.event_id,
                "event_type": envelope.type,
                "correlation_id": None,
                "body": envelope.to_json(),
                "created_at": now,
                "attempts": 0,
            }
        )
    if staged:
        op.bulk_insert(outbox, staged)


def downgrade() -> None:
    # Events already relayed cannot be called back; only those still waiting are dropped.
    op.execute(sa.text("DELETE FROM outbox WHERE event_type = :t AND published_at IS NULL").bindparams(t=EVENT_TYPE))
