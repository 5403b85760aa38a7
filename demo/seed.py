"""Seeds the demo's cast through the public APIs, as an operator would; running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from demo.cast import AUTHORITIES, BODY, CSOS, REFERENCE_COSTS, evaluator_emails
from demo.platform import Api, Progress, expect, wait_for


@dataclass
class Cast:
    """Ids and credentials of everyone who acts in the round."""

    operator: dict
    providers: dict[str, int]  # cso key -> provider id
    password: str


def seed(api: Api, operator_password: str, password: str, progress: Progress) -> Cast:
    operator = api.login("operator@sscp.md", operator_password)
    # First: on contracting's one registry queue they arrive before the providers the wait below watches for.
    years = _seed_reference_costs(api, operator)
    progress.done(f"registry: {len(REFERENCE_COSTS)} reference costs per place for {years} (district and national)")
    providers = {cso.key: _ensure_provider(api, operator, cso) for cso in CSOS}
    progress.done(f"registry: {len(providers)} CSOs registered with their accreditations (some expired)")
    for district, email in AUTHORITIES.items():
        _ensure_user(api, operator, {"email": email, "role": "authority", "district_code": district}, password)
        for evaluator in evaluator_emails(district):
            _ensure_user(api, operator, {"email": evaluator, "role": "evaluator", "district_code": district}, password)
    for cso in CSOS:
        body = {"email": f"user@{cso.key}.md", "role": "cso", "provider_id": providers[cso.key]}
        _ensure_user(api, operator, body, password)
    progress.done(f"registry: {len(AUTHORITIES)} district departments with 3 evaluators each, one user per CSO")
    last = max(providers.values())
    wait_for(
        "contracting's eligibility replica to receive the registry's events",
        lambda: api.call("GET", "contracting", f"/replica/providers/{last}", operator).json().get("accreditations"),
        timeout=90,
    )
    progress.done("contracting: eligibility replica caught up from registry events over the bus")
    return Cast(operator, providers, password)


def _seed_reference_costs(api: Api, operator: dict) -> str:
    """This year's and next year's reference costs; setting an unchanged one again changes nothing."""
    this_year = datetime.now(UTC).year
    for year in (this_year, this_year + 1):
        for service, district, amount, source in REFERENCE_COSTS:
            body = {"amount": amount, "source": source.format(year_before=f"15.11.{year - 1}")}
            path = f"/reference-costs/{service}/{district}/{year}"
            api.ok("PUT", "registry", path, operator, f"reference cost {service} {district} {year}", json=body)
    return f"{this_year} and {this_year + 1}"


def _ensure_provider(api: Api, operator: dict, cso) -> int:
    found = api.ok("GET", "registry", "/providers", operator, "find provider", params={"idno": cso.idno})
    if found:
        return found[0]["id"]
    body = {"idno": cso.idno, "legal_name": cso.name, "email": cso.contact, "districts_served": list(cso.districts)}
    provider = api.ok("POST", "registry", "/providers", operator, f"register {cso.name}", json=body)
    for number, (service, (valid_from, valid_to)) in enumerate(cso.accreditations, start=1):
        grant = {
            "service_type": service,
            "accrediting_body": BODY,
            "certificate_number": f"ANAS-{cso.idno[-5:]}-{number}",
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
        }
        api.ok("POST", "registry", f"/providers/{provider['id']}/accreditations", operator, "accredit", json=grant)
    return provider["id"]


def _ensure_user(api: Api, operator: dict, body: dict, password: str) -> None:
    response = api.call("POST", "registry", "/users", operator, json={**body, "password": password})
    expect(response, (201, 409), f"create user {body['email']}")
