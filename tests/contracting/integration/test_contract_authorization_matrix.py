"""Every contract, report, renewal and continuity endpoint against every role: who passes, who gets 401/403,
and who is told 404. Roles are called refused first (they change nothing), then allowed ones in order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from tests.contracting.integration.test_contracts_api import MET, decide, end_standstill, make_contracts, sign_both

ALL = ("operator", "authority", "authority_other", "evaluator", "cso_bidder", "cso_other", "service", "anonymous")


def public() -> list[tuple[str, int]]:
    """Readable by anyone, another district's authority too: a token never sees less than the public."""
    return [(role, 200) for role in ALL]


def only(allowed: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Only ``allowed`` pass; another district's authority meets 404 where authorities may act, else 403."""
    names = {role for role, _ in allowed}
    other_district = 404 if "authority" in names else 403
    refused = [("anonymous", 401)] + [
        (role, other_district if role == "authority_other" else 403)
        for role in ALL
        if role not in names and role != "anonymous"
    ]
    return refused + allowed


def replace_code(expected: list[tuple[str, int]], role: str, code: int) -> list[tuple[str, int]]:
    return [(name, code if name == role else old) for name, old in expected]


def headers_for(tokens, role: str) -> dict:
    named = {"authority_other": tokens.authority_other, "cso_bidder": tokens.bidder, "cso_other": tokens.cso_other}
    named.update(evaluator=tokens.evaluator, anonymous=tokens.anonymous)
    return named.get(role) or getattr(tokens, role)


@dataclass(frozen=True)
class Case:
    name: str
    stage: str
    method: str
    path: str
    expected: list[tuple[str, int]]
    body: dict | None = None


def everyone(code: int = 200) -> list[tuple[str, int]]:
    return [(role, code) for role in ALL]


REPORT = {"milestone_number": 1, "beneficiaries_served": 38, "narrative": "Raport lunar complet.", "standards": MET}
REASON = {"reason": "Motiv întemeiat pentru test"}

CASES = [
    Case("tender contracts", "pending", "GET", "/tenders/{t}/contracts", public()),
    Case(
        "make contracts",
        "awaiting",
        "POST",
        "/tenders/{t}/contracts",
        only([("authority", 201), ("service", 200)]),
        {},
    ),
    Case("list contracts", "pending", "GET", "/contracts", everyone()),
    Case("read contract", "pending", "GET", "/contracts/{k}", public()),
    Case(
        "edit contract",
        "pending",
        "PATCH",
        "/contracts/{k}",
        only([("authority", 200)]),
        {"milestone_frequency": "quarterly"},
    ),
    Case("versions", "pending", "GET", "/contracts/{k}/versions", public()),
    Case(
        "sign",
        "pending",
        "POST",
        "/contracts/{k}/sign",
        only([("cso_other", 404), ("authority", 200), ("cso_bidder", 200)]),
    ),
    Case("cancel contract", "pending", "POST", "/contracts/{k}/cancel", only([("authority", 200)]), REASON),
    Case("terminate contract", "active", "POST", "/contracts/{k}/terminate", only([("authority", 200)]), REASON),
    Case(
        "contract due transitions",
        "active",
        "POST",
        "/contracts/transitions/due",
        only([("service", 200), ("operator", 200)]),
    ),
    Case("list reports", "report", "GET", "/contracts/{k}/reports", public()),
    Case(
        "file report",
        "active",
        "POST",
        "/contracts/{k}/reports",
        only([("cso_other", 404), ("cso_bidder", 201)]),
        REPORT,
    ),
    Case("accept report", "report", "POST", "/contracts/{k}/reports/{r}/accept", only([("authority", 200)])),
    Case(
        "return report",
        "report",
        "POST",
        "/contracts/{k}/reports/{r}/return",
        only([("authority", 200)]),
        {"comments": "Lipsesc fișele de vizită"},
    ),
    Case(
        "amend contract",
        "active",
        "POST",
        "/contracts/{k}/amendments",
        only([("authority", 200)]),
        {"reason": "Extindere", "places": 42},
    ),
    Case(
        "renewals due",
        "renewable",
        "GET",
        "/renewals/due",
        replace_code(only([("authority", 200), ("service", 200), ("operator", 200)]), "authority_other", 200),
    ),
    Case(
        "propose renewal",
        "renewable",
        "POST",
        "/contracts/{k}/renewal",
        only([("authority", 201), ("service", 200), ("operator", 200)]),
        {},
    ),
    Case("confirm renewal", "proposed", "POST", "/contracts/{k}/renewal/confirm", only([("authority", 200)]), {}),
    Case("decline renewal", "proposed", "POST", "/contracts/{k}/renewal/decline", only([("authority", 200)]), REASON),
    Case(
        "re-tender",
        "active",
        "POST",
        "/contracts/{k}/retender",
        only([("authority", 201), ("service", 200), ("operator", 200)]),
    ),
    Case("continuity check", "active", "POST", "/continuity/check", only([("service", 200), ("operator", 200)])),
    Case("coverage", "active", "GET", "/coverage", everyone()),
]


def build(driver, stage: str) -> dict:
    """Bring the tender's contract to ``stage``; returns the ids the paths need."""
    # A long grace keeps later reports from coming due: the renewal policy then weighs the first one alone.
    context = driver.app.extensions["service_context"]
    renewal = replace(context.own_settings.renewal, report_grace=timedelta(days=400))
    context.own_settings = replace(context.own_settings, renewal=renewal)
    decide(driver)
    end_standstill(driver)
    if stage == "awaiting":
        return {}
    contract = make_contracts(driver).json[0]
    ids = {"k": contract["id"]}
    if stage == "pending":
        return ids
    contract = sign_both(driver, contract)
    first = contract["milestones"][0]
    driver.clock.now = datetime.fromisoformat(first["period_end"]) + timedelta(days=1)
    if stage == "active":
        return ids
    report = driver.client.post(
        f"/api/v1/contracts/{contract['id']}/reports", json=REPORT, headers=driver.tokens.bidder
    )
    ids["r"] = report.json["id"]
    if stage == "report":
        return ids
    driver.client.post(f"/api/v1/contracts/{contract['id']}/reports/{ids['r']}/accept", headers=driver.tokens.authority)
    driver.clock.now = datetime.fromisoformat(contract["end_at"]) - timedelta(days=80)
    if stage == "proposed":
        driver.client.post(f"/api/v1/contracts/{contract['id']}/renewal", json={}, headers=driver.tokens.service)
    return ids


@pytest.fixture
def restore_policy(contracting_app):
    context = contracting_app.extensions["service_context"]
    saved = context.own_settings
    yield
    context.own_settings = saved


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_role_meets_the_contract_endpoint_s_rule(scored, restore_policy, case):
    ids = build(scored, case.stage)
    path = "/api/v1" + case.path.format(t=scored.tender["id"], **ids)
    seen = {}
    for role, _expected in case.expected:
        response = scored.client.open(
            path, method=case.method, json=case.body, headers=headers_for(scored.tokens, role)
        )
        assert response.is_json, f"{role}: {response.data[:200]}"
        seen[role] = response.status_code
    assert seen == dict(case.expected)
    assert set(seen) == set(ALL)


def test_the_matrix_covers_every_contract_route(contracting_app):
    prefixes = ("/api/v1/contracts", "/api/v1/renewals", "/api/v1/continuity", "/api/v1/coverage")
    routes = {
        (method, rule.rule.removeprefix("/api/v1"))
        for rule in contracting_app.url_map.iter_rules()
        if rule.rule.startswith(prefixes) or rule.rule == "/api/v1/tenders/<int:tender_id>/contracts"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    normalise = {"<int:tender_id>": "{t}", "<int:contract_id>": "{k}", "<int:report_id>": "{r}"}
    found = set()
    for method, rule in routes:
        for name, placeholder in normalise.items():
            rule = rule.replace(name, placeholder)
        found.add((method, rule))
    assert found == {(c.method, c.path) for c in CASES}
