"""Every contracting endpoint against every role: who passes, who gets 401/403, and who is told 404.

Roles are called in the order listed: the refused ones first (they change nothing), then the allowed ones,
whose first call does the write; a later allowed caller may then meet the new state (a 409), which still shows
it passed the gate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

OPEN = ("operator", "authority", "evaluator", "cso_bidder", "cso_other", "service", "anonymous")


def public(code: int = 200) -> list[tuple[str, int]]:
    """Readable by anyone: a token never sees less than the public, so another district's authority reads it too."""
    return [("authority_other", code), *((role, code) for role in OPEN)]


def only(allowed: list[tuple[str, int]], refused_code: int = 403, other_district: int | None = None):
    """Only ``allowed`` pass; another district's authority meets 404 where authorities may act, else 403."""
    names = {role for role, _ in allowed}
    if other_district is None:
        other_district = 404 if "authority" in names else 403
    refused = [("anonymous", 401)] + [
        (role, other_district if role == "authority_other" else refused_code)
        for role in ("authority_other", "operator", "authority", "evaluator", "cso_bidder", "cso_other", "service")
        if role not in names
    ]
    return refused + allowed


@dataclass(frozen=True)
class Case:
    name: str
    stage: str
    method: str
    path: str
    expected: list[tuple[str, int]]
    body: str | None = None


def bodies(driver, ids) -> dict:
    return {
        "tender": {**_tender(driver)},
        "reason": {"reason": "Motiv întemeiat pentru test"},
        "amendment": {"rationale": "Modificare a caietului de sarcini"},
        "question": {"question": "Care este programul de lucru?"},
        "answer": {"answer": "Luni-vineri."},
        "bid": driver.bid_body() if driver.tender.get("lots") else None,
        "committee": {"evaluators": ["24"]},
        "declaration": {"has_conflict": False},
        "scores": {
            "scores": [
                {"bid_id": b, "criterion_id": c, "score": "70", "justification": "Conform grilei de evaluare"}
                for b in ids.get("eligible", [])
                for c in driver.quality_ids()
            ]
        },
        "complaint": {"title": "Punctaj greșit", "description": "Calitatea a fost subevaluată"},
        "resolution": {"decision": "rejected", "reasons": "Punctajul respectă grila"},
    }


def _tender(driver) -> dict:
    from tests.contracting.conftest import tender_body

    return tender_body(driver.clock)


