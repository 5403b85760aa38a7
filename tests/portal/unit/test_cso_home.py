"""The CSO's home board: open calls it may bid for, its standing bids, and decisions it may still contest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from services.portal.domain.cso_home import build_board
from services.portal.domain.eligibility import Organisation, bids_open, complaints_open, questions_open

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 5)
ORGANISATION = Organisation.from_register(
    {
        "id": 1,
        "status": "active",
        "districts_served": ["MD-CU"],
        "accreditations": [
            {"service_type": "home-care", "valid_from": "2025-01-01", "valid_to": "2030-01-01", "status": "active"}
        ],
    }
)


def call(
    tender_id: int, status="active.tendering", district="MD-CU", service="home-care", deadline="2026-12-06T10:00:00Z"
):
    return {
        "id": tender_id,
        "status": status,
        "district_code": district,
        "service_type": service,
        "enquiry_end": "2026-12-05T13:00:00Z",
        "submission_deadline": deadline,
        "standstill_end": "2026-12-06T00:00:00Z" if status == "active.standstill" else None,
        "lots": [
            {"id": 10 + tender_id, "title": "Lot", "budget": "60000.00"},
            {"id": 20 + tender_id, "budget": "1.50"},
        ],
    }


def test_open_calls_are_split_by_eligibility_and_sorted_by_deadline():
    calls = [
        call(1, deadline="2026-12-09T10:00:00Z"),
        call(2, deadline="2026-12-07T10:00:00Z"),
        call(3, district="MD-OR"),
    ]

    board = build_board(ORGANISATION, calls, [], {}, NOW, TODAY)

    assert [item.tender_id for item in board.eligible] == [2, 1]
    assert [item.tender_id for item in board.not_eligible] == [3]


def test_a_call_whose_deadline_passed_but_not_yet_moved_on_is_left_out():
    board = build_board(ORGANISATION, [call(1, deadline="2026-12-05T11:59:00Z")], [], {}, NOW, TODAY)

    assert board.eligible == []


def test_standing_bids_on_open_calls_are_listed_and_withdrawn_ones_are_not():
    bids = {1: [{"id": 5, "status": "active", "lot_id": 11}, {"id": 6, "status": "withdrawn", "lot_id": 21}]}

    board = build_board(ORGANISATION, [call(1)], [], bids, NOW, TODAY)

    assert [(item.tender_id, bid["id"]) for item, bid in board.open_bids] == [(1, 5)]
    assert board.eligible[0].lot_title(11) == "Lot"


def test_a_call_in_its_standstill_may_be_contested_only_by_a_bidder():
    standstill = [call(7, status="active.standstill"), call(8, status="active.standstill")]
    bids = {7: [{"id": 9, "status": "active"}]}

    board = build_board(ORGANISATION, [], standstill, bids, NOW, TODAY)

    assert [item["id"] for item in board.complaints_possible] == [7]


def test_a_calls_budget_adds_up_its_lots_exactly():
    board = build_board(ORGANISATION, [call(1)], [], {}, NOW, TODAY)

    assert board.eligible[0].budget == Decimal("60001.50")


def test_the_windows_follow_the_clock_not_only_the_recorded_stage():
    end = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)

    assert questions_open("active.enquiries", end, NOW)
    assert not questions_open("active.enquiries", end, end)
    assert not questions_open("active.tendering", end, NOW)
    assert bids_open("active.enquiries", end, NOW)
    assert not bids_open("active.evaluation", end, NOW)
    assert complaints_open("active.standstill", end, NOW)
    assert not complaints_open("active.standstill", None, NOW)
