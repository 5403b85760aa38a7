"""Deadlines as Prefect scheduled flow runs: exactly one pending run per tender and stage.

A stage that must happen at a deadline (evaluation at the submission deadline, award at the standstill end) is a
flow run scheduled for that moment, visible in the Prefect UI. When the deadline moves, the old pending run is
cancelled and a new one scheduled; asking again for the same moment finds the run already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.deployments import run_deployment
from prefect.states import Cancelled

RUN_AGAIN = "AwaitingRetry"  # the state the stage watch gives a run whose runner died
DEAD_RUNS_SKIPPED = 5  # more dead runs of one moment than this is a bug to look at, not to loop on


@dataclass(frozen=True)
class TenderRef:
    """What names and tags a tender's runs in the Prefect UI."""

    tender_id: int
    ocid: str
    district_code: str
    service_type: str

    @classmethod
    def from_payload(cls, payload: dict) -> TenderRef:
        return cls(payload["tender_id"], payload["ocid"], payload["district_code"], payload["service_type"])

    def tags(self, stage: str) -> list[str]:
        return [
            f"district:{self.district_code}",
            f"service:{self.service_type}",
            f"tender:{self.tender_id}",
            f"stage:{stage}",
        ]

    def parameters(self) -> dict:
        return {"tender_id": self.tender_id, "ocid": self.ocid}


def pending_runs(tender: TenderRef, stage: str) -> list[FlowRun]:
    """Runs of this tender's stage that are scheduled and not yet started."""
    pending = FlowRunFilter(
        tags=FlowRunFilterTags(all_=[f"tender:{tender.tender_id}", f"stage:{stage}"]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
    )
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(flow_run_filter=pending, sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=50)


def schedule_stage(tender: TenderRef, stage: str, at: datetime, parameters: dict | None = None) -> FlowRun:
    """The one pending ``stage`` run of ``tender``, due ``at``; other pending runs of it are cancelled."""
    keep = None
    with get_client(sync_client=True) as client:
        for run in pending_runs(tender, stage):
            if keep is None and run.expected_start_time == at:
                keep = run
                continue
            if run.state_name == RUN_AGAIN:
                continue  # a run whose runner died, about to run again (flows/stage_watch.py): not ours to cancel
            client.set_flow_run_state(run.id, Cancelled(message=f"rescheduled to {at.isoformat()}"), force=True)
    if keep is not None:
        return keep
    key = f"{stage}:{tender.tender_id}:{at.isoformat()}"
    for _ in range(DEAD_RUNS_SKIPPED):
        run = run_deployment(
            f"{stage}/{stage}",
            parameters={**tender.parameters(), **(parameters or {})},
            scheduled_time=at,
            flow_run_name=f"{tender.ocid}/{stage}",
            tags=tender.tags(stage),
            idempotency_key=key,
            timeout=0,
            as_subflow=False,
        )
        if not _dead(run):
            return run
        # The key found this moment's earlier run, cancelled (the deadline moved away and back) or crashed: it
        # will never run, so schedule the next one, keyed after it (two callers at once still make one run).
        key = f"{key}:after:{run.id}"
    return run


def _dead(run: FlowRun) -> bool:
    """Ended without completing (cancelled, crashed, failed). A RUNNING run whose runner died is not dead: the
    stage watch (flows/stage_watch.py) schedules that same run again."""
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run.id).state  # the run_deployment answer shows the state it asked for
    return state is not None and state.is_final() and not state.is_completed()
