"""Concurrency on PostgreSQL: the award-stage flow and the authority making contracts at once make each once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.contracting.adapters.orm_contracts import Contract, Milestone
from tests.contracting.integration.test_concurrency_postgres import at_once, opened_with_committee, pg_driver, pg_url  # noqa: F401
from tests.contracting.integration.test_contracts_api import decide, end_standstill

pytestmark = pytest.mark.postgres


def test_concurrent_create_contracts_calls_make_each_contract_exactly_once(pg_driver):  # noqa: F811
    ids = opened_with_committee(pg_driver)
    for evaluator in ("21", "22", "23"):
        assert pg_driver.score(evaluator, dict(zip(ids, ("90", "80", "60"), strict=True))).status_code == 200
    decide(pg_driver)
    end_standstill(pg_driver)
    url = f"{pg_driver.url}/contracts"
    callers = [(pg_driver.app.test_client(), h) for h in (pg_driver.tokens.service, pg_driver.tokens.authority) * 2]
    results = at_once(*(lambda c=c, h=h: c.post(url, json={}, headers=h) for c, h in callers))
    assert sorted(r.status_code for r in results) == [200, 200, 200, 201]
    assert {tuple(c["id"] for c in r.json) for r in results} == {(results[0].json[0]["id"],)}
    assert len(pg_driver.events("contract.created")) == 1
    with pg_driver.app.extensions["service_context"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1
        assert session.scalar(select(func.count()).select_from(Milestone)) == 12
    audit = pg_driver.client.get(f"{pg_driver.url}/audit", headers=pg_driver.tokens.operator).json
    assert audit["intact"] and [e["action"] for e in audit["entries"]].count("create_contract") == 1