CASES = [
    Case("list tenders", "enquiries", "GET", "/tenders", [(r, 200) for r in (*OPEN, "authority_other")]),
    Case(
        "create tender",
        "enquiries",
        "POST",
        "/tenders",
        only([("authority", 201)], other_district=403),
        "tender",
    ),
    Case("read published tender", "enquiries", "GET", "{t}", public()),
    Case(
        "read draft",
        "draft",
        "GET",
        "{t}",
        [
            ("authority_other", 404),
            ("evaluator", 404),
            ("cso_bidder", 404),
            ("cso_other", 404),
            ("service", 404),
            ("anonymous", 404),
            ("operator", 200),
            ("authority", 200),
        ],
    ),
    Case("publish", "draft", "POST", "{t}/publish", only([("authority", 200)])),
    Case(
        "due transitions",
        "enquiries",
        "POST",
        "{t}/transitions/due",
        only([("service", 200), ("operator", 200)]),
    ),
    Case(
        "eligible providers",
        "enquiries",
        "GET",
        "{t}/eligible-providers",
        only([("service", 200), ("operator", 200)]),
    ),
    Case(
        "invitations",
        "enquiries",
        "POST",
        "{t}/invitations",
        only([("service", 200), ("operator", 200)]),
    ),
    Case("cancel", "enquiries", "POST", "{t}/cancel", only([("authority", 200)]), "reason"),
    Case("list amendments", "enquiries", "GET", "{t}/amendments", public()),
    Case("amend", "enquiries", "POST", "{t}/amendments", only([("authority", 201)]), "amendment"),
    Case("list questions", "enquiries", "GET", "{t}/questions", public()),
    Case("ask", "enquiries", "POST", "{t}/questions", only([("cso_bidder", 201), ("cso_other", 201)]), "question"),
    Case("answer", "enquiries", "POST", "{t}/questions/{q}/answer", only([("authority", 200)]), "answer"),
    Case(
        "list sealed bids",
        "enquiries",
        "GET",
        "{t}/bids",
        only([("cso_bidder", 200), ("cso_other", 200), ("authority", 200)]),
    ),
    Case("submit bid", "enquiries", "POST", "{t}/bids", only([("cso_other", 201), ("cso_bidder", 409)]), "bid"),
    Case(
        "read sealed bid",
        "enquiries",
        "GET",
        "{t}/bids/{b}",
        only([("cso_bidder", 200)], refused_code=404, other_district=404),
    ),
    Case("modify bid", "enquiries", "PUT", "{t}/bids/{b}", only([("cso_other", 404), ("cso_bidder", 200)]), "bid"),
    Case("withdraw bid", "enquiries", "POST", "{t}/bids/{b}/withdraw", only([("cso_other", 404), ("cso_bidder", 200)])),
    Case(
        "reconfirm bid", "enquiries", "POST", "{t}/bids/{b}/reconfirm", only([("cso_other", 404), ("cso_bidder", 200)])
    ),
    Case(
        "list opened bids",
        "evaluation",
        "GET",
        "{t}/bids",
        only(
            [
                ("cso_bidder", 200),
                ("cso_other", 200),
                ("authority", 200),
                ("operator", 200),
                ("service", 200),
                ("evaluator", 200),
            ]
        ),
    ),
    Case(
        "read opened bid",
        "evaluation",
        "GET",
        "{t}/bids/{b}",
        only(
            [("cso_bidder", 200), ("authority", 200), ("operator", 200), ("service", 200), ("evaluator", 200)],
            refused_code=404,
        ),
    ),
    Case(
        "read committee",
        "evaluation",
        "GET",
        "{t}/committee",
        only([("authority", 200), ("operator", 200), ("service", 200), ("evaluator", 200)]),
    ),
    Case("seat evaluators", "evaluation", "POST", "{t}/committee", only([("authority", 200)]), "committee"),
    Case("declare", "opened", "POST", "{t}/committee/declaration", only([("evaluator", 200)]), "declaration"),
    Case(
        "read scores",
        "evaluation",
        "GET",
        "{t}/evaluation/scores",
        only([("authority", 200), ("operator", 200), ("service", 200), ("evaluator", 200)]),
    ),
    Case("score", "evaluation", "POST", "{t}/evaluation/scores", only([("evaluator", 200)]), "scores"),
    Case(
        "complete evaluation",
        "scored",
        "POST",
        "{t}/evaluation/complete",
        only([("authority", 200), ("service", 409), ("operator", 409)]),
    ),
    Case("list awards", "standstill", "GET", "{t}/awards", public()),
    Case("ranking", "standstill", "GET", "{t}/ranking", public()),
    Case(
        "decline award",
        "standstill",
        "POST",
        "{t}/awards/{a}/decline",
        only([("cso_other", 403), ("cso_bidder", 200)]),
        "reason",
    ),
    Case("disqualify winner", "standstill", "POST", "{t}/awards/{a}/disqualify", only([("authority", 200)]), "reason"),
    Case(
        "list complaints",
        "standstill",
        "GET",
        "{t}/complaints",
        only([("authority", 200), ("operator", 200), ("service", 200), ("cso_bidder", 200), ("cso_other", 200)]),
    ),
    Case(
        "complain", "standstill", "POST", "{t}/complaints", only([("cso_other", 403), ("cso_bidder", 201)]), "complaint"
    ),
    Case(
        "resolve complaint",
        "complained",
        "POST",
        "{t}/complaints/{c}/resolution",
        only([("operator", 200), ("authority", 409)]),
        "resolution",
    ),
    Case(
        "audit chain", "standstill", "GET", "{t}/audit", only([("authority", 200), ("operator", 200), ("service", 200)])
    ),
    Case(
        "replica",
        "draft",
        "GET",
        "/replica/providers/5",
        only([("operator", 200), ("service", 200)]),
    ),
]


