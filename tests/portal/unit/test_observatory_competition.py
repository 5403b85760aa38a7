"""Competition: bids per call, single-bid and no-bid shares, unsuccessful and cancelled shares, days from
publication to signature, complaints and their outcomes."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.observatory.competition import competition
from services.portal.domain.observatory.ocds_read import read_calls
from tests.portal.unit.observatory_releases import award, call, contract

CALLS = [
    call(1, bidders=(1, 2, 3), awards=(award("a1", 1),), contracts=(contract("c1", "a1", "2027-02-01", "2027-12-31"),)),
    call(2, bidders=(1,), awards=(award("a2", 1),), contracts=(contract("c2", "a2", "2027-01-21", "2027-12-31"),)),
    call(3, status="unsuccessful", bidders=()),
    call(4, status="cancelled", bidders=None),  # cancelled before the opening: no bid count
    call(5, status="active", bidders=None),  # still open
    call(6, status="planned", bidders=None),  # not published
]


def test_bids_per_call_and_the_single_and_no_bid_shares_count_only_calls_whose_submissions_closed():
    found = competition(read_calls(CALLS))
    assert (found.calls, found.calls_with_bids_known, found.bids) == (5, 3, 4)
    assert found.bids_per_call == Decimal("1.33")
    assert (found.single_bid, found.single_bid_share) == (("ocds-sscp01-2",), Decimal("0.3333"))
    assert (found.no_bid, found.no_bid_share) == (("ocds-sscp01-3",), Decimal("0.3333"))


def test_unsuccessful_and_cancelled_shares_are_over_the_calls_decided():
    found = competition(read_calls(CALLS))
    assert found.calls_decided == 4  # two awarded, one unsuccessful, one cancelled; the open one is not decided
    assert (found.unsuccessful, found.unsuccessful_share) == (("ocds-sscp01-3",), Decimal("0.2500"))
    assert (found.cancelled, found.cancelled_share) == (("ocds-sscp01-4",), Decimal("0.2500"))


def test_days_from_publication_to_signature_are_whole_days_per_call_with_their_median():
    found = competition(read_calls(CALLS))
    assert [(d.ocid, d.days) for d in found.days_to_signature] == [("ocds-sscp01-1", 30), ("ocds-sscp01-2", 19)]
    assert (found.median_days_to_signature, found.mean_days_to_signature) == (Decimal("24.5"), Decimal("24.50"))


def test_complaints_on_awards_and_on_the_tender_are_counted_by_outcome():
    complained = award("a1", 1)
    complained["complaints"] = [{"id": "1", "status": "upheld"}, {"id": "2", "status": "pending"}]
    tender = {"complaints": [{"id": "3", "status": "rejected"}]}
    found = competition(read_calls([call(1, awards=(complained,), tender=tender)]))
    assert (found.complaints, found.complaints_by_status) == (3, {"pending": 1, "rejected": 1, "upheld": 1})
    assert (found.upheld_share, found.complaint_ocids) == (Decimal("0.5000"), ("ocds-sscp01-1",))


def test_no_calls_give_no_shares_rather_than_zeros():
    found = competition([])
    assert (found.calls, found.bids_per_call, found.single_bid_share, found.unsuccessful_share) == (0, None, None, None)
    assert found.upheld_share is None and found.median_days_to_signature is None
