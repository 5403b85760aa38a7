"""Spending: contracted value and places per district x service x year, price per place against the reference
cost per place per year, and contracted value over time."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.observatory.ocds_read import read_calls
from services.portal.domain.observatory.reference import reference_costs
from services.portal.domain.observatory.spending import spending, value_over_time
from tests.portal.unit.observatory_releases import award, call, contract

COSTS = reference_costs(
    [
        {"service_type": "home-care", "district_code": "MD-CU", "year": 2027, "amount": "10000", "source": "CMC 5/12"},
        {"service_type": "home-care", "district_code": "*", "year": 2027, "amount": "8000"},
    ]
)


def one_contract(number: int, value: int, places: int, start="2027-01-01", end="2027-12-31", status="active", **more):
    awards = (award(f"a{number}", 1, value=value, places=places),)
    contracts = (contract(f"c{number}", f"a{number}", start, end, value=value, places=places, status=status),)
    return call(number, awards=awards, contracts=contracts, **more)


def test_signed_contracts_add_up_per_district_service_and_year_with_the_price_per_place():
    releases = [
        one_contract(1, 120000, 10),
        one_contract(2, 60000, 10),
        one_contract(3, 50000, 5, "2028-01-01", "2028-12-31"),
    ]
    rows = spending(read_calls(releases), COSTS)
    assert [(r.year, r.contracts, r.value, r.places, r.price_per_place) for r in rows] == [
        (2027, 2, Decimal(180000), 20, Decimal("9000.00")),
        (2028, 1, Decimal(50000), 5, Decimal("10000.00")),
    ]
    assert rows[0].ocids == ("ocds-sscp01-1", "ocds-sscp01-2")


def test_the_price_is_annualised_before_it_is_set_against_the_reference_cost():
    six_months = one_contract(1, 60000, 10, "2027-01-01", "2027-06-30")
    (row,) = spending(read_calls([six_months]), COSTS)
    assert (row.price_per_place, row.annual_price_per_place) == (Decimal("6000.00"), Decimal("12000.00"))
    assert (row.reference_cost, row.ratio_to_reference, row.reference_source) == (
        Decimal(10000),
        Decimal("1.2000"),
        "CMC 5/12",
    )


def test_a_district_without_its_own_reference_cost_uses_the_national_one_and_none_is_none():
    (row,) = spending(read_calls([one_contract(1, 80000, 10, district="MD-BA")]), COSTS)
    assert (row.reference_cost, row.ratio_to_reference) == (Decimal(8000), Decimal("1.0000"))
    (row,) = spending(read_calls([one_contract(1, 80000, 10, service="day-centre")]), COSTS)
    assert (row.reference_cost, row.ratio_to_reference) == (None, None)


def test_unsigned_and_cancelled_contracts_are_not_spending_but_a_contract_run_to_its_end_is():
    releases = [
        one_contract(1, 10000, 1, status="pending"),
        one_contract(2, 20000, 2, status="cancelled"),
        one_contract(3, 30000, 3, status="terminated"),
        call(4, status="unsuccessful", bidders=()),  # a call with no award adds nothing
    ]
    (row,) = spending(read_calls(releases))
    assert (row.contracts, row.value, row.ocids) == (1, Decimal(30000), ("ocds-sscp01-3",))


def test_value_over_time_counts_contracts_in_the_month_they_were_signed():
    releases = [
        one_contract(1, 100, 1, "2027-01-01"),
        one_contract(2, 200, 1, "2027-01-15"),
        one_contract(3, 300, 1, "2027-03-01"),
    ]
    months = value_over_time(read_calls(releases))
    assert [(m.period, m.contracts, m.value) for m in months] == [
        ("2027-01", 2, Decimal(300)),
        ("2027-03", 1, Decimal(300)),
    ]
