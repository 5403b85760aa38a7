"""The embedded supervisor (deploy/supervisor.py) on a small Procfile: dead processes come back, others keep running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.supervisor import ROOT, Supervisor

PYTHON = sys.executable


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting until {what}")


@pytest.fixture
def start(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    started = []

    def start(procfile_text: str, **restart_policy: int) -> Supervisor:
        procfile = tmp_path / "Procfile"
        procfile.write_text(procfile_text)
        supervisor = Supervisor(procfile, **restart_policy)
        supervisor.start()
        started.append(supervisor)
        return supervisor

    yield start
    for supervisor in started:
        supervisor.stop()


def sleeper(seconds: int = 600) -> str:
    return f'{PYTHON} -c "import time; time.sleep({seconds})"'


def test_a_process_killed_with_sigkill_is_started_again_while_the_others_keep_their_pid(start):
    supervisor = start(f"relay: {sleeper()}\napi: {sleeper()}\n", start_seconds=1)
    relay_pid = wait_until(lambda: supervisor.pid("relay"), 30, "the relay runs")
    api_pid = wait_until(lambda: supervisor.pid("api"), 30, "the api runs")

    os.kill(relay_pid, signal.SIGKILL)

    restarted = wait_until(lambda: supervisor.pid("relay") not in (0, relay_pid), 30, "the relay runs again")
    assert restarted
    assert supervisor.pid("api") == api_pid
    assert supervisor.alive()
    assert supervisor.restarts()["relay"] == (1, "terminated by SIGKILL")
    assert "api" not in supervisor.restarts()


def test_a_process_that_keeps_dying_at_start_is_given_up_on_and_named_with_its_exit_while_others_run(start):
    supervisor = start(
        f'broken: {PYTHON} -c "import sys; sys.exit(3)"\napi: {sleeper()}\n', start_seconds=1, start_retries=1
    )
    wait_until(lambda: not supervisor.alive(), 30, "the supervisor reports the broken process")

    assert supervisor.failures() == {"broken": "kept dying during start-up (exit status 3); supervisord gave up"}
    assert "broken kept dying during start-up (exit status 3)" in supervisor.log_tail()
    assert supervisor.pid("api") > 0


def test_quiescing_stops_everything_but_the_relays_so_the_outboxes_can_drain_with_nothing_new_committed(start):
    supervisor = start(f"api: {sleeper()}\nworker: {sleeper()}\ncontracting-relay: {sleeper()}\n", start_seconds=1)
    running = lambda: {info["statename"] for info in supervisor.processes()} == {"RUNNING"}  # noqa: E731
    wait_until(running, 30, "all three run")
    relay_pid = supervisor.pid("contracting-relay")

    supervisor.quiesce()

    states = {info["name"]: info["statename"] for info in supervisor.processes()}
    assert states == {"api": "STOPPED", "worker": "STOPPED", "contracting-relay": "RUNNING"}
    assert supervisor.pid("contracting-relay") == relay_pid


def test_every_process_stops_with_the_supervisor_and_the_procfile_variables_are_expanded(start, monkeypatch):
    monkeypatch.setenv("NAP_SECONDS", "600")
    supervisor = start(f'napper: {PYTHON} -c "import time; time.sleep(${{NAP_SECONDS:-1}})"\n', start_seconds=1)
    pid = wait_until(lambda: supervisor.pid("napper"), 30, "the napper runs")
    time.sleep(1.5)
    assert supervisor.pid("napper") == pid, "a sleep of 1 s would have exited: the variable was not expanded"

    supervisor.stop()

    assert not Path(f"/proc/{pid}").exists()
    assert not supervisor.alive()


def test_a_demo_killed_with_sigkill_leaves_no_platform_running_behind_it(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text(f"napper: {sleeper()}\n")
    owner_code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from deploy.supervisor import Supervisor\n"
        f"supervisor = Supervisor(Path({str(procfile)!r}), start_seconds=1)\n"
        "supervisor.start()\n"
        "while not supervisor.pid('napper'):\n"
        "    time.sleep(0.2)\n"
        "print(supervisor.process.pid, supervisor.pid('napper'), flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var")}
    owner = subprocess.Popen([PYTHON, "-c", owner_code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    supervisord_pid, napper_pid = map(int, owner.stdout.readline().split())

    owner.kill()
    owner.wait(10)

    wait_until(lambda: not alive(supervisord_pid) and not alive(napper_pid), 30, "the platform stops with the demo")


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False
