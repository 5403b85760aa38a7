"""Announce every provider's registered contact facts: one provider.updated per provider with a telephone or an
address, its version raised by one.

provider.* events now carry ``phone`` and ``address`` (contracting publishes them on the OCDS party, so bidders
sharing contact facts can be found: red flag R044). Replicas apply an event only when its version is newer, so
the providers registered before this change are re-announced with a new version, staged in the outbox like any
other event. Providers with neither fact change nothing.

Revision ID: 0007
Revises: 0006
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from services.common.bus.envelope import Envelope

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

providers = sa.table(
    "providers",
    sa.column("id", sa.Integer),
    sa.column("idno", sa.String),
    sa.column("legal_name", sa.String),
    sa.column("email", sa.String),
    sa.column("phone", sa.String),
    sa.column("address", sa.String),
    sa.column("languages", sa.JSON),
    sa.column("status", sa.String),
    sa.column("version", sa.Integer),
)
links = sa.table("provider_districts", sa.column("provider_id", sa.Integer), sa.column("district_code", sa.String))
outbox = sa.table(
    "outbox",
    sa.column("event_id", sa.String),
    sa.column("event_type", sa.String),
    sa.column("correlation_id", sa.String),
    sa.column("body", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("attempts", sa.Integer),
)
EVENT_TYPE = "provider.updated"


def upgrade() -> None:
    connection = op.get_bind()
    with_contacts = sa.or_(providers.c.phone.is_not(None), providers.c.address.is_not(None))
    rows = connection.execute(sa.select(providers).where(with_contacts).order_by(providers.c.id)).mappings().all()
    districts: dict[int, list[str]] = {}
    for provider_id, code in connection.execute(sa.select(links.c.provider_id, links.c.district_code)):
        districts.setdefault(provider_id, []).append(code)
    now = datetime.now(UTC)
    staged = []
    for row in rows:
        version = row["version"] + 1
        connection.execute(sa.update(providers).where(providers.c.id == row["id"]).values(version=version))
        languages = row["languages"]
        # The same payload as services.registry.service_layer.handlers.provider_payload (not imported: a migration
        # must not change when that code does).
        payload = {
            "provider_id": row["id"],
            "idno": row["idno"],
            "legal_name": row["legal_name"],
            "districts_served": sorted(districts.get(row["id"], [])),
            "languages": json.loads(languages) if isinstance(languages, str) else languages,
            "email": row["email"],
            "phone": row["phone"],
            "address": row["address"],
            "status": row["status"],
            "version": version,
        }
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
    # Versions stay raised (a replica never goes back); events still waiting in the outbox stay too: they are true.
    pass
