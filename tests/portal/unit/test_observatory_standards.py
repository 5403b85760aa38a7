"""Minimum quality standards met per contract, per CSO and per standard, from the accepted reports' answers as the
platform publishes them (a met ``reporting`` milestone with ``standards: [{id, status}]``)."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.observatory.ocds_read import read_calls
from services.portal.domain.observatory.standards import Tally, per_contract, per_standard, per_supplier
from tests.portal.unit.observatory_releases import award, call, contract, supplier_id


def report(number: int, *answers: tuple[str, str], status: str = "met") -> dict:
    milestone = {"id": f"report-{number}", "type": "reporting", "status": status, "dateMet": "2027-04-02T09:00:00Z"}
    if answers:
        milestone["standards"] = [{"id": code, "status": answer} for code, answer in answers]
    return milestone


def delivered(number: int, supplier: int, *reports: dict, service: str = "home-care", **more) -> dict:
    implementation = {"milestones": list(reports)}
    signed = contract(f"c{number}", f"a{number}", "2027-01-01", "2027-12-31", implementation=implementation)
    awards = (award(f"a{number}", supplier),)
    return call(number, service=service, awards=awards, contracts=(signed,), **more)


ALL_MET = (("HC-01", "met"), ("HC-02", "met"), ("HC-03", "met"))


def test_a_contract_counts_every_answer_of_its_accepted_reports_and_the_share_met():
    releases = [
        delivered(1, 1, report(1, *ALL_MET), report(2, ("HC-01", "met"), ("HC-02", "partly"), ("HC-03", "not_met")))
    ]
    (row,) = per_contract(read_calls(releases))
    assert (row.ocid, row.contract_id, row.supplier_ids) == ("ocds-sscp01-1", "c1", (supplier_id(1),))
    assert (row.district_code, row.service_type, row.reports) == ("MD-CU", "home-care", 2)
    assert row.tally == Tally(met=4, partly=1, not_met=1)
    assert (row.tally.answers, row.tally.share_met) == (6, Decimal("0.6667"))
    assert row.ocids == ("ocds-sscp01-1",)


def test_reports_not_accepted_or_filed_before_the_checklist_and_unknown_answers_count_nowhere():
    returned = report(2, ("HC-01", "not_met"), status="scheduled")
    before_checklist = report(3)
    odd = report(4, ("HC-01", "met"), ("HC-02", "mostly"))
    releases = [delivered(1, 1, returned, before_checklist, odd), delivered(2, 2, before_checklist)]
    (row,) = per_contract(read_calls(releases))  # contract 2 answered nothing: no row
    assert (row.reports, row.tally, row.tally.share_met) == (1, Tally(met=1), Decimal("1.0000"))


def test_a_cso_adds_up_its_contracts_and_a_joint_award_counts_in_full_for_each_supplier():
    joint = delivered(3, 2, report(1, ("HC-01", "met"), ("HC-02", "partly")))
    joint["awards"][0]["suppliers"].append({"id": supplier_id(1), "name": "AO Grija 1"})
    releases = [
        delivered(10, 1, report(1, *ALL_MET)),
        delivered(2, 1, report(1, ("HC-01", "not_met"), ("HC-02", "met"), ("HC-03", "met"))),
        joint,
    ]
    first, second = per_supplier(read_calls(releases))
    assert (first.supplier_id, first.name, first.contracts, first.reports) == (supplier_id(1), "AO Grija 1", 3, 3)
    assert first.tally == Tally(met=6, partly=1, not_met=1) and first.tally.share_met == Decimal("0.7500")
    assert first.ocids == ("ocds-sscp01-2", "ocds-sscp01-3", "ocds-sscp01-10")  # numbers compare as numbers
    assert (second.supplier_id, second.tally, second.ocids) == (supplier_id(2), Tally(1, 1, 0), ("ocds-sscp01-3",))


def test_each_standard_is_counted_across_contracts_so_the_most_missed_one_shows():
    releases = [
        delivered(1, 1, report(1, ("HC-01", "met"), ("HC-03", "not_met")), report(2, ("HC-03", "partly"))),
        delivered(2, 2, report(1, ("HC-03", "not_met"))),
        delivered(3, 2, report(1, ("DC-01", "met")), service="day-centre"),
    ]
    counts = {row.code: row for row in per_standard(read_calls(releases))}
    assert list(counts) == ["DC-01", "HC-01", "HC-03"]
    assert counts["HC-03"].tally == Tally(met=0, partly=1, not_met=2) and counts["HC-03"].contracts == 2
    assert counts["HC-03"].tally.share_met == Decimal("0.0000")
    assert counts["HC-03"].ocids == ("ocds-sscp01-1", "ocds-sscp01-2")


def test_the_order_is_the_same_whatever_order_the_releases_come_in():
    releases = [delivered(n, n % 3 + 1, report(1, ("HC-01", "met" if n % 2 else "partly"))) for n in range(1, 12)]
    calls, reversed_calls = read_calls(releases), read_calls(list(reversed(releases)))
    assert per_contract(calls) == per_contract(reversed_calls)
    assert per_supplier(calls) == per_supplier(reversed_calls)
    assert per_standard(calls) == per_standard(reversed_calls)
    assert [row.contract_id for row in per_contract(list(reversed(calls)))][:3] == ["c1", "c2", "c3"]


def test_no_accepted_report_means_no_rows_and_no_share_rather_than_zero():
    releases = [call(1, status="unsuccessful", bidders=()), delivered(2, 1)]
    assert per_contract(read_calls(releases)) == [] and per_supplier(read_calls(releases)) == []
    assert per_standard(read_calls(releases)) == [] and Tally().share_met is None
