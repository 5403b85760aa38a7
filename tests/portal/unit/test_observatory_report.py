"""All indicators at once: filters keep the calls of a year, district or service, while coverage stays the
state at the moment asked about."""

from __future__ import annotations

from services.portal.domain.observatory.report import Filters, indicators
from tests.portal.unit.observatory_releases import AS_OF, award, call, contract


def test_a_year_filter_keeps_that_year_calls_but_a_successor_published_later_still_covers_the_contract():
    current = call(1, published="2026-10-01T09:00:00Z", awards=(award("a1", 1, date="2026-10-20"),),
                   contracts=(contract("c1", "a1", "2026-11-01", "2027-06-21"),))  # fmt: skip
    successor = call(2, published="2027-03-01T09:00:00Z", awards=(award("a2", 2, date="2027-03-20"),),
                     contracts=(contract("c2", "a2", "2027-06-21", "2028-06-20", status="pending"),))  # fmt: skip
    found = indicators([current, successor], AS_OF, filters=Filters(year=2026))
    assert found.calls == 1 and found.competition.calls == 1
    cell = next(c for c in found.coverage if (c.district_code, c.service_type) == ("MD-CU", "home-care"))
    assert (cell.status, cell.contracts[0].successor) == ("active", "ocds-sscp01-2/contract/c2")


def test_without_reference_costs_the_report_says_the_price_comparison_is_empty():
    found = indicators([call(1)], AS_OF)
    assert found.reference_costs == 0 and "no reference costs given" in found.notes[0]
