"""Deadlines as scheduled Prefect runs: one pending run per tender and stage, moved with the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prefect import flow

from flows.scheduling import TenderRef, pending_runs, schedule_stage

TENDER = TenderRef(tender_id=41, ocid="ocds-test-41", district_code="MD-CU", service_type="home-care")


@flow(name="deadline-stage")
def deadline_stage(tender_id: int, ocid: str) -> int:
    return tender_id


@pytest.fixture(scope="module")
def deployment(prefect_server):
    return deadline_stage.to_deployment(name="deadline-stage").apply()


def test_a_deadline_becomes_one_scheduled_run_named_and_tagged_after_the_tender(deployment):
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    run = schedule_stage(TENDER, "deadline-stage", at)
    assert run.name == "ocds-test-41/deadline-stage"
    assert {"tender:41", "district:MD-CU", "service:home-care", "stage:deadline-stage"} <= set(run.tags)
    assert [r.id for r in pending_runs(TENDER, "deadline-stage")] == [run.id]


def test_asking_again_for_the_same_deadline_finds_the_same_run(deployment):
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    first = schedule_stage(TENDER, "deadline-stage", at)
    second = schedule_stage(TENDER, "deadline-stage", at)
    assert first.id == second.id
    assert len(pending_runs(TENDER, "deadline-stage")) == 1


def test_a_moved_deadline_cancels_the_old_run_and_leaves_exactly_one_pending(deployment):
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    old = schedule_stage(TENDER, "deadline-stage", at)
    new = schedule_stage(TENDER, "deadline-stage", at + timedelta(days=2))
    pending = pending_runs(TENDER, "deadline-stage")
    assert [run.id for run in pending] == [new.id]
    assert new.id != old.id
    assert pending[0].expected_start_time == at + timedelta(days=2)
