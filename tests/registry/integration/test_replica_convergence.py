"""Contracting's eligibility replica converges on the registry's validity answers from the registry's events alone,
whatever order they arrive in and however often they are replayed.

The events are the ones the registry's own use cases commit to its outbox; contracting applies them with its own
consumer function. This is the one registry test that imports contracting code.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from itertools import product

import pytest
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.call import Call
from services.common.db import make_engine, make_session_factory
from services.common.unit_of_work import UnitOfWork
from services.contracting.service_layer.eligibility import apply_registry_event, eligible_provider_ids
from services.registry.adapters.orm import OutboxMessage
from services.registry.service_layer.accreditations import (
    change_accreditation_status,
    expire_accreditations,
    renew_accreditation,
)
from services.registry.service_layer.commands import (
    ChangeAccreditationStatus,
    GrantAccreditation,
    RegisterProvider,
    RenewAccreditation,
    UpdateProvider,
)
from services.registry.service_layer.handlers import grant_accreditation, register_provider
from services.registry.service_layer.providers import update_provider
from services.registry.service_layer.queries import accredited_provider_ids
from tests.conftest import migrated_sqlite_url
from tests.registry.conftest import Actor

NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
OPERATOR = Actor("1", "operator")
SERVICES = ("home-care", "day-centre")
DISTRICTS = ("MD-CU", "MD-BA", "MD-IA")
DAYS = (date(2026, 6, 1), date(2027, 1, 5), date(2028, 6, 1), date(2030, 6, 1))


def grant(uow, provider_id: int, service: str, certificate: str, valid_to: date) -> int:
    terms = GrantAccreditation(service, "ANAS", certificate, date(2026, 1, 1), valid_to)
    return grant_accreditation(Call(uow(), None, NOW), provider_id, terms).id


def run_registry_history(uow) -> None:
    """A year of the register: grants, profile edits, a suspension lifted, a revocation, expiry and a renewal."""

    def operator() -> Call:
        return Call(uow(), OPERATOR, NOW)

    p1, p2, p3, p4 = (
        register_provider(operator(), RegisterProvider(f"100360001234{n}", f"AO {n}", districts_served=districts)).id
        for n, districts in enumerate((["MD-CU"], ["MD-CU", "MD-BA"], ["MD-BA"], ["MD-CU"]))
    )
    a1 = grant(uow, p1, "home-care", "HC-1", date(2029, 12, 31))
    a2 = grant(uow, p2, "home-care", "HC-2", date(2026, 12, 31))
    a3 = grant(uow, p3, "home-care", "HC-3", date(2029, 12, 31))
    a4 = grant(uow, p4, "day-centre", "DC-4", date(2029, 12, 31))
    grant(uow, p1, "day-centre", "DC-1", date(2027, 12, 31))
    update_provider(operator(), p2, UpdateProvider({"districts_served": ["MD-BA"]}))
    update_provider(
        operator(), p2, UpdateProvider({"districts_served": ["MD-BA", "MD-IA"], "phone": "+373 60 000 000"})
    )
    change_accreditation_status(operator(), a1, ChangeAccreditationStatus("suspend", "inspection"))
    change_accreditation_status(operator(), a1, ChangeAccreditationStatus("reinstate"))
    change_accreditation_status(operator(), a3, ChangeAccreditationStatus("revoke", "licence withdrawn"))
    expire_accreditations(operator(), date(2027, 1, 5))
    renew_accreditation(operator(), a2, RenewAccreditation(date(2031, 12, 31)))
    update_provider(operator(), p4, UpdateProvider({"status": "suspended"}))
    change_accreditation_status(operator(), a4, ChangeAccreditationStatus("suspend", "provider under review"))
    update_provider(operator(), p1, UpdateProvider({"districts_served": ["MD-CU", "MD-IA"]}))


@pytest.fixture
def registry_history(tmp_path):
    """The registry's session factory after the history, and the events it committed, in commit order."""
    (tmp_path / "registry").mkdir()
    engine = make_engine(migrated_sqlite_url("registry", tmp_path / "registry"))
    sessions = make_session_factory(engine)
    run_registry_history(lambda: UnitOfWork(sessions, OutboxMessage, producer="registry"))
    with sessions() as session:
        events = [
            Envelope.from_dict(body) for body in session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id))
        ]
    yield sessions, events
    engine.dispose()


@pytest.fixture
def replica_sessions(tmp_path):
    """A factory of fresh contracting databases, migrated with contracting's own history."""
    engines = []

    def fresh(name: str):
        directory = tmp_path / name
        directory.mkdir()
        engine = make_engine(migrated_sqlite_url("contracting", directory))
        engines.append(engine)
        return make_session_factory(engine)

    yield fresh
    for engine in engines:
        engine.dispose()


def feed(sessions, events: list[Envelope]) -> None:
    for event in events:
        with sessions() as session, session.begin():
            apply_registry_event(session, event)


def assert_same_answers(registry_sessions, replica_sessions) -> None:
    with registry_sessions() as registry, replica_sessions() as replica:
        for service, district, day in product(SERVICES, DISTRICTS, DAYS):
            truth = accredited_provider_ids(registry, service, district, day)
            assert eligible_provider_ids(replica, service, district, day) == truth, (service, district, day)


def test_the_history_exercises_every_kind_of_registry_event(registry_history):
    _sessions, events = registry_history
    assert {event.type for event in events} == {
        "service_type.added",  # the migrations announce the nomenclature
        "provider.registered",
        "provider.updated",
        "accreditation.granted",
        "accreditation.suspended",
        "accreditation.reinstated",
        "accreditation.revoked",
        "accreditation.expired",
        "accreditation.renewed",
    }


def test_in_commit_order_the_replica_answers_as_the_registry_does_and_not_trivially(registry_history, replica_sessions):
    sessions, events = registry_history
    replica = replica_sessions("in-order")
    feed(replica, events)
    assert_same_answers(sessions, replica)
    with sessions() as registry:
        assert accredited_provider_ids(registry, "home-care", "MD-IA", date(2028, 6, 1)) == [1, 2]
        assert accredited_provider_ids(registry, "day-centre", "MD-CU", date(2027, 1, 5)) == [1]


def test_a_late_older_event_does_not_undo_a_newer_one(registry_history, replica_sessions):
    sessions, events = registry_history
    replica = replica_sessions("late")
    # Every newer event first, then each older one again: the old states must all lose.
    feed(replica, list(reversed(events)))
    assert_same_answers(sessions, replica)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_shuffled_and_replayed_events_converge_on_the_registrys_truth(registry_history, replica_sessions, seed):
    sessions, events = registry_history
    shuffler = random.Random(seed)
    delivered = events + shuffler.sample(events, k=len(events) // 2)  # half of them redelivered
    shuffler.shuffle(delivered)
    replica = replica_sessions(f"shuffled-{seed}")
    feed(replica, delivered)
    assert_same_answers(sessions, replica)
