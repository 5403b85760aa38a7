"""Every transparency endpoint against every role: the public side answers anyone (a token changes nothing),
audit verification only the tender's own authority and operators; and every such route is in the matrix."""

from __future__ import annotations

ALL = ("operator", "authority", "authority_other", "evaluator", "cso_bidder", "cso_other", "service", "anonymous")
PREFIXES = ("/api/v1/ocds", "/api/v1/feed", "/api/v1/public", "/api/v1/exports")
PUBLIC = [(role, 200) for role in ALL]
VERIFY = [
    ("anonymous", 401),
    ("authority_other", 404),
    ("evaluator", 403),
    ("cso_bidder", 403),
    ("cso_other", 403),
    ("service", 403),
    ("authority", 200),
    ("operator", 200),
]
CASES = [
    ("/ocds/releases", PUBLIC),
    ("/ocds/records?ocid={ocid}", PUBLIC),
    ("/feed", PUBLIC),
    ("/public/calls", PUBLIC),
    ("/public/calls/{t}", PUBLIC),
    ("/public/calls/{t}/clarifications", PUBLIC),
    ("/public/calls/{t}/ranking", PUBLIC),
    ("/public/contracts", PUBLIC),
    ("/exports/awards?format=csv", PUBLIC),
    ("/exports/contracts", PUBLIC),
    ("/tenders/{t}/audit/verify", VERIFY),
]


def headers_for(tokens, role: str) -> dict:
    named = {"authority_other": tokens.authority_other, "cso_bidder": tokens.bidder, "cso_other": tokens.cso_other}
    named.update(evaluator=tokens.evaluator, anonymous=tokens.anonymous)
    return named.get(role) or getattr(tokens, role)


def test_each_transparency_endpoint_answers_each_role_as_the_matrix_says(decided):
    for path, expected in CASES:
        url = "/api/v1" + path.format(t=decided.tender["id"], ocid=decided.tender["ocid"])
        seen = {
            role: decided.client.get(url, headers=headers_for(decided.tokens, role)).status_code for role, _ in expected
        }
        assert seen == dict(expected), path
        assert set(seen) == set(ALL)


def test_the_matrix_covers_every_transparency_route(contracting_app):
    routes = {
        (method, rule.rule.removeprefix("/api/v1"))
        for rule in contracting_app.url_map.iter_rules()
        if rule.rule.startswith(PREFIXES) or rule.rule.endswith("/audit/verify")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    found = {(method, rule.replace("<int:tender_id>", "{t}")) for method, rule in routes}
    assert found == {("GET", path.split("?")[0]) for path, _ in CASES}
