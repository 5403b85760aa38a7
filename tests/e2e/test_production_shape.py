"""The production shape without Docker: PostgreSQL, RabbitMQ, Prefect server on PostgreSQL and a process work pool.

The round is the production-shape one the whole e2e suite shares (tests/e2e/conftest.py): private databases and
RabbitMQ virtual host, every kind of process SIGKILLed once along the way.
"""

from __future__ import annotations

import pytest

from tests.e2e.rounds import assert_round_outcomes

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]  # the shared round, if this test is the first to ask


def test_demo_once_runs_on_postgresql_rabbitmq_and_a_prefect_work_pool(production_round):
    assert production_round.returncode == 0, production_round.explain()
    assert "bus topology declared on RabbitMQ" in production_round.output
    assert "deployments registered on the work pool" in production_round.output
    assert_round_outcomes(production_round.output)
    # the processes logged JSON lines, one per event
    assert '"logger":' in production_round.processes_log
