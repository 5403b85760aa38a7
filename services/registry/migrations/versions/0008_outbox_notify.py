"""outbox notify: on PostgreSQL the outbox notifies its relay at commit, so an idle relay waits instead of polling

A statement-level trigger on the outbox calls pg_notify (services/common/bus/outbox_wakeup.py, issue 21). Nothing
on SQLite.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

from services.common.bus.outbox_wakeup import install_notify_trigger, remove_notify_trigger

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    install_notify_trigger(op.get_bind())


def downgrade() -> None:
    remove_notify_trigger(op.get_bind())
