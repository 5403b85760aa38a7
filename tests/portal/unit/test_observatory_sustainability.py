"""CSO sustainability: revenue per year, districts and services, dependence on the largest buyer, renewals won
and lost; and how concentrated the market is (HHI)."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.observatory.ocds_read import read_calls
from services.portal.domain.observatory.sustainability import concentration, suppliers
from tests.portal.unit.observatory_releases import award, call, contract, retender_of, supplier_id


def won(number: int, supplier: int, value: int, year: int = 2027, district="MD-CU", service="home-care", **more):
    awards = (award(f"a{number}", supplier, value=value),)
    signed = contract(
        f"c{number}", f"a{number}", f"{year}-01-01", f"{year}-12-31", value=value, **more.pop("contract", {})
    )
    return call(number, district=district, service=service, bidders=(1, 2), awards=awards, contracts=(signed,), **more)


def test_a_supplier_revenue_is_per_year_with_its_districts_services_and_largest_buyer_share():
    releases = [
        won(1, 1, 300000, 2027, "MD-CU"),
        won(2, 1, 100000, 2028, "MD-BA", "day-centre"),
        won(3, 2, 50000, 2027, "MD-CU"),
    ]
    first, second = suppliers(read_calls(releases))
    assert first.supplier_id == supplier_id(1) and first.name == "AO Grija 1"
    assert first.revenue_by_year == {2027: Decimal(300000), 2028: Decimal(100000)}
    assert (first.districts, first.services) == (("MD-BA", "MD-CU"), ("day-centre", "home-care"))
    assert (first.largest_buyer_id, first.largest_buyer_share) == ("MD-CU-DAS", Decimal("0.7500"))
    assert (second.revenue, second.largest_buyer_share) == (Decimal(50000), Decimal("1.0000"))


def test_renewals_count_extensions_and_retenders_won_by_the_incumbent_and_retenders_lost():
    extended = {"amendments": [{"id": "v2", "description": "extension"}]}
    releases = [
        won(1, 1, 100000, contract=extended),
        won(2, 1, 100000, 2028, **retender_of(1)),  # supplier 1 keeps it
        won(3, 2, 100000, 2029, **retender_of(2)),  # supplier 1 loses it to supplier 2
        call(4, status="unsuccessful", bidders=(), **retender_of(3)),  # nobody won: neither won nor lost
    ]
    rows = {row.supplier_id: row for row in suppliers(read_calls(releases))}
    assert (rows[supplier_id(1)].renewals_won, rows[supplier_id(1)].renewals_lost) == (2, 1)
    assert (rows[supplier_id(2)].renewals_won, rows[supplier_id(2)].renewals_lost) == (0, 0)


def test_hhi_is_ten_thousand_for_one_supplier_and_five_thousand_for_two_equal_ones():
    alone = concentration(read_calls([won(1, 1, 100000)]))
    whole_sector = (None, Decimal("10000.0"), Decimal("1.0000"))
    assert [(m.service_type, m.hhi, m.top_share) for m in alone] == [whole_sector, ("home-care", *whole_sector[1:])]
    shared = concentration(read_calls([won(1, 1, 100000), won(2, 2, 100000)]))
    assert shared[0].hhi == Decimal("5000.0") and shared[0].suppliers == 2


def test_a_tie_for_largest_supplier_is_broken_by_id_so_the_answer_is_the_same_every_time():
    shared = concentration(read_calls([won(2, 2, 100000), won(1, 1, 100000)]))
    assert shared[0].top_supplier_id == supplier_id(1)


def test_an_award_shared_by_two_suppliers_splits_its_contract_evenly():
    joint = won(1, 1, 100000)
    joint["awards"][0]["suppliers"].append({"id": supplier_id(2), "name": "AO Grija 2"})
    revenue = {row.supplier_id: row.revenue for row in suppliers(read_calls([joint]))}
    assert revenue == {supplier_id(1): Decimal(50000), supplier_id(2): Decimal(50000)}


def test_a_call_with_no_award_and_a_pending_contract_earn_no_one_anything():
    releases = [call(1, status="unsuccessful", bidders=()), won(2, 1, 100000, contract={"status": "pending"})]
    assert suppliers(read_calls(releases)) == [] and concentration(read_calls(releases)) == []
