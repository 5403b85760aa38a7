"""sealed audit entries and the award's accreditation term (issue 14)

audit_log.salt: a random salt hashed into the audit entries whose author is withheld (sealed bids, questions).
The served view of a bid's audit entry names no bidder and no time; without a secret in its hash, the served
entry hash would let a reader test guesses (each bidder's user id, each opened bid's time) until one matched.
Existing entries have no salt and keep hashing as before.

awards.accreditation_ends_before_contract: set at the decision when the winner's accreditation for the service
ends before the contract would ({valid_until, contract_end}), so the department sees it on the award.

Both only add nullable columns (a plain ALTER TABLE ADD COLUMN on SQLite too: the awards table and its partial
unique indexes are not rebuilt). A branch from 0002, parallel to other features' migrations
(services.common.migrations.upgrade applies every head).

Revision ID: 0410
Revises: 0002
Create Date: 2026-12-04 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0410"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("salt", sa.String(length=64), nullable=True))
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accreditation_ends_before_contract", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.drop_column("accreditation_ends_before_contract")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("salt")
