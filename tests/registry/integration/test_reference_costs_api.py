"""Reference costs per beneficiary (issue 20): operators set them with their source, anyone reads them, and every
change is announced once as reference_cost.set with the row."""

from __future__ import annotations

import pytest

PATH = "/api/v1/reference-costs"
CAHUL = "Decizia Consiliului raional Cahul nr. 5/12 din 14.11.2026"


def put(registry, service="home-care", district="MD-CU", year=2027, role="operator", **body):
    body = {"amount": "9500.00", "source": CAHUL, **body}
    return registry.client.put(f"{PATH}/{service}/{district}/{year}", json=body, headers=registry.headers(role))


def test_an_operator_sets_a_reference_cost_and_anyone_reads_it_with_its_source(registry):
    answer = put(registry, amount="9500.5")
    assert answer.status_code == 200, answer.json
    assert answer.json["amount"] == "9500.50" and answer.json["version"] == 1
    listed = registry.client.get(PATH)
    assert listed.status_code == 200
    (row,) = listed.json
    assert {key: row[key] for key in ("service_type", "district_code", "year", "amount", "currency", "source")} == {
        "service_type": "home-care",
        "district_code": "MD-CU",
        "year": 2027,
        "amount": "9500.50",
        "currency": "MDL",
        "source": CAHUL,
    }
    assert row["version"] == 1 and row["updated_at"].startswith("2026-06-01T09:00:00")


def test_a_national_value_is_kept_under_the_star_and_the_list_filters_by_service_district_and_year(registry):
    put(registry, district="*", amount="8000")
    put(registry, district="MD-CU", amount="9500")
    put(registry, service="day-centre", district="*", year=2028, amount="12000")
    national = registry.client.get(PATH, query_string={"district_code": "*"}).json
    assert [(r["service_type"], r["year"], r["amount"]) for r in national] == [
        ("home-care", 2027, "8000.00"),
        ("day-centre", 2028, "12000.00"),
    ]
    assert [r["district_code"] for r in registry.client.get(PATH, query_string={"year": 2027}).json] == ["*", "MD-CU"]
    assert len(registry.client.get(PATH, query_string={"service_type": "day-centre"}).json) == 1


def test_a_change_bumps_the_version_and_is_announced_once_with_the_row(registry):
    put(registry, amount="9000")
    changed = put(registry, amount="9500", source="Decizia nr. 6/1 din 01.12.2026")
    assert changed.json["version"] == 2
    events = [e for e in registry.events() if e.type == "reference_cost.set"]
    assert [(e.payload["amount"], e.payload["version"]) for e in events] == [("9000.00", 1), ("9500.00", 2)]
    assert events[-1].payload == changed.json


def test_setting_the_same_cost_again_changes_nothing_and_announces_nothing(registry):
    put(registry)
    again = put(registry)
    assert again.status_code == 200 and again.json["version"] == 1
    assert registry.event_types().count("reference_cost.set") == 1


@pytest.mark.parametrize(
    ("where", "body", "field"),
    [
        ({"service": "no-such-service"}, {}, "service_type"),
        ({"district": "MD-XX"}, {}, "district_code"),
        ({"year": 2019}, {}, "year"),
        ({"year": 2101}, {}, "year"),
        ({}, {"amount": "0"}, "amount"),
        ({}, {"amount": "-5"}, "amount"),
        ({}, {"amount": "12.345"}, "amount"),
        ({}, {"source": ""}, "source"),
    ],
)
def test_an_unknown_service_or_district_a_year_out_of_range_or_a_bad_amount_is_refused_with_a_message(
    registry, where, body, field
):
    answer = put(registry, **where, **body)
    assert answer.status_code == 422, answer.json
    assert answer.json["message"] and field in answer.json["errors"]
    assert "reference_cost.set" not in registry.event_types()
    assert registry.client.get(PATH).json == []


def test_a_body_without_its_source_is_refused(registry):
    answer = registry.client.put(
        f"{PATH}/home-care/MD-CU/2027", json={"amount": "9500"}, headers=registry.headers("operator")
    )
    assert answer.status_code == 422 and "source" in answer.json["errors"]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("authority", 403), ("cso", 403), ("service", 403)])
def test_only_an_operator_may_set_a_reference_cost(registry, role, status):
    assert put(registry, role=role).status_code == status
    assert registry.client.get(PATH).json == []
