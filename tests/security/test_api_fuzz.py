"""schemathesis against every service's OpenAPI document, as each role and anonymously, on seeded databases.

Every service must answer every generated request as documented. Out-of-range numbers that once made
contracting answer 500 (huge money and scores, ids and cursors beyond their columns) are pinned below as
explicit requests, so they stay 4xx whatever examples the fuzzer happens to draw.
"""

from __future__ import annotations

import pytest

from tests.security.fuzzing import fuzz, report
from tests.security.seeds import FUZZ_ROLES, headers_for

HUGE = 2**70

# (method, path with {open}/{evaluated}/{lot}, caller, body) -> must be a 4xx with a body saying what was wrong
CONTRACTING_CASES = [
    pytest.param(
        "POST",
        "/tenders/{open}/bids",
        "cso_b",
        {"lot_id": "{lot}", "unit_price": 1e30, "places": 3, "quality_text": "Propunere"},
        id="a bid priced 1e30",
    ),
    pytest.param(
        "POST",
        "/tenders/{evaluated}/evaluation/scores",
        "evaluator",
        {"scores": [{"bid_id": 1, "criterion_id": 2, "score": 1e308, "justification": "Conform grilei"}]},
        id="a score of 1e308",
    ),
    pytest.param(
        "POST",
        "/tenders/{open}/bids",
        "cso_b",
        {"lot_id": HUGE, "unit_price": "100.00", "places": 3, "quality_text": "Propunere"},
        id="a bid on lot 2**70",
    ),
    pytest.param(
        "GET",
        f"/feed?cursor={HUGE}",
        "anonymous",
        None,
        id="feed cursor 2**70",
    ),
    pytest.param(
        "GET",
        f"/ocds/releases?cursor={HUGE}",
        "anonymous",
        None,
        id="releases cursor 2**70",
    ),
    pytest.param(
        "GET",
        f"/contracts?provider_id={HUGE}",
        "anonymous",
        None,
        id="contracts of provider 2**70",
    ),
]


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_the_registry_answers_every_generated_request_as_its_document_says(make_service_app, token_mint, role):
    # The log-in throttle is state across examples (a replayed failing example may no longer be throttled, which
    # Hypothesis reports as "unreliable"); it has its own tests in test_login_throttle.py.
    registry = make_service_app("registry", RATELIMIT_ENABLED=False)
    findings = fuzz(registry, role, headers_for(token_mint, role))
    assert not findings, report(findings)


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_notifications_answers_every_generated_request_as_its_document_says(make_service_app, token_mint, role):
    findings = fuzz(make_service_app("notifications"), role, headers_for(token_mint, role))
    assert not findings, report(findings)


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_contracting_answers_every_generated_request_as_its_document_says(make_service_app, token_mint, role):
    findings = fuzz(make_service_app("contracting"), role, headers_for(token_mint, role))
    assert not findings, report(findings)


@pytest.mark.parametrize(("method", "path", "caller", "body"), CONTRACTING_CASES)
def test_contracting_answers_out_of_range_numbers_with_a_4xx_not_a_500(
    make_service_app, templates, token_mint, method, path, caller, body
):
    ids = templates["contracting"].ids
    client = make_service_app("contracting").test_client()
    lot = client.get(f"/api/v1/tenders/{ids['open_tender']}").json["lots"][0]["id"]
    path = path.format(open=ids["open_tender"], evaluated=ids["evaluated_tender"])
    if body and body.get("lot_id") == "{lot}":
        body = {**body, "lot_id": lot}
    response = client.open(f"/api/v1{path}", method=method, json=body, headers=headers_for(token_mint, caller))
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.json["message"] and response.json["code"] == response.status_code
