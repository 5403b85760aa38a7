"""Eligibility: accredited for the service, valid on the day, active, serving the district."""

from __future__ import annotations

from datetime import date

from services.common.registry_facts import AccreditationFacts, ProviderFacts, is_eligible

DAY = date(2026, 11, 24)
PROVIDER = ProviderFacts(7, "active", frozenset({"MD-CU"}))


def accreditation(**changes) -> AccreditationFacts:
    values = {
        "provider_id": 7,
        "service_type": "home-care",
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2030, 12, 31),
    }
    values["status"] = "active"
    values.update(changes)
    return AccreditationFacts(**values)


def test_an_active_accreditation_for_the_service_in_a_served_district_is_eligible():
    assert is_eligible(PROVIDER, [accreditation()], "home-care", "MD-CU", DAY)


def test_an_expired_accreditation_is_not_eligible():
    assert not is_eligible(PROVIDER, [accreditation(valid_to=date(2026, 11, 23))], "home-care", "MD-CU", DAY)


def test_an_accreditation_for_another_service_is_not_eligible():
    assert not is_eligible(PROVIDER, [accreditation(service_type="day-centre")], "home-care", "MD-CU", DAY)


def test_a_provider_not_serving_the_district_is_not_eligible():
    assert not is_eligible(PROVIDER, [accreditation()], "home-care", "MD-BA", DAY)


def test_a_suspended_accreditation_or_provider_is_not_eligible():
    assert not is_eligible(PROVIDER, [accreditation(status="suspended")], "home-care", "MD-CU", DAY)
    suspended = ProviderFacts(7, "suspended", frozenset({"MD-CU"}))
    assert not is_eligible(suspended, [accreditation()], "home-care", "MD-CU", DAY)
