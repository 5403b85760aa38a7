"""A provider's public page: everything it shows is read without a token from the register's own endpoints
(GET /providers, /providers/<id>, /accreditations?provider_id=…), and never the accounts of the provider's people."""

from __future__ import annotations

import json


def anonymous_get(registry, path: str, **query):
    return registry.client.get(f"/api/v1{path}", query_string=query)


def test_anyone_reads_a_providers_page_data_without_a_token(registry):
    response = anonymous_get(registry, f"/providers/{registry.id('provider_cu')}")

    assert response.status_code == 200
    provider = response.json
    assert (provider["id"], provider["legal_name"], provider["idno"]) == (
        registry.id("provider_cu"),
        "AO Casa Speranței",
        "1003600012345",
    )
    assert (provider["legal_form"], provider["address"], provider["status"]) == ("asociație obștească", None, "active")
    assert provider["districts_served"] == ["MD-CU"]
    [accreditation] = provider["accreditations"]
    assert (accreditation["service_type"], accreditation["status"]) == ("home-care", "active")
    assert (accreditation["valid_from"], accreditation["valid_to"]) == ("2025-01-01", "2029-12-31")


def test_a_providers_page_never_shows_the_accounts_of_its_people(registry):
    body = anonymous_get(registry, f"/providers/{registry.id('provider_cu')}").get_data(as_text=True)
    assert "cso@sscp.md" not in body
    assert not {"users", "password_hash", "full_name"} & set(json.loads(body))


def test_a_provider_that_does_not_exist_answers_a_json_404(registry):
    response = anonymous_get(registry, "/providers/999999")
    assert (response.status_code, response.is_json) == (404, True)
    assert response.json == {"code": 404, "message": "provider 999999 does not exist"}


def test_anyone_lists_one_providers_accreditations_with_each_ones_status(registry):
    response = anonymous_get(registry, "/accreditations", provider_id=registry.id("provider_ba"))
    assert response.status_code == 200
    assert [(item["id"], item["service_type"], item["status"]) for item in response.json] == [
        (registry.id("accreditation_ba"), "home-care", "suspended")
    ]


def test_a_suspended_provider_stays_readable_and_says_it_is_suspended(registry):
    provider = registry.id("provider_ba")
    suspended = registry.client.patch(
        f"/api/v1/providers/{provider}", json={"status": "suspended"}, headers=registry.headers("operator")
    )
    assert suspended.status_code == 200
    response = anonymous_get(registry, f"/providers/{provider}")
    assert (response.status_code, response.json["status"]) == (200, "suspended")


def test_anyone_pages_through_the_register_and_filters_it_by_district(registry):
    first = anonymous_get(registry, "/providers", page_size=1)
    assert first.status_code == 200 and len(first.json) == 1
    assert json.loads(first.headers["X-Pagination"])["total"] == 2
    in_balti = anonymous_get(registry, "/providers", district_code="MD-BA")
    assert [provider["legal_name"] for provider in in_balti.json] == ["AO Pas cu Pas"]
