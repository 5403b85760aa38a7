"""On PostgreSQL: concurrent expiry checks emit accreditation.expired once per accreditation, and a write based
on a stale read is refused instead of silently overwriting a newer version (which would break the replicas).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.call import Call
from services.common.db import make_engine, make_session_factory
from services.common.errors import Conflict
from services.common.migrations import upgrade
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import Accreditation, OutboxMessage, Provider
from services.registry.service_layer.accreditations import expire_accreditations
from services.registry.service_layer.commands import GrantAccreditation, RegisterProvider, UpdateProvider
from services.registry.service_layer.handlers import grant_accreditation, register_provider
from services.registry.service_layer.providers import update_provider
from services.registry.service_layer.refusals import domain_refusals
from tests.registry.conftest import Actor

pytestmark = pytest.mark.postgres

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SERVICES = ("home-care", "day-centre", "respite-care", "mobile-team")


@pytest.fixture
def sessions(postgres_database):
    upgrade("registry", postgres_database)
    engine = make_engine(postgres_database, pool_size=8)
    yield make_session_factory(engine)
    engine.dispose()


def call_factory(sessions):
    """A fresh call each time, as an operator would make it at NOW."""
    return lambda: Call(UnitOfWork(sessions, OutboxMessage, producer="registry"), Actor("1", "operator"), NOW)


def events(sessions, event_type: str) -> list[Envelope]:
    with sessions() as session:
        query = select(OutboxMessage.body).where(OutboxMessage.event_type == event_type).order_by(OutboxMessage.id)
        return [Envelope.from_dict(body) for body in session.scalars(query)]


def test_concurrent_expiry_checks_expire_each_accreditation_exactly_once(sessions):
    call = call_factory(sessions)
    lapsed = []
    for n in range(5):
        provider = register_provider(call(), RegisterProvider(f"10036000000{n:02d}", f"AO {n}")).id
        for service in SERVICES:
            terms = GrantAccreditation(service, "ANAS", f"{service}-{n}", date(2022, 1, 1), date(2026, 12, 31))
            lapsed.append(grant_accreditation(call(), provider, terms).id)
    runs, failures = [], []
    start = threading.Barrier(4)

    def run_check() -> None:
        start.wait()
        try:
            runs.append(expire_accreditations(call(), date(2027, 3, 1)))
        except Exception as exc:  # collected: the assertion below names it
            failures.append(exc)

    threads = [threading.Thread(target=run_check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(id_ for run in runs for id_ in run) == sorted(lapsed)
    expired = Counter(event.payload["accreditation_id"] for event in events(sessions, "accreditation.expired"))
    assert expired == Counter(lapsed), "each lapsed accreditation announced exactly once"
    with sessions() as session:
        assert set(session.scalars(select(Accreditation.version))) == {2}


def test_a_write_based_on_a_stale_read_is_refused_and_the_newer_version_stands(sessions):
    call = call_factory(sessions)
    provider_id = register_provider(call(), RegisterProvider("1003600012345", "AO Casa Speranței")).id
    with sessions() as stale:
        provider = stale.get(Provider, provider_id)  # read at version 1
        update_provider(call(), provider_id, UpdateProvider({"phone": "+373 22 111 111"}))
        provider.phone = "+373 22 999 999"
        provider.version += 1
        with pytest.raises(Conflict, match="changed by someone else"), domain_refusals():
            stale.flush()
    with sessions() as session:
        stored = session.get(Provider, provider_id)
        assert (stored.phone, stored.version) == ("+373 22 111 111", 2)
    assert [event.payload["version"] for event in events(sessions, "provider.updated")] == [2]
