"""A service's replica of the registry, kept by the shared upkeep: each table keeps the fields it has columns for,
the newest version wins whatever the order, and the eligibility query applies the registry's rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import JSON, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from services.common.bus.envelope import Envelope
from services.common.replica import (
    AccreditationColumns,
    ProviderColumns,
    ReplicaTables,
    ServiceTypeColumns,
    apply_registry_event,
    eligible_provider_ids,
)


class Base(DeclarativeBase):
    pass


class Provider(ProviderColumns, Base):
    """Keeps what a notice needs besides the common columns, like notifications' directory."""

    __tablename__ = "providers"

    email: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class Accreditation(AccreditationColumns, Base):
    __tablename__ = "accreditations"


class ServiceType(ServiceTypeColumns, Base):
    __tablename__ = "service_types"


TABLES = ReplicaTables(Provider, Accreditation, ServiceType)
DAY = date(2027, 3, 1)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def provider_event(provider_id: int, version: int, districts=("MD-CU",), status="active") -> Envelope:
    payload = {"provider_id": provider_id, "idno": f"10036000{provider_id:05d}", "legal_name": f"AO {provider_id}"}
    payload.update(districts_served=list(districts), email=None, status=status, version=version)
    return Envelope(type="provider.updated", payload=payload, producer="registry")


def accreditation_event(accreditation_id: int, provider_id: int, version: int = 1, status="active") -> Envelope:
    payload = {"accreditation_id": accreditation_id, "provider_id": provider_id, "service_type": "home-care"}
    payload.update(valid_from="2026-01-01", valid_to="2030-12-31", status=status, version=version)
    return Envelope(type="accreditation.granted", payload=payload, producer="registry")


def test_a_provider_event_fills_the_columns_the_table_has_and_ignores_the_rest(session):
    assert apply_registry_event(session, TABLES, provider_event(5, 1, districts=("MD-CU", "MD-BA")))
    row = session.get(Provider, 5)
    assert (row.legal_name, row.districts_served, row.languages, row.email) == (
        "AO 5",
        ["MD-CU", "MD-BA"],
        ["ro"],
        None,
    )


def test_the_newest_version_wins_whatever_the_order_and_a_replay_changes_nothing(session):
    newer, older = provider_event(5, 3, districts=("MD-BA",), status="suspended"), provider_event(5, 2)
    assert apply_registry_event(session, TABLES, newer)
    assert not apply_registry_event(session, TABLES, older)
    assert not apply_registry_event(session, TABLES, newer)
    row = session.get(Provider, 5)
    assert (row.version, row.status, row.districts_served) == (3, "suspended", ["MD-BA"])


def test_accreditation_and_service_type_events_land_in_their_tables_with_dates_as_dates(session):
    apply_registry_event(session, TABLES, accreditation_event(9, 5))
    names = {"code": "home-care", "name_ro": "Îngrijire", "name_ru": "Уход", "name_en": "Home care", "version": 1}
    apply_registry_event(session, TABLES, Envelope(type="service_type.added", payload=names, producer="registry"))
    accreditation = session.get(Accreditation, 9)
    assert (accreditation.valid_from, accreditation.valid_to) == (date(2026, 1, 1), date(2030, 12, 31))
    assert session.get(ServiceType, "home-care").name_en == "Home care"


def test_an_event_about_something_else_changes_nothing(session):
    other = Envelope(type="tender.published", payload={"tender_id": 1}, producer="contracting")
    assert not apply_registry_event(session, TABLES, other)


def test_only_active_providers_serving_the_district_with_an_active_accreditation_are_eligible(session):
    for event in (
        provider_event(1, 1),
        provider_event(2, 1, status="suspended"),
        provider_event(3, 1, districts=("MD-BA",)),
        provider_event(4, 1),
        provider_event(5, 1),
        accreditation_event(11, 1),
        accreditation_event(12, 2),
        accreditation_event(13, 3),
        accreditation_event(14, 4, status="suspended"),
    ):
        apply_registry_event(session, TABLES, event)
    session.flush()
    assert eligible_provider_ids(session, TABLES, "home-care", "MD-CU", DAY) == [1]
    assert eligible_provider_ids(session, TABLES, "home-care", "MD-CU", date(2031, 1, 1)) == []
    assert eligible_provider_ids(session, TABLES, "day-centre", "MD-CU", DAY) == []
