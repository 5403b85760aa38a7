"""Cross-tenant: district A's authority and CSO B try every read and write on district C's tenders and CSO D's
bids (and C's contract); all are refused, and a refusal says no more than "does not exist" would.

The operations come from contracting's own OpenAPI document, so endpoints added later are tried too; request
bodies are built valid from the documented schemas, so a refusal is the handler's, not the schema's.
"""

from __future__ import annotations

import re

import pytest

from tests.security.seeds import headers_for

MISSING = 999_999
SAMPLE = {"string": "Motiv întemeiat pentru verificare", "integer": 1, "number": 1, "boolean": False}


def minimal(schema: dict, components: dict):
    """The smallest body the schema accepts (required fields only), so the request reaches its handler."""
    if "$ref" in schema:
        return minimal(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        required = schema.get("required", [])
        return {name: minimal(schema["properties"][name], components) for name in required}
    if kind == "array":
        return [minimal(schema.get("items", {}), components) for _ in range(max(1, schema.get("minItems", 1)))]
    if schema.get("format") == "decimal":
        return "100.00"
    if schema.get("format") in ("date-time", "date"):
        return "2027-06-01T09:00:00+00:00" if schema["format"] == "date-time" else "2027-06-01"
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    return SAMPLE.get(kind, "x")


def shape(response) -> tuple:
    """Status and message shape: the body's keys and its message with every number blanked."""
    body = response.get_json(silent=True) or {}
    return response.status_code, sorted(body), re.sub(r"\d+", "#", str(body.get("message", "")))


class Attempts:
    """Every documented operation on one tender (and its sub-resources), with real ids and with missing ones."""

    def __init__(self, app, mint, ids: dict) -> None:
        self.client, self.mint = app.test_client(), mint
        document = self.client.get("/api/v1/openapi.json").json
        self.components = document["components"]["schemas"]
        self.operations = [
            (method.upper(), path, operation)
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "responses" in operation
        ]
        self.ids = ids

    def send(self, who: str, method: str, template: str, operation: dict, values: dict):
        path = template.replace("/api/v1", "", 1)
        for name, value in values.items():
            path = path.replace(f"{{{name}}}", str(value))
        path = re.sub(r"\{[a-z_]+\}", "1", path)
        schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        body = minimal(schema, self.components) if schema else None
        return self.client.open(f"/api/v1{path}", method=method, json=body, headers=headers_for(self.mint, who))

    def compare(self, who: str, params: set[str], real: dict, missing: dict) -> list[str]:
        """For each operation whose path has all ``params``: refused exactly as if the object did not exist
        (or, for a public read, shown no more than an anonymous caller sees)."""
        leaks = []
        for method, template, operation in self.operations:
            names = set(re.findall(r"\{([a-z_]+)\}", template))
            if not params <= names:
                continue
            answer = self.send(who, method, template, operation, real)
            if method == "GET" and "x-roles" not in operation:
                # A public read may show exactly what anyone is shown (or less, as a refusal).
                anonymous = self.send("anonymous", method, template, operation, real)
                if (answer.status_code, answer.get_json(silent=True)) == (
                    anonymous.status_code,
                    anonymous.get_json(silent=True),
                ):
                    continue
            if answer.status_code < 400:
                leaks.append(f"{who} {method} {template}: let through ({answer.status_code})")
                continue
            absent = self.send(who, method, template, operation, missing)
            if shape(answer) != shape(absent):
                leaks.append(f"{who} {method} {template}: {shape(answer)} vs missing {shape(absent)}")
        return leaks


@pytest.fixture
def contracting(make_service_app, templates, token_mint):
    app = make_service_app("contracting")
    return Attempts(app, token_mint, templates["contracting"].ids)


def snapshot(attempts: Attempts) -> dict:
    """What district C's authority and CSO D see of their work: unchanged by the attackers' attempts."""
    ids, seen = attempts.ids, {}
    for tender in ("open_tender", "draft_tender", "evaluated_tender"):
        path = f"/api/v1/tenders/{ids[tender]}"
        seen[tender] = attempts.client.get(path, headers=headers_for(attempts.mint, "authority")).json
        audit = attempts.client.get(f"{path}/audit", headers=headers_for(attempts.mint, "authority"))
        seen[f"{tender} audit"] = audit.get_json()
    bid = f"/api/v1/tenders/{ids['open_tender']}/bids/{ids['bid_of_cso_d']}"
    seen["bid of D"] = attempts.client.get(bid, headers=headers_for(attempts.mint, "cso_d")).json
    return seen


def test_an_authority_of_another_district_is_refused_everything_on_district_cs_tenders_as_if_they_did_not_exist(
    contracting,
):
    before = snapshot(contracting)
    leaks = []
    for tender in ("draft_tender", "open_tender", "evaluated_tender"):
        real = {"tender_id": contracting.ids[tender], "bid_id": contracting.ids["bid_of_cso_d"]}
        leaks += contracting.compare("authority_a", {"tender_id"}, real, {**real, "tender_id": MISSING})
    assert not leaks, "\n".join(leaks)
    assert snapshot(contracting) == before


def test_a_cso_is_refused_everything_on_another_csos_bid_as_if_it_did_not_exist(contracting):
    before = snapshot(contracting)
    real = {"tender_id": contracting.ids["open_tender"], "bid_id": contracting.ids["bid_of_cso_d"]}
    leaks = contracting.compare("cso_b", {"tender_id", "bid_id"}, real, {**real, "bid_id": MISSING})
    leaks += contracting.compare("authority_a", {"tender_id", "bid_id"}, real, {**real, "tender_id": MISSING})
    assert not leaks, "\n".join(leaks)
    assert snapshot(contracting) == before


def test_bid_listings_never_show_another_csos_bid(contracting):
    tender = contracting.ids["open_tender"]
    for who in ("cso_b", "authority_a"):
        response = contracting.client.get(f"/api/v1/tenders/{tender}/bids", headers=headers_for(contracting.mint, who))
        assert response.status_code in (200, 404)
        assert f'"id":{contracting.ids["bid_of_cso_d"]}' not in response.get_data(as_text=True).replace(" ", "")


def test_another_districts_authority_never_lists_district_cs_draft(contracting):
    listing = contracting.client.get("/api/v1/tenders", headers=headers_for(contracting.mint, "authority_a")).json
    assert contracting.ids["draft_tender"] not in {tender["id"] for tender in listing}
    own = contracting.client.get("/api/v1/tenders", headers=headers_for(contracting.mint, "authority")).json
    assert contracting.ids["draft_tender"] in {tender["id"] for tender in own}


def test_another_districts_authority_and_another_cso_are_refused_district_cs_contract_as_if_it_did_not_exist(
    contracting,
):
    assert "contract" in contracting.ids, "the seed has no signed contract to attack"
    real = {"contract_id": contracting.ids["contract"]}
    leaks = contracting.compare("authority_a", {"contract_id"}, real, {"contract_id": MISSING})
    leaks += contracting.compare("cso_b", {"contract_id"}, real, {"contract_id": MISSING})
    assert not leaks, "\n".join(leaks)
