"""A stage run whose runner died is run again within the heartbeat window, and moves its call exactly once.

Issue 15 #2: after kills of the flow runner, stage runs stayed RUNNING/PENDING in Prefect for ever and their calls
waited for the sweep's 30-minute safety net. Here a real served runner is SIGKILLed (with its flow-run process)
while its evaluation-stage run is inside a call to contracting; a fresh runner is started, as the supervisor would.
The watch uses a 15 s silence window instead of the platform's 60 s (two 30 s heartbeats) to keep the test short.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL
from prefect.states import Completed, Crashed, Pending, Running, Scheduled

from flows.evaluation_stage import evaluation_stage
from flows.renewal_sweep import renewal_sweep
from flows.scheduling import RUN_AGAIN, TenderRef
from flows.stage_watch import PREFIX, revive_stuck_runs, watch_stage_runs
from tests.flows.test_renewal_sweep import events
from tests.flows.test_stage_flows import DISTRICT, publish_tender, seed_people

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT = "evaluation-stage-outlives-its-runner"  # served only by this test's runners
SILENCE = timedelta(seconds=15)


class Gate:
    """Holds contracting's due-transitions requests (the stage's first write) until opened, then drops those it
    held: their sender was killed meanwhile, so the write never happened. Later requests pass."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app, self.opened, self.arrived = wsgi_app, threading.Event(), threading.Event()

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"].endswith("/transitions/due") and not self.opened.is_set():
            self.arrived.set()
            self.opened.wait(120)
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"the caller is gone"]
        return self.wsgi_app(environ, start_response)


