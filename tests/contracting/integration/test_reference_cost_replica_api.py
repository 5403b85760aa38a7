"""Contracting keeps a replica of the registry's reference costs (reference_cost.set events, replays harmless) and
publishes each call's lots with the one that applies (OCDS tender.lots[].referenceCost, issue 20)."""

from __future__ import annotations

from datetime import datetime

import kombu
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.bus.topology import CONSUMER_BINDINGS
from services.common.reference_costs import call_year
from services.contracting.adapters.orm_replicas import ReferenceCostReplica
from services.contracting.entrypoints.consumer import QUEUE, build_consumer
from tests.contracting.unit.test_ocds_schema_validation import assert_valid

SOURCE = "Decizia Consiliului municipal Chișinău nr. 5/12 din 14.11.2026"


def reference_cost_set(year: int, district: str = "MD-CU", amount: str = "9500.00", version: int = 1, **extra):
    payload = {
        "service_type": "home-care",
        "district_code": district,
        "year": year,
        "amount": amount,
        "currency": "MDL",
        "source": SOURCE,
        "version": version,
        "updated_at": "2026-11-20T10:00:00+00:00",
        **extra,
    }
    return Envelope(type="reference_cost.set", payload=payload, producer="registry")


def consume(driver, *envelopes: Envelope) -> None:
    consumer = build_consumer(driver.app.extensions["service_context"], kombu.Connection("memory://"))
    for envelope in envelopes:
        consumer.process(envelope)


def replica_rows(driver) -> list[tuple]:
    with driver.app.extensions["service_context"].session_factory() as session:
        rows = session.scalars(select(ReferenceCostReplica).order_by(ReferenceCostReplica.district_code))
        return [(r.district_code, r.year, str(r.amount), r.version) for r in rows]


def the_call_year(driver) -> int:
    driver.create()
    return call_year(datetime.fromisoformat(driver.tender["submission_deadline"].replace("Z", "+00:00")))


def published_lots(driver) -> list[dict]:
    release = driver.client.get(f"/api/v1/ocds/releases?ocid={driver.tender['ocid']}").json
    assert_valid(release, "release-package")
    (published,) = [r for r in release["releases"] if "tender" in r["tag"]]
    return published["tender"]["lots"]


def test_contracting_s_queue_is_bound_to_the_registry_s_reference_cost_events():
    assert "reference_cost.#" in CONSUMER_BINDINGS[QUEUE]


def test_a_replayed_or_older_reference_cost_event_changes_nothing(driver):
    year = 2027
    newer = reference_cost_set(year, amount="9800.00", version=2)
    consume(driver, reference_cost_set(year), newer)
    consume(driver, newer, reference_cost_set(year, amount="1.00"))  # a redelivery, then an older version
    assert replica_rows(driver) == [("MD-CU", year, "9800.00", 2)]


def test_a_published_lot_carries_the_district_s_reference_cost_for_the_call_s_year(driver):
    year = the_call_year(driver)
    consume(driver, reference_cost_set(year, "*", "8000.00"), reference_cost_set(year, "MD-CU", "9500.50"))
    driver.publish()
    (lot,) = published_lots(driver)
    assert lot["referenceCost"] == {
        "amount": {"amount": 9500.5, "currency": "MDL"},
        "unit": "place per year",
        "year": year,
        "districtCode": "MD-CU",
        "source": SOURCE,
    }
    assert lot["value"] == {"amount": 400000, "currency": "MDL"}


def test_without_a_district_value_the_lot_carries_the_national_one(driver):
    year = the_call_year(driver)
    consume(driver, reference_cost_set(year, "*", "8000.00"), reference_cost_set(year, "MD-OR", "7000.00"))
    driver.publish()
    (lot,) = published_lots(driver)
    assert lot["referenceCost"]["districtCode"] == "*"
    assert lot["referenceCost"]["amount"]["amount"] == 8000


def test_a_lot_carries_no_reference_cost_when_none_is_set_for_the_call_s_year(driver):
    year = the_call_year(driver)
    consume(driver, reference_cost_set(year - 1, "MD-CU"))
    driver.publish()
    (lot,) = published_lots(driver)
    assert "referenceCost" not in lot