def build(driver, stage: str) -> dict:
    """Bring a tender to ``stage``; returns the ids the paths need."""
    if stage == "draft":
        driver.create()
        return {}
    driver.publish()
    ids = {"b": driver.bid(5).json["bid"]["id"]}
    driver.client.post(f"{driver.url}/bids", json=driver.bid_body(unit_price="9500.00"), headers=driver.tokens.cso[6])
    question = driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso[8]
    )
    ids["q"] = question.json["id"]
    if stage == "enquiries":
        return ids
    driver.seat_committee()
    driver.close()
    ids["eligible"] = driver.eligible_bid_ids()
    if stage == "opened":
        return ids
    driver.declare("21")
    if stage == "evaluation":
        return ids
    driver.evaluate({ids["eligible"][0]: "90", ids["eligible"][1]: "70"}, evaluators=("22", "23"))
    driver.score("21", {ids["eligible"][0]: "90", ids["eligible"][1]: "70"})
    if stage == "scored":
        return ids
    driver.tender = driver.complete().json
    ids["a"] = driver.client.get(f"{driver.url}/awards").json[0]["id"]
    if stage == "complained":
        body = {"title": "Punctaj greșit", "description": "Calitatea a fost subevaluată"}
        ids["c"] = driver.client.post(f"{driver.url}/complaints", json=body, headers=driver.tokens.cso[6]).json["id"]
    return ids


def headers_for(tokens, role: str) -> dict:
    return {
        "operator": tokens.operator,
        "authority": tokens.authority,
        "authority_other": tokens.authority_other,
        "evaluator": tokens.evaluator,
        "cso_bidder": tokens.bidder,
        "cso_other": tokens.cso_other,
        "service": tokens.service,
        "anonymous": tokens.anonymous,
    }[role]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_role_meets_the_endpoint_s_rule(driver, case):
    ids = build(driver, case.stage)
    tender = f"/tenders/{driver.tender['id']}"
    path = "/api/v1" + case.path.format(t=tender, **{k: v for k, v in ids.items() if k != "eligible"})
    body = bodies(driver, ids)[case.body] if case.body else None
    seen = {}
    for role, _expected in case.expected:
        response = driver.client.open(path, method=case.method, json=body, headers=headers_for(driver.tokens, role))
        assert response.is_json, f"{role}: {response.data[:200]}"
        seen[role] = response.status_code
    assert seen == dict(case.expected)
    assert set(seen) == {*OPEN, "authority_other"}


# Routes with their own matrices: test_contract_authorization_matrix.py (contracts, reports, renewals,
# continuity, coverage), test_public_authorization_matrix.py (OCDS, feed, public API, exports, audit verify) and
# test_documents_api.py (documents: every reader at each stage of the call).
COVERED_ELSEWHERE = (
    *("/contracts", "/renewals", "/continuity", "/coverage", "/ocds/", "/feed", "/public/", "/exports/"),
    "/documents/",
)
COVERED_ELSEWHERE_RULES = {
    "/tenders/<int:tender_id>/contracts",
    "/tenders/<int:tender_id>/audit/verify",
    "/tenders/<int:tender_id>/documents",
}


def test_the_matrix_covers_every_route_of_the_api(contracting_app):
    routes = {
        (method, rule.rule.removeprefix("/api/v1"))
        for rule in contracting_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and "openapi" not in rule.rule and "docs" not in rule.rule
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(c.method, c.path) for c in CASES}
    normalise = {
        "<int:tender_id>": "{t}",
        "<int:bid_id>": "{b}",
        "<int:question_id>": "{q}",
        "<int:award_id>": "{a}",
        "<int:complaint_id>": "{c}",
    }
    missing = set()
    for method, rule in routes:
        if rule.startswith(COVERED_ELSEWHERE) or rule in COVERED_ELSEWHERE_RULES:
            continue
        path = rule.replace("/tenders/<int:tender_id>", "{t}")
        for name, placeholder in normalise.items():
            path = path.replace(name, placeholder)
        path = path.replace("<int:provider_id>", "5")
        if (method, path) not in covered:
            missing.add((method, rule))
    assert missing == set()
