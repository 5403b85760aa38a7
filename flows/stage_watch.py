"""Stage runs outlive their runner: a run whose runner or worker died is run again well within two minutes.

A flow run sends Prefect a heartbeat event every ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` seconds while it runs
(Prefect's own mechanism; its default of 180 s is too slow for a deadline, so the platform sets 30, Prefect's
minimum). A runner that dies (SIGKILL, its machine gone) leaves its runs RUNNING or PENDING for ever: nothing
reports their end, and a redelivered event only finds the same run again by its idempotency key.

The automations kept here (Prefect's documented zombie detection, on the server, with no flow run of their own)
watch every stage run, i.e. every run tagged ``stage:*``: after a heartbeat they expect another heartbeat or an
end within the silence window (two heartbeats); after a runner took a run (PENDING), its first heartbeat a
heartbeat later than that. A silent run is marked CRASHED ("no heartbeat for ..."), and a third automation sets
every crashed run of the platform back to SCHEDULED ("AwaitingRetry", due now): a live runner or worker runs the
same run again, with the same name, tags and parameters. Those crashed by the watches, and those the runner or
worker reports crashed: a run whose process it started while the Prefect server was restarting dies on its
first request (Prefect's client retries a refused connection only once it has connected) and is reported
crashed once the server is back. A crash is the infrastructure's (an exception in a flow fails it instead), so
running it again is what an operator would do with Prefect's "Retry". The stages are idempotent, so a run that
was alive but late only repeats what it did (a live run taken for dead, as SQLite's "database is locked" can
lose a heartbeat under heavy load, is run twice, harmlessly).

Measured on a loaded 2-core machine (load average ~20): in the embedded demo, the flow runner SIGKILLed with its
flow-run processes just after a tender-stage run started: crashed 68 s later, started again at 71 s, completed at
107 s, and the round reached every expected outcome; in tests/flows/test_stage_runs_outlive_their_runner.py with
the platform's windows, a run killed mid-call was completed again 74 s after its runner died.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
from prefect.states import Scheduled

from flows.scheduling import RUN_AGAIN

log = logging.getLogger(__name__)

PREFIX = "sscp: "
HEARTBEAT = "PREFECT_FLOWS_HEARTBEAT_FREQUENCY"  # Prefect's setting (PREFECT_RUNNER_HEARTBEAT_FREQUENCY before)
HEARTBEAT_SECONDS = 30  # Prefect refuses less
# After these a run may fall silent (an operator's cancel or pause included): they never make it a zombie.
SILENT_AFTER = ("Completed", "Failed", "Cancelling", "Cancelled", "Crashed", "Paused", "Suspended")
SILENCE_MESSAGE = "no heartbeat for {seconds:.0f} s after {event}: its runner or worker died"
STAGE_RUNS = {"prefect.resource.role": "tag", "prefect.resource.id": "prefect.tag.stage:*"}
# Every run of the platform's deployments (tagged sscp) and every stage run: a crash of any of them is run again.
PLATFORM_RUNS = {"prefect.resource.role": "tag", "prefect.resource.id": ["prefect.tag.sscp", "prefect.tag.stage:*"]}


def heartbeat_seconds() -> int:
    """The flow-run heartbeat the platform runs with (Prefect's setting, or its older name)."""
    configured = os.environ.get(HEARTBEAT) or os.environ.get("PREFECT_RUNNER_HEARTBEAT_FREQUENCY")
    return max(int(configured or HEARTBEAT_SECONDS), HEARTBEAT_SECONDS)


def _silence(name: str, after: str, within: timedelta) -> AutomationCore:
    """Mark CRASHED a stage run silent for ``within`` after ``after``. Not forced, on purpose: Prefect refuses to
    mark crashed a run already ended, and a run's last heartbeat can reach the server after its Completed event
    (the client sends events in the background), which opens a new window that then closes in silence."""
    return AutomationCore(
        name=PREFIX + name,
        description="A stage run that fell silent lost its runner: mark it crashed (then it runs again).",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related=STAGE_RUNS,
            after={f"prefect.flow-run.{after}"},
            expect={"prefect.flow-run.heartbeat", *(f"prefect.flow-run.{state}" for state in SILENT_AFTER)},
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=within,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                message=SILENCE_MESSAGE.format(seconds=within.total_seconds(), event=after),
            )
        ],
    )


def automations(silence: timedelta, start_silence: timedelta | None = None) -> list[AutomationCore]:
    """Two watches mark a silent stage run crashed; a third schedules every crashed platform run again.

    A runner may die after taking a run (PENDING) and before its process started; starting one takes up to ~40 s
    on a loaded 2-core machine, so that window is longer by one heartbeat.
    """
    again = AutomationCore(
        name=PREFIX + "run again the stage runs of a dead runner",
        description="Schedule again, now, a platform run that crashed: its runner died, or it could not start.",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related=PLATFORM_RUNS,
            expect={"prefect.flow-run.Crashed"},
            for_each={"prefect.resource.id"},
            posture=Posture.Reactive,
            threshold=1,
            within=timedelta(0),
        ),
        actions=[ChangeFlowRunState(state=StateType.SCHEDULED, name=RUN_AGAIN, message="run again")],
    )
    return [
        _silence("stage run silent while running", "heartbeat", silence),
        _silence(
            "stage run never started", "Pending", start_silence or silence + timedelta(seconds=heartbeat_seconds())
        ),
        again,
    ]


