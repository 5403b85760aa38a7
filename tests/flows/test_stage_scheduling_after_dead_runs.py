"""One pending run per tender and stage, even where an earlier run of the same deadline was cancelled or died.

A run's idempotency key names the tender, stage and moment, so asking again for a moment whose run was cancelled
(the deadline moved away and back) or crashed (its runner died) used to find that dead run and schedule nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.states import AwaitingRetry, Crashed, Running

from flows.scheduling import TenderRef, pending_runs, schedule_stage

TENDER = TenderRef(tender_id=42, ocid="ocds-test-42", district_code="MD-CU", service_type="home-care")


@flow(name="dead-run-stage")
def dead_run_stage(tender_id: int, ocid: str) -> int:
    return tender_id


@pytest.fixture(scope="module")
def deployment(prefect_server):
    return dead_run_stage.to_deployment(name="dead-run-stage").apply()


def test_a_deadline_moved_away_and_back_has_its_pending_run_again(deployment):
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    first = schedule_stage(TENDER, "dead-run-stage", at)
    schedule_stage(TENDER, "dead-run-stage", at + timedelta(days=2))  # cancels the first

    back = schedule_stage(TENDER, "dead-run-stage", at)

    pending = pending_runs(TENDER, "dead-run-stage")
    assert [run.id for run in pending] == [back.id]
    assert back.id != first.id and pending[0].expected_start_time == at
    assert schedule_stage(TENDER, "dead-run-stage", at).id == back.id, "asking again still finds one"


def test_a_deadline_whose_run_crashed_is_scheduled_again(deployment):
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=9)
    crashed = schedule_stage(TENDER, "dead-run-stage", at)
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(crashed.id, Crashed(message="its runner died"), force=True)

    again = schedule_stage(TENDER, "dead-run-stage", at)

    assert again.id != crashed.id
    assert [run.id for run in pending_runs(TENDER, "dead-run-stage")] == [again.id]


def test_a_run_the_stage_watch_scheduled_again_is_not_cancelled_by_scheduling_another_deadline(deployment):
    """Seen in the demo: the award stage's re-run of a dead "decided" run was cancelled as if it were the pending
    standstill-end run when that was scheduled a moment later."""
    other = TenderRef(tender_id=43, ocid="ocds-test-43", district_code="MD-CU", service_type="home-care")
    rerun = schedule_stage(other, "dead-run-stage", datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1))
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(rerun.id, Running(), force=True)
        client.set_flow_run_state(rerun.id, Crashed(message="no heartbeat for 60 s after heartbeat"), force=True)
        client.set_flow_run_state(rerun.id, AwaitingRetry(message="run again"), force=True)

        standstill_end = schedule_stage(
            other, "dead-run-stage", datetime.now(UTC).replace(microsecond=0) + timedelta(days=6)
        )

        assert client.read_flow_run(rerun.id).state.name == "AwaitingRetry"
    assert {run.id for run in pending_runs(other, "dead-run-stage")} == {rerun.id, standstill_end.id}
