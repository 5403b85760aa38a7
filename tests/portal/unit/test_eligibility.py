"""Whether a CSO may bid for a call, as the portal reads the public register (the registry's own rule)."""

from __future__ import annotations

from datetime import date

from services.portal.domain import eligibility as rules
from services.portal.domain.eligibility import Organisation, eligibility

TODAY = date(2026, 12, 5)


def register_entry(**changes) -> dict:
    entry = {
        "id": 1,
        "status": "active",
        "districts_served": ["MD-CU"],
        "accreditations": [
            {"service_type": "home-care", "valid_from": "2025-12-05", "valid_to": "2030-12-04", "status": "active"}
        ],
    }
    return {**entry, **changes}


def accredited(valid_from="2025-12-05", valid_to="2030-12-04", status="active", service_type="home-care") -> dict:
    return {"service_type": service_type, "valid_from": valid_from, "valid_to": valid_to, "status": status}


def test_an_active_organisation_accredited_for_the_service_and_serving_the_district_is_eligible():
    found = eligibility(Organisation.from_register(register_entry()), "home-care", "MD-CU", TODAY)

    assert found.eligible
    assert found.reasons == ()
    assert found.valid_to == date(2030, 12, 4)


def test_a_call_in_a_district_the_organisation_does_not_serve_is_not_for_it():
    found = eligibility(Organisation.from_register(register_entry()), "home-care", "MD-OR", TODAY)

    assert not found.eligible
    assert found.reasons == (rules.DISTRICT_NOT_SERVED,)


def test_a_call_for_a_service_it_holds_no_accreditation_for_says_so():
    found = eligibility(Organisation.from_register(register_entry()), "day-centre", "MD-CU", TODAY)

    assert found.reasons == (rules.NOT_ACCREDITED,)


def test_a_suspended_accreditation_does_not_count_whatever_its_dates():
    entry = register_entry(accreditations=[accredited(status="suspended")])

    found = eligibility(Organisation.from_register(entry), "home-care", "MD-CU", TODAY)

    assert found.reasons == (rules.ACCREDITATION_NOT_ACTIVE,)


def test_an_accreditation_that_ended_yesterday_no_longer_counts_but_its_last_day_still_does():
    entry = register_entry(accreditations=[accredited(valid_to="2026-12-04")])
    organisation = Organisation.from_register(entry)

    assert eligibility(organisation, "home-care", "MD-CU", TODAY).reasons == (rules.ACCREDITATION_LAPSED,)
    assert eligibility(organisation, "home-care", "MD-CU", date(2026, 12, 4)).eligible


def test_an_accreditation_starting_tomorrow_is_not_valid_yet():
    entry = register_entry(accreditations=[accredited(valid_from="2026-12-06")])

    found = eligibility(Organisation.from_register(entry), "home-care", "MD-CU", TODAY)

    assert found.reasons == (rules.ACCREDITATION_NOT_YET_VALID,)


def test_a_suspended_organisation_is_not_eligible_and_every_reason_is_given():
    entry = register_entry(status="suspended")

    found = eligibility(Organisation.from_register(entry), "home-care", "MD-OR", TODAY)

    assert found.reasons == (rules.ORGANISATION_NOT_ACTIVE, rules.DISTRICT_NOT_SERVED)


def test_an_accreditation_ending_before_the_deadline_is_flagged_though_eligible_today():
    entry = register_entry(accreditations=[accredited(valid_to="2026-12-10")])

    found = eligibility(Organisation.from_register(entry), "home-care", "MD-CU", TODAY, deadline_day=date(2026, 12, 20))

    assert found.eligible
    assert found.lapses_before_deadline


def test_the_longest_of_two_covering_accreditations_is_the_one_reported():
    entry = register_entry(accreditations=[accredited(valid_to="2027-01-01"), accredited(valid_to="2029-01-01")])

    found = eligibility(Organisation.from_register(entry), "home-care", "MD-CU", TODAY, deadline_day=date(2028, 1, 1))

    assert found.valid_to == date(2029, 1, 1)
    assert not found.lapses_before_deadline
