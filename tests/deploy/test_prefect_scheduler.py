"""The Prefect server as the Procfiles start it schedules the runs of cron/interval deployments.

Prefect 3.8.8's scheduler fails on every loop under SQLAlchemy 2.1 (see deploy/prefect_server.py): the daily
renewal sweep would show its schedule in the UI and never run. This starts the real server and watches runs
appear for an interval deployment of the sweep.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from deploy.supervisor import free_port

ROOT = Path(__file__).resolve().parents[2]
SSCP = Path(sys.executable).parent / "sscp"


def test_the_fix_gives_the_run_state_a_bulk_insert_setter_on_sqlalchemy_2_1():
    import sqlalchemy

    from deploy.prefect_server import allow_state_in_bulk_inserts

    patched = allow_state_in_bulk_inserts()
    expected = ["FlowRun", "TaskRun"] if sqlalchemy.__version__.startswith("2.1") else []
    assert patched == expected and allow_state_in_bulk_inserts() == [], "applied once"


@pytest.mark.e2e
def test_an_interval_deployment_gets_scheduled_runs(tmp_path):
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path), PREFECT_API_URL=api, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(SSCP), "flows", "server", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        script = (
            "from prefect.schedules import Interval\n"
            "from flows.renewal_sweep import renewal_sweep\n"
            "print(renewal_sweep.to_deployment(name='renewal-sweep', schedules=[Interval(60)]).apply())\n"
        )
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
        runs = []
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not runs:
            time.sleep(2)
            runs = httpx.post(f"{api}/flow_runs/filter", json={"limit": 5}, timeout=10).json()
        assert runs, "no scheduled run appeared:\n" + (tmp_path / "server.log").read_text()[-3000:]
        assert {run["state_type"] for run in runs} == {"SCHEDULED"}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
