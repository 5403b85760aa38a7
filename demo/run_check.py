"""The demo's last word on the flows: no flow run of the round may end Failed or Crashed (read from Prefect).

A normal round leaves every stage run Completed; a red run in the Prefect UI is a fault even when every call
reached its outcome (issue 14 #1: each unsuccessful call left a failed award-stage run while the demo said ✓).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from demo.platform import Progress, StepFailed

# Runs still going when the round ends get this long to finish before they are judged: a run crashed by a killed
# server is scheduled again by the flow bridge within 60 s (two of its 30 s checks), then runs (~20-40 s to start
# a process on a loaded machine).
SETTLE_SECONDS = 120
PAGE = 200
BROKEN = ("FAILED", "CRASHED")
BUSY = ("SCHEDULED", "PENDING", "RUNNING")


def round_flow_runs(since: datetime, until: datetime) -> list:
    """Every flow run due to start within the round: its stages, sweeps and successor calls (not future ones)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterExpectedStartTime
    from prefect.client.schemas.sorting import FlowRunSort

    window = FlowRunFilter(expected_start_time=FlowRunFilterExpectedStartTime(after_=since, before_=until))
    runs: list = []
    with get_client(sync_client=True) as client:
        while True:
            batch = client.read_flow_runs(
                flow_run_filter=window, sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=PAGE, offset=len(runs)
            )
            runs += batch
            if len(batch) < PAGE:
                return runs


def check_flow_runs(since: datetime, progress: Progress, read=round_flow_runs, settle: float = SETTLE_SECONDS):
    """✓ with the count when none failed or crashed; StepFailed naming each one otherwise.

    A crashed run that the platform will run again (flows/stage_watch.py) is not judged yet: the last process
    killed in a round can crash a run moments before the round ends, and its second run decides.
    """
    deadline = time.monotonic() + settle
    until = datetime.now(UTC)
    while True:
        runs = read(since, until)
        busy = [run for run in runs if _still_going(run)]
        if not busy or time.monotonic() > deadline:
            break
        time.sleep(2)
    broken = [run for run in runs if _state(run) in BROKEN]
    if broken:
        named = ", ".join(f"{run.name} ({run.state_name or _state(run).title()})" for run in broken)
        raise StepFailed(f"{len(broken)} failed or crashed flow run(s) of {len(runs)}: {named}")
    progress.done(f"0 failed or crashed flow runs (of {len(runs)})")
    return runs


def _still_going(run) -> bool:
    from flows.stage_watch import revivable  # Prefect's client, imported only once the round is over

    state = _state(run)
    return state in BUSY or (state == "CRASHED" and revivable(run))


def _state(run) -> str:
    state_type = getattr(run, "state_type", None)
    return str(getattr(state_type, "value", state_type) or "")
