"""The long-running loops' heartbeats and `sscp health heartbeat`, the probe docker-compose's healthchecks run.

A real `sscp relay registry` on an embedded var/ directory: its heartbeat advances while its loop turns; once the
process is frozen (SIGSTOP: up, with its pid, but stuck, which only a heartbeat shows) the probe fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ISOLATED_VARIABLES, ROOT

SSCP = Path(sys.executable).parent / "sscp"


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting until {what}")


@pytest.fixture
def environment(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ISOLATED_VARIABLES}
    env.update(VAR_DIR=str(tmp_path / "var"), HEARTBEAT_SECONDS="0.5", PYTHONUNBUFFERED="1")
    subprocess.run([SSCP, "migrate", "registry"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    return env


@pytest.fixture
def relay(environment, tmp_path):
    log = (tmp_path / "relay.log").open("w")
    process = subprocess.Popen(
        [SSCP, "relay", "registry"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    yield process
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    log.close()


def probe(environment: dict[str, str], name: str, max_age: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SSCP, "health", "heartbeat", name, "--max-age", str(max_age)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_relays_heartbeat_advances_while_it_runs_and_the_probe_fails_once_it_is_stuck(environment, relay, tmp_path):
    heartbeat = tmp_path / "var" / "run" / "heartbeat" / "registry-relay"
    wait_until(heartbeat.exists, 60, "the relay beats for the first time")
    first = heartbeat.stat().st_mtime
    wait_until(lambda: heartbeat.stat().st_mtime > first, 10, "the heartbeat advances")

    healthy = probe(environment, "registry-relay", 3)
    assert healthy.returncode == 0, healthy.stderr
    assert "registry-relay beat" in healthy.stdout

    relay.send_signal(signal.SIGSTOP)  # up and holding its pid, but its loop no longer turns
    time.sleep(4)
    stuck = probe(environment, "registry-relay", 3)
    assert stuck.returncode == 1
    assert "registry-relay last beat" in stuck.stderr and "stuck or down" in stuck.stderr


def test_the_probe_fails_for_a_process_that_never_beat(environment):
    result = probe(environment, "notifications-worker", 60)
    assert result.returncode == 1
    assert "notifications-worker has not beaten yet" in result.stderr
