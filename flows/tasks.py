"""Tasks shared by the stage flows: small, typed, retried on transient faults, safe to repeat."""

from __future__ import annotations

from datetime import datetime, timedelta

from prefect import task

from flows.client import ServiceClient
from flows.scheduling import TenderRef, schedule_stage

RETRIES = {"retries": 3, "retry_delay_seconds": [2, 5, 15]}
# A deadline run starts this long after the deadline, so contracting's clock has surely passed it when it asks.
DEADLINE_MARGIN = timedelta(seconds=1)


@task(**RETRIES)
def load_tender(tender_id: int) -> dict:
    """Read the call as contracting has it now."""
    return ServiceClient().tender(tender_id)


@task(**RETRIES)
def apply_due_transitions(tender_id: int) -> dict:
    """Apply whatever the clock has made due (contracting decides; repeating changes nothing)."""
    return ServiceClient().apply_due_transitions(tender_id)


@task(**RETRIES)
def schedule_next_stage(tender: dict, stage: str, at: str, parameters: dict | None = None) -> str:
    """The one pending run of ``stage`` for this tender, due ``at`` (moved if the deadline moved)."""
    due = datetime.fromisoformat(at) + DEADLINE_MARGIN
    run = schedule_stage(TenderRef.from_payload(tender_payload(tender)), stage, due, parameters)
    return str(run.id)


def tender_payload(tender: dict) -> dict:
    """The tender's identity in the shape events carry it."""
    return {
        "tender_id": tender["id"],
        "ocid": tender["ocid"],
        "district_code": tender["district_code"],
        "service_type": tender["service_type"],
    }
