"""The production shape without Docker: PostgreSQL, RabbitMQ, Prefect server on PostgreSQL and a process work pool."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.e2e.test_demo_round import assert_round_outcomes, demo_environment, run_demo

# A whole demo round (its own round limit is 420 s, its subprocess 840 s): the 300 s default is too close on a
# loaded 2-core machine.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


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
    output, processes = run_demo(tmp_path, "--production", env=demo_environment(tmp_path) | production_settings)
    assert "bus topology declared on RabbitMQ" in output
    assert "deployments registered on the work pool" in output
    assert_round_outcomes(output)
    # the processes logged JSON lines, one per event
    assert '"logger":' in processes
