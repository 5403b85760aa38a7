"""What the round benchmark asks Prefect: the round's flow and task runs, and the baseline's mirror of them.

The baseline creates one no-op flow run (``bench/round_noop.py``) per flow run the round executed, at the same
offset from its start as the real run was created and scheduled for the same offset as the real run was, each
with as many no-op task runs as the real one had: what Prefect alone costs on the same clock.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort

from bench.common import progress
from bench.round_noop import DEPLOYMENT

PAGE = 200  # the Prefect API's largest page
TERMINAL = [StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED]
UNFINISHED = [StateType.PENDING, StateType.RUNNING, StateType.CANCELLING, StateType.PAUSED]


def _every(read) -> list:
    found, offset = [], 0
    while page := read(offset):
        found += page
        offset += len(page)
        if len(page) < PAGE:
            break
    return found


def settle_runs(timeout: float = 30) -> None:
    """Let the runs already started finish (a stage run may still be writing its last state)."""
    unfinished = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=UNFINISHED)))
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while client.count_flow_runs(flow_run_filter=unfinished) and time.monotonic() < deadline:
            time.sleep(1)


def tenders_in_stage(stage: str) -> set[int]:
    """The tenders a run of ``stage`` is working on now (started, not yet ended)."""
    running = FlowRunFilter(
        tags=FlowRunFilterTags(all_=[f"stage:{stage}"]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PENDING, StateType.RUNNING])),
    )
    with get_client(sync_client=True) as client:
        runs = _every(lambda at: client.read_flow_runs(flow_run_filter=running, limit=PAGE, offset=at))
    return {int(tag.removeprefix("tender:")) for run in runs for tag in run.tags if tag.startswith("tender:")}


def collect_runs(start: datetime, settle_seconds: float = 30) -> list[dict]:
    """Every flow run on this Prefect server with its task runs counted, times as seconds after ``start``."""

    def offset(moment: datetime | None) -> float | None:
        return None if moment is None else (moment - start).total_seconds()

    with get_client(sync_client=True) as client:
        flow_runs = _every(
            lambda at: client.read_flow_runs(sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=PAGE, offset=at)
        )
        # Task runs reach the server as events a moment after they end: read until their number holds still.
        deadline, previous = time.monotonic() + settle_seconds, -1
        while True:
            task_runs = _every(lambda at: client.read_task_runs(limit=PAGE, offset=at))
            if len(task_runs) == previous or time.monotonic() > deadline:
                break
            previous = len(task_runs)
            time.sleep(2)
    per_flow_run = Counter(task_run.flow_run_id for task_run in task_runs)
    return [
        {
            "name": run.name,
            "stage": _stage_of(run),
            "state": run.state_type.value if run.state_type else "UNKNOWN",
            "created": offset(run.created),
            "expected": offset(run.expected_start_time),
            "start": offset(run.start_time),
            "end": offset(run.end_time),
            "tasks": per_flow_run[run.id],
        }
        for run in flow_runs
    ]


def _stage_of(run) -> str:
    stage = next((tag.removeprefix("stage:") for tag in run.tags if tag.startswith("stage:")), run.name)
    phase = (run.parameters or {}).get("phase") if stage == "award-stage" else None
    return f"{stage}/{phase}" if phase else stage


def wait_for_runner(pool: str | None, timeout: float = 180) -> None:
    """Until the no-op deployment exists and (production) a worker polls its pool."""
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            try:
                client.read_deployment_by_name(DEPLOYMENT)
                if pool is None or client.read_workers_for_work_pool(pool):
                    return
            except Exception as exc:  # not registered yet, or the server still starting
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the no-op deployment was not ready within {timeout:.0f} s: {exc}") from exc
            if time.monotonic() > deadline:
                raise RuntimeError(f"no worker polled the pool {pool} within {timeout:.0f} s")
            time.sleep(1)


def mirror(runs: list[dict], timeout: float) -> tuple[datetime, list[dict]]:
    """Create the no-op runs on the round's timeline, wait until each has ended; returns the start and the runs."""
    from prefect.deployments import run_deployment

    start = datetime.now(UTC) + timedelta(seconds=1)
    origin = time.monotonic() + 1
    for number, run in enumerate(sorted(runs, key=lambda r: r["created"]), start=1):
        time.sleep(max(0.0, origin + run["created"] - time.monotonic()))
        run_deployment(
            DEPLOYMENT,
            parameters={"tasks": run["tasks"]},
            scheduled_time=start + timedelta(seconds=run["expected"]),
            flow_run_name=f"mirror-{number}",
            tags=[f"stage:{run['stage']}"],
            timeout=0,
            as_subflow=False,
        )
    progress(f"baseline: {len(runs)} no-op flow runs created on the round's timeline; waiting for them to end")
    ended = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=TERMINAL)))
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while (done := client.count_flow_runs(flow_run_filter=ended)) < len(runs):
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {done} of {len(runs)} no-op flow runs ended within {timeout:.0f} s")
            time.sleep(1)
    return start, collect_runs(start)
