"""How far a provider's accreditation reaches, and whether it covers a contract's whole term (award, renewal)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from services.contracting.domain import awards, renewal
from services.contracting.domain.eligibility import AccreditationFacts, accredited_until, term_gap


def accreditation(valid_from: str, valid_to: str, status: str = "active", service: str = "home-care"):
    return AccreditationFacts(5, service, date.fromisoformat(valid_from), date.fromisoformat(valid_to), status)


def test_back_to_back_accreditations_are_one_unbroken_cover_and_a_gap_ends_it():
    chain = [accreditation("2027-01-01", "2031-12-31"), accreditation("2022-01-01", "2026-12-31")]
    assert accredited_until(chain, 5, "home-care", date(2026, 12, 10)) == date(2031, 12, 31)
    gapped = [accreditation("2022-01-01", "2026-12-31"), accreditation("2027-01-05", "2031-12-31")]
    assert accredited_until(gapped, 5, "home-care", date(2026, 12, 10)) == date(2026, 12, 31)


def test_suspended_other_service_or_not_yet_valid_accreditations_cover_nothing():
    others = [
        accreditation("2022-01-01", "2031-12-31", status="suspended"),
        accreditation("2022-01-01", "2031-12-31", service="day-centre"),
        accreditation("2027-01-01", "2031-12-31"),
    ]
    assert accredited_until(others, 5, "home-care", date(2026, 12, 10)) is None


def test_a_contract_ending_at_midnight_needs_cover_only_through_the_day_before():
    cover = [accreditation("2022-01-01", "2027-12-15")]
    assert term_gap(cover, 5, "home-care", date(2026, 12, 9), datetime(2027, 12, 16, tzinfo=UTC)) is None
    gap = term_gap(cover, 5, "home-care", date(2026, 12, 9), datetime(2027, 12, 16, 12, 0, tzinfo=UTC))
    assert gap is not None and gap.valid_until == date(2027, 12, 15)
    assert awards.term_warning(gap) == {"valid_until": "2027-12-15", "contract_end": "2027-12-16T12:00:00+00:00"}
    assert awards.term_warning(None) is None


def performing() -> renewal.Performance:
    kpis = [renewal.Kpi("served", Decimal(40))]
    return renewal.Performance(8, 8, kpis, [{"served": Decimal(40)}], 0, 12, 12)


def test_renewal_is_not_recommended_past_the_accreditation_end_and_the_reason_names_both_dates():
    short = renewal.AccreditationCover("home-care", date(2028, 2, 1), datetime(2028, 12, 16, tzinfo=UTC))
    advice = renewal.recommend(renewal.RenewalPolicy(), performing(), short)
    assert advice.action == renewal.RETENDER and advice.checks["accreditation_covers_renewal"] is False
    assert any("2028-02-01" in r and "2028-12-16" in r and "new accreditation" in r for r in advice.reasons)
    enough = renewal.AccreditationCover("home-care", date(2031, 1, 1), datetime(2028, 12, 16, tzinfo=UTC))
    assert renewal.recommend(renewal.RenewalPolicy(), performing(), enough).action == renewal.RENEW


def test_renewal_is_refused_when_the_provider_is_not_accredited_today():
    lapsed = renewal.AccreditationCover("home-care", None, datetime(2028, 12, 16, tzinfo=UTC))
    advice = renewal.recommend(renewal.RenewalPolicy(), performing(), lapsed)
    assert advice.action == renewal.RETENDER
    assert any("not accredited for home-care" in r for r in advice.reasons)
    assert renewal.accreditation_refusal(lapsed) is not None
