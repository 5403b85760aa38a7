"""The flow bridge: events to Prefect runs, each event at most one run even when redelivered."""

from __future__ import annotations

import pytest
from prefect import flow

from flows.bridge import stage_run_for, start_stage_run
from services.common.bus.envelope import Envelope

PAYLOAD = {"tender_id": 7, "ocid": "ocds-test-7", "district_code": "MD-BA", "service_type": "day-centre"}


@flow(name="tender-stage")
def fake_tender_stage(tender_id: int, ocid: str) -> None:
    """Stands in for the real flow: the bridge only creates the run."""


@pytest.fixture(scope="module")
def deployment(prefect_server):
    return fake_tender_stage.to_deployment(name="tender-stage").apply()


def test_tender_published_maps_to_a_tender_stage_run_named_and_tagged_after_the_tender():
    run = stage_run_for(Envelope(type="tender.published", payload=PAYLOAD, producer="contracting"))
    assert run.deployment == "tender-stage/tender-stage"
    assert run.flow_run_name == "ocds-test-7/tender-stage"
    assert run.parameters == {"tender_id": 7, "ocid": "ocds-test-7"}
    assert {"district:MD-BA", "service:day-centre", "tender:7"} <= set(run.tags)


def test_events_that_start_no_stage_are_ignored():
    assert stage_run_for(Envelope(type="bid.submitted", payload=PAYLOAD, producer="contracting")) is None


def test_evaluation_completed_starts_the_award_stage_in_its_decided_phase():
    run = stage_run_for(Envelope(type="evaluation.completed", payload=PAYLOAD, producer="contracting"))
    assert run.deployment == "award-stage/award-stage" and run.parameters["phase"] == "decided"


def test_a_redelivered_event_finds_the_run_it_started_instead_of_starting_a_second(deployment):
    envelope = Envelope(type="tender.published", payload=PAYLOAD, producer="contracting")
    first = start_stage_run(envelope)
    again = start_stage_run(Envelope.from_dict(envelope.to_dict()))
    assert first.id == again.id
    other = start_stage_run(Envelope(type="tender.published", payload=PAYLOAD, producer="contracting"))
    assert other.id != first.id
