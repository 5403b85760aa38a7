"""public call search: what GET /api/v1/public/calls filters, sorts and shows, as columns of ocds_records

service_type, budget_amount (hundredths of MDL, as every amount here), currency, submission_deadline, lot_count
and title_search (the title case-folded in Python: SQLite's lower() folds ASCII only), copied out of each record's
compiled release so the search is one indexed query instead of a scan of the JSON. Existing records are filled
from their compiled release here; a release that names no service takes the tender row's. Indexes follow the
listing's orders (newest, soonest deadline, budget) with the ocid that ends each order.

The backfill reads the release with its own copy of the rules (domain/call_search.py may change later; a
migration must keep doing what it did). Revises 0200, which created ocds_records.

Revision ID: 0210
Revises: 0200
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0210"
down_revision: str | None = "0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERVICE_SCHEME = "X-SSCP-SERVICE"
CHUNK = 500
_COLUMNS = ("service_type", "budget_amount", "currency", "submission_deadline", "lot_count", "title_search")

records = sa.table(
    "ocds_records",
    sa.column("ocid", sa.String(120)),
    sa.column("tender_id", sa.Integer()),
    sa.column("title", sa.String(300)),
    sa.column("compiled", sa.JSON()),
    sa.column("service_type", sa.String(60)),
    sa.column("budget_amount", sa.BigInteger()),
    sa.column("currency", sa.String(3)),
    sa.column("submission_deadline", sa.DateTime(timezone=True)),
    sa.column("lot_count", sa.Integer()),
    sa.column("title_search", sa.Text()),
)
tenders = sa.table("tenders", sa.column("id", sa.Integer()), sa.column("service_type", sa.String(60)))


def upgrade() -> None:
    with op.batch_alter_table("ocds_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_type", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("budget_amount", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("submission_deadline", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lot_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("title_search", sa.Text(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("ocds_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocds_records_service_type"), ["service_type"], unique=False)
        batch_op.create_index("ix_ocds_records_first_date", ["first_date", "ocid"], unique=False)
        batch_op.create_index("ix_ocds_records_submission_deadline", ["submission_deadline", "ocid"], unique=False)
        batch_op.create_index("ix_ocds_records_budget_amount", ["budget_amount", "ocid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ocds_records", schema=None) as batch_op:
        batch_op.drop_index("ix_ocds_records_budget_amount")
        batch_op.drop_index("ix_ocds_records_submission_deadline")
        batch_op.drop_index("ix_ocds_records_first_date")
        batch_op.drop_index(batch_op.f("ix_ocds_records_service_type"))
        batch_op.drop_column("title_search")
        batch_op.drop_column("lot_count")
        batch_op.drop_column("submission_deadline")
        batch_op.drop_column("currency")
        batch_op.drop_column("budget_amount")
        batch_op.drop_column("service_type")


def _backfill(connection) -> None:
    """Every record's search columns from its compiled release, a chunk of records at a time (the releases are
    the bulk of the table)."""
    ocids = list(connection.scalars(sa.select(records.c.ocid).order_by(records.c.ocid)))
    service_of_tender = dict(connection.execute(sa.select(tenders.c.id, tenders.c.service_type)).all())
    update = (
        records.update()
        .where(records.c.ocid == sa.bindparam("record_ocid"))
        .values({name: sa.bindparam(f"new_{name}") for name in _COLUMNS})
    )
    for start in range(0, len(ocids), CHUNK):
        chunk = ocids[start : start + CHUNK]
        query = sa.select(records.c.ocid, records.c.tender_id, records.c.title, records.c.compiled)
        rows = connection.execute(query.where(records.c.ocid.in_(chunk))).all()
        values = []
        for row in rows:
            found = _columns(row.compiled or {}, row.title, service_of_tender.get(row.tender_id))
            values.append({"record_ocid": row.ocid, **{f"new_{name}": value for name, value in found.items()}})
        if values:
            connection.execute(update, values)


def _columns(compiled: dict, title: str | None, tender_service_type: str | None) -> dict:
    tender = compiled.get("tender") or {}
    items = tender.get("items") or []
    budget = tender.get("value") or {}
    amount = budget.get("amount")
    classified = [
        c.get("id")
        for item in items
        for c in item.get("additionalClassifications") or []
        if c.get("scheme") == SERVICE_SCHEME and c.get("id")
    ]
    return {
        "service_type": (classified or [tender_service_type])[0],
        "budget_amount": None if amount is None else int(Decimal(str(amount)).quantize(Decimal("0.01")) * 100),
        "currency": budget.get("currency") if amount is not None else None,
        "submission_deadline": _instant((tender.get("tenderPeriod") or {}).get("endDate")),
        "lot_count": len(items),
        "title_search": None if title is None else title.casefold(),
    }


def _instant(moment: str | None) -> datetime | None:
    if not moment:
        return None
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
