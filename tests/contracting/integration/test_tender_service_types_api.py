"""A call's service type comes from the registry's nomenclature, as contracting's replica has it from the bus."""

from __future__ import annotations

import kombu
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.bus.topology import CONSUMER_BINDINGS
from services.common.migrations import upgrade
from services.common.reference_data import SERVICE_TYPES
from services.contracting.entrypoints.consumer import QUEUE, build_consumer
from services.contracting.service_layer.eligibility import apply_registry_event
from tests.contracting.conftest import tender_body


def create(driver, **changes):
    body = tender_body(driver.clock, **changes)
    return driver.client.post("/api/v1/tenders", json=body, headers=driver.tokens.authority)


def test_a_made_up_service_type_is_refused_naming_the_field_and_the_known_codes(driver):
    response = create(driver, service_type="space-travel")
    assert response.status_code == 422, response.json
    assert "service_type" in response.json["errors"]
    assert "space-travel" in response.json["message"]
    assert "home-care" in response.json["known_service_types"]
    assert "home-care" in response.json["errors"]["service_type"][0]
    listed = driver.client.get("/api/v1/tenders", headers=driver.tokens.authority).json
    assert "space-travel" not in {tender["service_type"] for tender in listed}


def test_every_service_type_the_registry_seeds_is_accepted(driver):
    for label in SERVICE_TYPES:
        assert create(driver, service_type=label.code).status_code == 201, label.code


def test_a_service_type_the_registry_adds_later_is_accepted_once_its_event_arrives(driver):
    assert create(driver, service_type="supported-employment").status_code == 422
    payload = {"code": "supported-employment", "name_ro": "Angajare asistată", "name_ru": "Трудоустройство"}
    payload.update(name_en="Supported employment", version=1)
    with driver.app.extensions["service_context"].session_factory.begin() as session:
        apply_registry_event(session, Envelope(type="service_type.added", payload=payload, producer="registry"))
    assert create(driver, service_type="supported-employment").status_code == 201


def test_contracting_s_queue_is_bound_to_the_registry_s_service_type_events():
    assert "service_type.#" in CONSUMER_BINDINGS[QUEUE]


def test_the_nomenclature_a_fresh_registry_seeds_reaches_contracting_through_its_outbox_and_consumer(
    tmp_path, token_mint, clock
):
    """No hand seeding: the registry's migrated database announces its service types in its own outbox, and
    contracting's real consumer applies them, so a call for a seeded service is accepted and a made-up one not."""
    from services.common.db import make_engine, make_session_factory
    from services.contracting.entrypoints.api import create_app
    from services.registry.adapters.orm import OutboxMessage as RegistryOutbox

    registry_url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    upgrade("registry", registry_url)
    engine = make_engine(registry_url)
    with make_session_factory(engine)() as session:
        events = [Envelope.from_dict(body) for body in session.scalars(select(RegistryOutbox.body))]
    engine.dispose()
    announced = {e.payload["code"] for e in events if e.type == "service_type.added"}
    assert announced == {label.code for label in SERVICE_TYPES}

    url = f"sqlite:///{tmp_path / 'contracting.sqlite'}"
    upgrade("contracting", url)
    app = create_app({"DATABASE_URL": url, "BUS_URL": "memory://"}, token_verifier=token_mint.verifier, clock=clock)
    consumer = build_consumer(app.extensions["service_context"], kombu.Connection("memory://"))
    for envelope in events:
        consumer.process(envelope)
    client = app.test_client()
    headers = token_mint.headers("authority", "11", district_code="MD-CU")
    accepted = client.post("/api/v1/tenders", json=tender_body(clock, service_type="day-centre"), headers=headers)
    assert accepted.status_code == 201, accepted.json
    refused = client.post("/api/v1/tenders", json=tender_body(clock, service_type="space-travel"), headers=headers)
    assert refused.status_code == 422
    app.extensions["service_context"].engine.dispose()


def test_a_draft_left_with_a_made_up_service_type_cannot_be_published(driver):
    """A draft written before the rule keeps its code; publishing it is refused the same way."""
    from services.contracting.adapters.orm_tendering import Tender

    driver.create()
    with driver.app.extensions["service_context"].session_factory.begin() as session:
        session.get(Tender, driver.tender["id"]).service_type = "space-travel"
    response = driver.client.post(f"{driver.url}/publish", headers=driver.tokens.authority)
    assert response.status_code == 422, response.json
    assert "service_type" in response.json["errors"]
    assert driver.client.get("/api/v1/tenders").json == []
