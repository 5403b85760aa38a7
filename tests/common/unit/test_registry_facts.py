"""The registry's published facts, parsed once, and the one eligibility rule all three services apply to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.common.registry_facts import (
    AccreditationFacts,
    ProviderFacts,
    ServiceTypeFacts,
    is_eligible,
    validity,
)

DAY = date(2027, 3, 1)
PROVIDER = ProviderFacts(7, "active", ("MD-CU", "MD-BA"))
HOME_CARE = AccreditationFacts(7, "home-care", date(2026, 1, 1), date(2030, 12, 31), "active", 70)


def provider_payload(**changes) -> dict:
    payload = {
        "provider_id": 7,
        "idno": "1003600012345",
        "legal_name": "AO Casa Speranței",
        "districts_served": ["MD-BA", "MD-CU"],
        "languages": ["ru"],
        "email": "office@casa.md",
        "status": "active",
        "version": 3,
    }
    return {**payload, **changes}


def accreditation_payload(**changes) -> dict:
    payload = {
        "accreditation_id": 70,
        "provider_id": 7,
        "service_type": "home-care",
        "accrediting_body": "ANAS",
        "certificate_number": "A-70",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
        "status": "active",
        "status_reason": None,
        "version": 2,
    }
    return {**payload, **changes}


def test_a_provider_payload_is_parsed_with_the_districts_in_the_registrys_order():
    provider = ProviderFacts.from_payload(provider_payload())
    assert provider == ProviderFacts(
        7, "active", ("MD-BA", "MD-CU"), "AO Casa Speranței", "1003600012345", "office@casa.md", ("ru",), 3
    )


def test_a_provider_that_chose_no_language_is_written_to_in_romanian():
    assert ProviderFacts.from_payload(provider_payload(languages=[])).languages == ("ro",)
    without = {name: value for name, value in provider_payload().items() if name not in ("languages", "email")}
    assert (ProviderFacts.from_payload(without).languages, ProviderFacts.from_payload(without).email) == (("ro",), None)


def test_an_accreditation_payload_is_parsed_with_its_dates_as_dates():
    accreditation = AccreditationFacts.from_payload(accreditation_payload())
    assert accreditation == replace(HOME_CARE, version=2)
    assert isinstance(accreditation.valid_from, date) and isinstance(accreditation.valid_to, date)


def test_an_accreditation_payload_with_a_malformed_date_is_refused():
    with pytest.raises(ValueError):
        AccreditationFacts.from_payload(accreditation_payload(valid_to="31.12.2030"))


def test_a_service_type_payload_is_parsed_with_its_three_names():
    payload = {"code": "home-care", "name_ro": "Îngrijire", "name_ru": "Уход", "name_en": "Home care", "version": 1}
    assert ServiceTypeFacts.from_payload(payload) == ServiceTypeFacts("home-care", "Îngrijire", "Уход", "Home care", 1)


def test_an_active_provider_serving_the_district_with_a_covering_accreditation_is_eligible_and_shown_it():
    answer = validity(PROVIDER, [HOME_CARE], "home-care", "MD-CU", DAY)
    assert (answer.valid, answer.accreditation, answer.reasons) == (True, HOME_CARE, ())
    assert is_eligible(PROVIDER, [HOME_CARE], "home-care", "MD-CU", DAY)


@pytest.mark.parametrize("on", [date(2026, 1, 1), date(2030, 12, 31)])
def test_both_ends_of_the_term_are_covered(on):
    assert is_eligible(PROVIDER, [HOME_CARE], "home-care", "MD-CU", on)


@pytest.mark.parametrize("on", [date(2025, 12, 31), date(2031, 1, 1)])
def test_the_days_just_outside_the_term_are_not_and_the_reason_names_the_day(on):
    answer = validity(PROVIDER, [HOME_CARE], "home-care", "MD-CU", on)
    assert answer.reasons == (f"no active accreditation for home-care valid on {on.isoformat()}",)


@pytest.mark.parametrize("status", ["suspended", "revoked", "expired"])
def test_an_accreditation_that_is_not_active_covers_no_day_inside_its_term(status):
    assert not is_eligible(PROVIDER, [replace(HOME_CARE, status=status)], "home-care", "MD-CU", DAY)


def test_an_accreditation_for_another_service_or_of_another_provider_does_not_count():
    others = [replace(HOME_CARE, service_type="day-centre"), replace(HOME_CARE, provider_id=8)]
    assert not is_eligible(PROVIDER, others, "home-care", "MD-CU", DAY)


def test_a_suspended_provider_outside_its_districts_without_cover_is_told_every_reason():
    suspended = replace(PROVIDER, status="suspended")
    answer = validity(suspended, [replace(HOME_CARE, status="revoked")], "home-care", "MD-CA", DAY)
    assert answer.reasons == (
        "provider is suspended",
        "provider does not serve district MD-CA",
        "no active accreditation for home-care valid on 2027-03-01",
    )


def test_a_covering_accreditation_is_shown_even_when_the_provider_is_not_eligible():
    answer = validity(PROVIDER, [HOME_CARE], "home-care", "MD-CA", DAY)
    assert (answer.valid, answer.accreditation) == (False, HOME_CARE)


def test_of_two_covering_accreditations_the_one_lasting_longest_is_shown():
    longer = replace(HOME_CARE, accreditation_id=71, valid_from=date(2027, 1, 1), valid_to=date(2031, 12, 31))
    assert validity(PROVIDER, [HOME_CARE, longer], "home-care", "MD-CU", DAY).accreditation == longer


def test_facts_parsed_from_the_registrys_payloads_are_judged_like_the_registrys_own():
    provider = ProviderFacts.from_payload(provider_payload())
    accreditation = AccreditationFacts.from_payload(accreditation_payload())
    assert is_eligible(provider, [accreditation], "home-care", "MD-BA", DAY)
    assert not is_eligible(provider, [accreditation], "home-care", "MD-CA", DAY)