def start_runner() -> subprocess.Popen:
    code = (
        "from prefect import serve\n"
        "from flows.evaluation_stage import evaluation_stage\n"
        f"serve(evaluation_stage.to_deployment(name={DEPLOYMENT!r}))\n"
    )
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    env["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] = "30"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (the runner starts each flow run in a process of its own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            found += [child, *children(child)]
    return found


def kill_hard(runner: subprocess.Popen) -> None:
    """SIGKILL the runner and its flow-run processes: nothing is left to report a state or a heartbeat."""
    for pid in [*children(runner.pid), runner.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    runner.wait(10)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"not within {timeout:.0f}s: {what}")


def read_run(run_id):
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


def remove_watch() -> None:
    with get_client(sync_client=True) as client:
        for automation in client.read_automations():
            if automation.name.startswith(PREFIX):
                client.delete_automation(automation.id)


@pytest.fixture
def watch(prefect_server):
    """The watch with the short test windows, removed afterwards (the test server lives for the whole session)."""
    evaluation_stage.to_deployment(name=DEPLOYMENT).apply()
    remove_watch()
    yield watch_stage_runs(silence=SILENCE, start_silence=SILENCE)
    remove_watch()


@pytest.fixture
def runners():
    started: list[subprocess.Popen] = []
    yield started
    for runner in started:
        if runner.poll() is None:
            kill_hard(runner)


def test_a_stage_run_whose_runner_was_killed_is_run_again_and_moves_the_call_once(platform, watch, runners):
    people = seed_people(platform)
    tender = publish_tender(platform, people)
    platform.clock.now += timedelta(days=18)  # past the submission deadline: the evaluation stage is due
    gate = Gate(platform.apps["contracting"].wsgi_app)
    platform.apps["contracting"].wsgi_app = gate
    ref = TenderRef(tender["id"], tender["ocid"], DISTRICT, "home-care")
    runners.append(start_runner())
    run = run_deployment(
        f"evaluation-stage/{DEPLOYMENT}",
        parameters=ref.parameters(),
        flow_run_name=f"{ref.ocid}/evaluation-stage",
        tags=ref.tags("evaluation-stage"),
        timeout=0,
        as_subflow=False,
    )
    assert gate.arrived.wait(60), "the runner never started the stage run"
    time.sleep(1)  # its first heartbeat (sent as the run starts) reaches the server

    kill_hard(runners[0])
    died = time.monotonic()
    gate.opened.set()
    assert read_run(run.id).state.type == StateType.RUNNING, "left RUNNING by its dead runner"
    runners.append(start_runner())  # the supervisor restarts the runner

    done = wait_for(
        lambda: (r := read_run(run.id)).state.type == StateType.COMPLETED and r,
        timeout=60,
        what="the killed stage run is run again to completion",
    )
    rerun_after = time.monotonic() - died
    print(f"killed stage run completed again {rerun_after:.1f}s after its runner died")

    assert rerun_after < (SILENCE + timedelta(seconds=30)).total_seconds()
    assert done.run_count >= 2, "the same run, run again"
    status = platform.call("GET", "contracting", f"/tenders/{tender['id']}", people["authority"]).json()["status"]
    assert status == "unsuccessful", "submissions closed (nobody bid, so the call ends unsuccessful)"
    assert len(events(platform, "tender.close_submissions")) == 1, "one effective transition"
    with get_client(sync_client=True) as client:
        history = client.read_flow_run_states(run.id)
    names = [(s.name, s.message) for s in history]
    crashed = next(i for i, s in enumerate(history) if s.name == "Crashed" and "no heartbeat" in (s.message or ""))
    assert history[crashed + 1].name == "AwaitingRetry", names
    assert datetime.now(UTC) - done.end_time < timedelta(minutes=1)


def test_a_platform_run_its_runner_reports_crashed_is_scheduled_again(watch):
    """A run whose process the runner or worker started while the Prefect server was restarting dies on its first
    request and is reported Crashed once the server is back (seen for the renewal sweep when the server was
    SIGKILLed mid-round): the watch schedules that same run again, as an operator's "Retry" would."""
    deployment_id = renewal_sweep.to_deployment(name="sweep-reported-crashed", tags=["sscp"]).apply()
    later = datetime.now(UTC) + timedelta(days=1)  # no runner serves this deployment: only the watch moves it
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(deployment_id, state=Scheduled(scheduled_time=later))
        crashed = Crashed(message="Flow run process exited with non-zero status code 1.")
        client.set_flow_run_state(run.id, crashed, force=True)

    again = wait_for(
        lambda: (r := read_run(run.id)).state.name == RUN_AGAIN and r,
        timeout=60,
        what="the crashed sweep run is scheduled again",
    )
    assert again.state.type == StateType.SCHEDULED
    assert again.state.state_details.scheduled_time <= datetime.now(UTC) + timedelta(seconds=5), "due now"


def test_a_platform_run_left_pending_or_crashed_is_scheduled_again_without_any_event(prefect_server):
    """The Prefect server died as a worker handed a run over: the run is PENDING (or reported CRASHED as the server
    came back) and the event a watch waits for was lost with the server. The stuck-run check (run by the flow
    bridge) reads states, not events."""
    ours = renewal_sweep.to_deployment(name="sweep-left-pending", tags=["sscp"]).apply()
    other = evaluation_stage.to_deployment(name="not-the-platforms").apply()
    later = datetime.now(UTC) + timedelta(days=1)
    with get_client(sync_client=True) as client:
        stuck = client.create_flow_run_from_deployment(ours, state=Scheduled(scheduled_time=later))
        crashed = client.create_flow_run_from_deployment(ours, state=Scheduled(scheduled_time=later))
        parameters = {"tender_id": 1, "ocid": "ocds-sscp01-1"}
        foreign = client.create_flow_run_from_deployment(
            other, parameters=parameters, state=Scheduled(scheduled_time=later)
        )
        for run in (stuck, foreign):
            client.set_flow_run_state(run.id, Pending(), force=True)
        client.set_flow_run_state(crashed.id, Crashed(message="Process exited with status code: 1."), force=True)

    just = timedelta(minutes=5)
    assert revive_stuck_runs(just, just) == [], "a run just taken is left to start, one just crashed to the watch"
    revived = revive_stuck_runs(timedelta(0), timedelta(0), now=datetime.now(UTC) + timedelta(seconds=1))

    assert sorted(revived) == sorted([stuck.id, crashed.id])
    assert read_run(stuck.id).state.name == RUN_AGAIN and read_run(crashed.id).state.name == RUN_AGAIN
    assert read_run(foreign.id).state.type == StateType.PENDING, "not a platform run: not ours to touch"


def test_installing_the_watch_at_every_runner_start_keeps_the_one_watching_the_dead_runners_runs(prefect_server):
    """A restarted runner installs the watch again: replacing it would forget the open heartbeat windows, i.e.
    exactly the runs of the runner that just died."""
    remove_watch()
    first = watch_stage_runs()
    with get_client(sync_client=True) as client:
        triggers = [client._client.get(f"/automations/{i}").json()["trigger"]["id"] for i in first]

        again = watch_stage_runs()

        assert again == first
        assert [client._client.get(f"/automations/{i}").json()["trigger"]["id"] for i in first] == triggers
        assert len([a for a in client.read_automations() if a.name.startswith(PREFIX)]) == 3
        windows = sorted(client.read_automation(i).trigger.within for i in first)
        assert windows == [timedelta(0), timedelta(seconds=60), timedelta(seconds=90)], "two and three heartbeats"
    remove_watch()


@flow(name="never-started-stage")
def never_started_stage(tender_id: int, ocid: str) -> int:
    return tender_id


def test_a_stage_run_left_pending_by_a_runner_that_died_before_starting_it_is_scheduled_again(watch):
    never_started_stage.to_deployment(name="never-started-stage").apply()
    ref = TenderRef(7, "ocds-test-7", DISTRICT, "home-care")
    run = run_deployment(
        "never-started-stage/never-started-stage",
        parameters=ref.parameters(),
        tags=ref.tags("never-started-stage"),
        timeout=0,
        as_subflow=False,
    )
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(run.id, Pending(), force=True)  # a runner took it, then died: no heartbeat ever
    taken = time.monotonic()

    again = wait_for(
        lambda: (r := read_run(run.id)).state.type == StateType.SCHEDULED and r,
        timeout=(2 * SILENCE + timedelta(seconds=15)).total_seconds(),
        what="the run left PENDING is scheduled again",
    )

    assert again.state.name == "AwaitingRetry"
    assert time.monotonic() - taken >= SILENCE.total_seconds() - 1, "not before the silence window"


def test_a_stage_run_that_completed_is_never_run_again_even_when_its_last_heartbeat_arrives_late(watch):
    """Seen in the demo: a run's last heartbeat, sent in the background, reached the server after its Completed
    event and opened a new window; closing in silence, it set the finished run to run again."""
    never_started_stage.to_deployment(name="never-started-stage").apply()
    ref = TenderRef(8, "ocds-test-8", DISTRICT, "home-care")
    run = run_deployment(
        "never-started-stage/never-started-stage",
        parameters=ref.parameters(),
        tags=ref.tags("never-started-stage"),
        timeout=0,
        as_subflow=False,
    )
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(run.id, Running(), force=True)
        sent = datetime.now(UTC)
        client.set_flow_run_state(run.id, Completed(), force=True)
        time.sleep(1)
        heartbeat = {
            "id": str(uuid4()),
            "occurred": sent.isoformat(),
            "event": "prefect.flow-run.heartbeat",
            "resource": {"prefect.resource.id": f"prefect.flow-run.{run.id}"},
            "related": [
                {"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"} for tag in run.tags
            ],
        }
        assert client._client.post("/events", json=[heartbeat]).status_code == 204

    time.sleep((2 * SILENCE + timedelta(seconds=5)).total_seconds())

    finished = read_run(run.id)
    assert finished.state.type == StateType.COMPLETED, finished.state
