"""Contracting's tender API on its migrated database: two-step creation, district scoping, due transitions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.contracting.adapters.orm import OutboxMessage
from services.contracting.entrypoints.api import create_app
from services.contracting.service_layer.eligibility import apply_registry_event
from tests.clock import Clock
from tests.conftest import migrated_sqlite_url
from tests.contracting.conftest import seed_service_types


@pytest.fixture
def app(tmp_path, brokerless_bus_url, token_mint, clock):
    url = migrated_sqlite_url("contracting", tmp_path)
    app = create_app(
        {"DATABASE_URL": url, "BUS_URL": brokerless_bus_url}, token_verifier=token_mint.verifier, clock=clock
    )
    with app.extensions["service_context"].session_factory.begin() as session:
        seed_service_types(session)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def authority(token_mint):
    return token_mint.headers("authority", "11", district_code="MD-CU")


def draft(clock: Clock, **changes) -> dict:
    body = {
        "district_code": "MD-CU",
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu",
        "enquiry_end": (clock.now + timedelta(days=5)).isoformat(),
        "submission_deadline": (clock.now + timedelta(days=15)).isoformat(),
        "lots": [{"title": "Sectorul Centru", "places": 40, "budget": "400000.00", "duration_months": 12}],
    }
    body.update(changes)
    return body


def outbox_types(app) -> list[str]:
    with app.extensions["service_context"].session_factory() as session:
        return list(session.scalars(select(OutboxMessage.event_type).order_by(OutboxMessage.id)))


def test_a_draft_is_invisible_to_the_public_and_publishing_emits_tender_published(app, client, authority, clock):
    tender = client.post("/api/v1/tenders", json=draft(clock), headers=authority).json
    assert tender["status"] == "draft" and outbox_types(app) == []
    assert client.get(f"/api/v1/tenders/{tender['id']}").status_code == 404
    published = client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=authority)
    assert published.status_code == 200
    assert published.json["status"] == "active.enquiries"
    assert published.json["next_check"]["action"] == "end_enquiries"
    assert outbox_types(app) == ["tender.published"]
    assert client.get(f"/api/v1/tenders/{tender['id']}").json["ocid"] == f"ocds-sscp01-{tender['id']}"


def test_publishing_twice_is_refused_with_409_naming_the_current_status(client, authority, clock):
    tender = client.post("/api/v1/tenders", json=draft(clock), headers=authority).json
    client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=authority)
    again = client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=authority)
    assert again.status_code == 409
    assert again.json["current_status"] == "active.enquiries"
    assert again.json["allowed_transitions"] == ["cancel", "end_enquiries"]


def test_an_authority_cannot_create_for_another_district_nor_see_its_drafts(client, token_mint, authority, clock):
    refused = client.post("/api/v1/tenders", json=draft(clock, district_code="MD-BA"), headers=authority)
    assert refused.status_code == 403
    other = token_mint.headers("authority", "12", district_code="MD-BA")
    tender = client.post("/api/v1/tenders", json=draft(clock, district_code="MD-BA"), headers=other).json
    assert client.get(f"/api/v1/tenders/{tender['id']}", headers=authority).status_code == 404


def test_a_cso_cannot_create_tenders(client, token_mint, clock):
    response = client.post("/api/v1/tenders", json=draft(clock), headers=token_mint.headers("cso", provider_id=3))
    assert response.status_code == 403


def test_deadlines_out_of_order_are_refused_with_422(client, authority, clock):
    body = draft(clock, submission_deadline=(clock.now + timedelta(days=1)).isoformat())
    response = client.post("/api/v1/tenders", json=body, headers=authority)
    assert response.status_code == 422 and "submission_deadline" in response.json["errors"]


def test_due_transitions_apply_once_and_repeating_them_changes_nothing(app, client, authority, token_mint, clock):
    tender = client.post("/api/v1/tenders", json=draft(clock), headers=authority).json
    client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=authority)
    service = token_mint.headers("service")
    clock.now += timedelta(days=16)
    first = client.post(f"/api/v1/tenders/{tender['id']}/transitions/due", headers=service).json
    second = client.post(f"/api/v1/tenders/{tender['id']}/transitions/due", headers=service).json
    assert first["applied"] == ["end_enquiries", "close_submissions"]
    assert first["tender"]["status"] == "active.evaluation"
    assert second["applied"] == []
    assert outbox_types(app) == ["tender.published", "tender.end_enquiries", "tender.close_submissions"]


def registry_event(event_type: str, payload: dict) -> Envelope:
    return Envelope(type=event_type, payload=payload, producer="registry")


def provider_event(version: int, districts: list[str], status: str = "active") -> Envelope:
    payload = {"provider_id": 5, "idno": "1003600012345", "legal_name": "AO", "districts_served": districts}
    return registry_event("provider.updated", {**payload, "status": status, "version": version})


def test_invitations_go_to_eligible_providers_once_even_when_asked_twice(app, client, authority, token_mint, clock):
    context = app.extensions["service_context"]
    with context.session_factory.begin() as session:
        apply_registry_event(session, provider_event(1, ["MD-CU"]))
        accreditation = {"accreditation_id": 9, "provider_id": 5, "service_type": "home-care", "status": "active"}
        accreditation.update(valid_from="2026-01-01", valid_to="2030-12-31", version=1)
        apply_registry_event(session, registry_event("accreditation.granted", accreditation))
    tender = client.post("/api/v1/tenders", json=draft(clock), headers=authority).json
    client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=authority)
    service = token_mint.headers("service")
    first = client.post(f"/api/v1/tenders/{tender['id']}/invitations", headers=service).json
    second = client.post(f"/api/v1/tenders/{tender['id']}/invitations", headers=service).json
    assert first["newly_invited"] == [5] and second["newly_invited"] == [] and second["invited"] == [5]
    assert outbox_types(app).count("tender.invitation_sent") == 1


def test_the_replica_converges_whatever_the_order_and_ignores_replays(app):
    from services.contracting.adapters.orm_replicas import ProviderReplica

    context = app.extensions["service_context"]
    newer, older = provider_event(3, ["MD-BA"], status="suspended"), provider_event(2, ["MD-CU"])
    with context.session_factory.begin() as session:
        apply_registry_event(session, newer)
        apply_registry_event(session, older)  # arrives late: must not win
        apply_registry_event(session, newer)  # replayed: changes nothing
    with context.session_factory() as session:
        replica = session.get(ProviderReplica, 5)
        assert (replica.version, replica.status, replica.districts_served) == (3, "suspended", ["MD-BA"])
