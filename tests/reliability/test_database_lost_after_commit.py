"""The database lost right after a write's COMMIT: the caller must still hear that the write happened.

The PostgreSQL restart test caught registrations answered 500 although they had been committed: the handler
read the new provider's accreditations (a lazy load, a new query) after the commit, and the database went away
in between. An operator told "error" retries and gets 409 "already registered". Here the same window is opened
on purpose, deterministically: every statement after the commit fails the way a dropped server connection does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, event, select
from sqlalchemy.exc import OperationalError

from services.common.db import make_engine
from services.common.migrations import upgrade
from services.registry.adapters.orm import OutboxMessage, Provider
from services.registry.entrypoints.api import create_app

pytestmark = [pytest.mark.reliability, pytest.mark.postgres]

PROVIDER = {"idno": "1003600077001", "legal_name": "AO Casa Speranței", "districts_served": ["MD-CU"]}


class DatabaseLostAfterCommit:
    """Once a transaction has committed, every further statement fails as if the server had gone away."""

    def __init__(self, context) -> None:
        self.lost = False
        event.listen(context.session_factory, "after_commit", self.lose)
        event.listen(context.engine, "before_cursor_execute", self.fail_when_lost)

    def lose(self, _session) -> None:
        self.lost = True

    def fail_when_lost(self, _connection, _cursor, statement, parameters, _context, _executemany) -> None:
        if self.lost:
            raise OperationalError(statement, parameters, ConnectionError("server closed the connection unexpectedly"))


@pytest.fixture
def registry(postgres_database, brokerless_bus_url, tmp_path, token_mint):
    upgrade("registry", postgres_database)
    engine = make_engine(postgres_database)
    with engine.begin() as connection:
        connection.execute(delete(OutboxMessage))  # the migrations' announcements: not this test's events
    engine.dispose()
    config = {"DATABASE_URL": postgres_database, "BUS_URL": brokerless_bus_url, "JWT_KEYS_DIR": str(tmp_path / "k")}
    app = create_app(config, token_verifier=token_mint.verifier)
    yield app
    app.extensions["service_context"].engine.dispose()


def test_a_registration_committed_just_before_the_database_goes_away_is_answered_201(registry, token_mint):
    context = registry.extensions["service_context"]
    fault = DatabaseLostAfterCommit(context)

    response = registry.test_client().post(
        "/api/v1/providers", json=PROVIDER, headers=token_mint.headers("operator", "op-1")
    )

    fault.lost = False
    with context.session_factory() as session:
        kept = session.scalar(select(Provider).where(Provider.idno == PROVIDER["idno"]))
        events = list(session.scalars(select(OutboxMessage.event_type)))
    assert kept is not None and events == ["provider.registered"], "the registration was committed"
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["idno"] == PROVIDER["idno"]