# A crashed run is run again at most this often; one that keeps crashing is left Crashed, for an operator.
MAX_REVIVED_RUNS = 3


def revive_stuck_runs(pending_for: timedelta, crashed_for: timedelta, now: datetime | None = None) -> list[UUID]:
    """Platform runs PENDING for longer than ``pending_for``, or CRASHED for longer than ``crashed_for`` (and run
    fewer than MAX_REVIVED_RUNS times), are set back to SCHEDULED (AwaitingRetry, due now).

    The watches above act on events; when the Prefect server dies, the events of that moment can die with it (its
    event pipeline is in memory) while the states are already committed. Seen in the production round: a worker
    "failed to submit" a standstill-end run as the server died and the run stayed PENDING; in another, the worker
    reported a run Crashed as the restarted server came up, before its triggers were loaded, and nothing ran it
    again. Either way the call sat in standstill. This check reads the states themselves, so it needs no event.
    """
    now = now or datetime.now(UTC)
    stuck_states = FlowRunFilterStateType(any_=[StateType.PENDING, StateType.CRASHED])
    revived = []
    with get_client(sync_client=True) as client:
        for run in client.read_flow_runs(flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=stuck_states))):
            if not _is_stuck(run, now, pending_for, crashed_for):
                continue
            waited = now - run.state.timestamp
            why = f"{run.state.name} for {waited.total_seconds():.0f} s: its runner, worker or the server died"
            client.set_flow_run_state(run.id, Scheduled(scheduled_time=now, name=RUN_AGAIN, message=why), force=True)
            revived.append(run.id)
    return revived


def is_platform_run(run) -> bool:
    """A run of the platform's deployments (tagged sscp) or a stage run: the watches and the bridge look after it."""
    return "sscp" in run.tags or any(tag.startswith("stage:") for tag in run.tags)


def revivable(run) -> bool:
    """A crashed run that the automation or the flow bridge will schedule again (it has not crashed too often)."""
    return is_platform_run(run) and run.run_count < MAX_REVIVED_RUNS


def _is_stuck(run, now: datetime, pending_for: timedelta, crashed_for: timedelta) -> bool:
    if not is_platform_run(run) or run.state is None:
        return False
    if run.state.type == StateType.PENDING:
        return run.state.timestamp <= now - pending_for
    return run.state.timestamp <= now - crashed_for and revivable(run)


def keep_reviving_stuck_runs(every_seconds: float = 30) -> threading.Thread:
    """Run ``revive_stuck_runs`` every ``every_seconds`` in a daemon thread (the flow bridge runs it): a PENDING
    run is stuck after the watch's own "never started" window, a CRASHED one after the watch had its chance."""
    pending_for, crashed_for = timedelta(seconds=3 * heartbeat_seconds()), timedelta(seconds=every_seconds)

    def loop() -> None:
        while True:
            time.sleep(every_seconds)
            try:
                for run_id in revive_stuck_runs(pending_for, crashed_for):
                    log.warning("flow run %s was stuck: scheduled again", run_id)
            except Exception as exc:  # the Prefect server restarting: try again at the next turn
                log.info("stuck-run check skipped: %s", exc)

    thread = threading.Thread(target=loop, name="stuck-runs", daemon=True)
    thread.start()
    return thread


def _same(existing, wanted: AutomationCore) -> bool:
    keys = ("match", "match_related", "after", "expect", "for_each", "posture", "threshold", "within")
    same_trigger = all(getattr(existing.trigger, key) == getattr(wanted.trigger, key) for key in keys)
    return same_trigger and existing.actions == wanted.actions and existing.enabled


def watch_stage_runs(silence: timedelta | None = None, start_silence: timedelta | None = None) -> list[UUID]:
    """Make sure the watches exist as defined here (at every runner start; repeating changes nothing).

    An unchanged automation is left alone: its open windows (those of the runs alive when a runner was killed)
    belong to its trigger, and replacing the trigger would forget exactly the runs to watch.
    """
    ids = []
    with get_client(sync_client=True) as client:
        for wanted in automations(silence or timedelta(seconds=2 * heartbeat_seconds()), start_silence):
            found = client.read_automations_by_name(wanted.name)
            if not found:
                ids.append(client.create_automation(wanted))
                continue
            if not _same(found[0], wanted):
                client.update_automation(found[0].id, wanted)  # a changed definition starts with fresh windows
            ids.append(found[0].id)
    return ids
