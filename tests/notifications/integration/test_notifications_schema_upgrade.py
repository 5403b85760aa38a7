"""Upgrading the notifications database from the skeleton's schema keeps its rows and explains the unsendable."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from services.common.migrations import upgrade


def test_deliveries_queued_before_rendering_existed_become_dead_with_the_reason(tmp_path):
    url = f"sqlite:///{tmp_path / 'notifications.sqlite'}"
    upgrade("notifications", url, "0001")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO deliveries (event_id, event_type, recipient, channel, language, status, attempts, "
                "created_at) VALUES ('e1', 'tender.published', 'provider:1', 'email', 'ro', 'queued', 0, "
                "'2026-11-24 09:00:00')"
            )
        )
    upgrade("notifications", url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT status, last_error, priority FROM deliveries")).one()
    engine.dispose()
    assert row.status == "dead" and "before rendering existed" in row.last_error and row.priority == "normal"
