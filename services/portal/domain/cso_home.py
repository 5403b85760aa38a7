"""A CSO's home board: the open calls it may bid for (and those it may not, with why), its bids still standing on
them, and the award decisions it may still complain about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.portal.domain.deadlines import parse_moment
from services.portal.domain.eligibility import (
    Eligibility,
    Organisation,
    bids_open,
    complaints_open,
    eligibility,
    questions_open,
    standing_bids,
)

# Accreditations are valid for calendar days in Moldova: a deadline's day is read there.
CHISINAU = ZoneInfo("Europe/Chisinau")


@dataclass(frozen=True)
class CallOnBoard:
    call: dict
    eligibility: Eligibility
    questions_open: bool
    bids_open: bool
    bids: list[dict] = field(default_factory=list)

    @property
    def tender_id(self) -> int:
        return int(self.call["id"])

    @property
    def deadline(self) -> str | None:
        return self.call.get("submission_deadline")

    @property
    def budget(self) -> Decimal | None:
        """The call's whole budget: its lots' budgets added up (None when no lot states one)."""
        budgets = [Decimal(str(lot["budget"])) for lot in self.call.get("lots") or [] if lot.get("budget")]
        return sum(budgets, Decimal(0)) if budgets else None

    def lot_title(self, lot_id: int | None) -> str:
        lot = next((lot for lot in self.call.get("lots") or [] if lot.get("id") == lot_id), None)
        return (lot or {}).get("title") or ""


@dataclass(frozen=True)
class Board:
    eligible: list[CallOnBoard]
    not_eligible: list[CallOnBoard]
    # (call, bid) for each standing bid on a call still taking bids, soonest deadline first
    open_bids: list[tuple[CallOnBoard, dict]]
    # calls in their standstill where the CSO bid: it may complain about the award decision until standstill_end
    complaints_possible: list[dict]


def serves_district(organisation: Organisation, call: dict) -> bool:
    return call.get("district_code") in organisation.districts_served


def build_board(
    organisation: Organisation,
    open_calls: list[dict],
    standstill_calls: list[dict],
    bids_by_call: dict[int, list[dict]],
    now: datetime,
    today: date,
) -> Board:
    """``bids_by_call`` holds the CSO's own bids per call id (calls missing from it have none)."""
    on_board = [_on_board(organisation, call, bids_by_call.get(int(call["id"]), []), now, today) for call in open_calls]
    on_board = [item for item in on_board if item.bids_open or item.questions_open]
    on_board.sort(key=lambda item: item.deadline or "9999")
    eligible = [item for item in on_board if item.eligibility.eligible]
    not_eligible = [item for item in on_board if not item.eligibility.eligible]
    open_bids = [(item, bid) for item in on_board if item.bids_open for bid in item.bids]
    complaints_possible = [
        call
        for call in standstill_calls
        if complaints_open(call.get("status", ""), parse_moment(call.get("standstill_end")), now)
        and standing_bids(bids_by_call.get(int(call["id"]), []))
    ]
    return Board(eligible, not_eligible, open_bids, complaints_possible)


def _on_board(organisation: Organisation, call: dict, bids: list[dict], now: datetime, today: date) -> CallOnBoard:
    deadline = parse_moment(call.get("submission_deadline"))
    deadline_day = deadline.astimezone(CHISINAU).date() if deadline else None
    return CallOnBoard(
        call=call,
        eligibility=eligibility(organisation, call["service_type"], call["district_code"], today, deadline_day),
        questions_open=questions_open(call.get("status", ""), parse_moment(call.get("enquiry_end")), now),
        bids_open=bids_open(call.get("status", ""), deadline, now),
        bids=standing_bids(bids),
    )
