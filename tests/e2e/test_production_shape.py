"""The production shape without Docker: PostgreSQL, RabbitMQ, Prefect server on PostgreSQL and a process work pool."""

from __future__ import annotations

import subprocess
import uuid

import psycopg
import pytest

from tests.e2e.test_demo_round import ROOT, SSCP, demo_environment

pytestmark = pytest.mark.e2e


@pytest.fixture
def production_settings(postgres_server, rabbitmq_url):
    """Private databases and a private RabbitMQ virtual host, removed afterwards."""
    prefix = f"sscp_e2e_{uuid.uuid4().hex[:8]}"
    base = postgres_server.rsplit("/", 1)[0]
    settings = {
        f"{name.upper()}_DATABASE_URL": f"{base}/{prefix}_{name}"
        for name in ("registry", "contracting", "notifications")
    }
    settings["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = (
        f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{prefix}_prefect"
    )
    settings["BUS_URL"] = rabbitmq_url
    settings["PREFECT_WORK_POOL"] = f"{prefix}-pool"
    yield settings
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        for name in ("registry", "contracting", "notifications", "prefect"):
            admin.execute(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)')


def test_demo_once_runs_on_postgresql_rabbitmq_and_a_prefect_work_pool(tmp_path, production_settings):
    env = demo_environment(tmp_path) | production_settings
    result = subprocess.run(
        [str(SSCP), "demo", "--production", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    log = tmp_path / "var" / "log" / "processes.log"
    processes = log.read_text()[-4000:] if log.exists() else "(no log)"
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n--- processes ---\n{processes}"
    assert "bus topology declared on RabbitMQ" in result.stdout
    assert "deployments registered on the work pool" in result.stdout
    assert "tender-stage completed" in result.stdout
    assert "1 eligible CSO(s) invited by the flow" in result.stdout
    # the processes logged JSON lines, one per event
    assert '"logger":' in log.read_text()
