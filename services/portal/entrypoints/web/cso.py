"""A CSO's pages: its home (the calls it may bid for, its open bids), questions and complaints, notices and their
settings, contracts and monitoring reports. Bidding and receipts are the bids blueprint's."""

from __future__ import annotations

from flask import render_template

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain.cso_home import build_board, serves_district
from services.portal.domain.eligibility import Organisation
from services.portal.entrypoints.web import cso_calls, cso_contracts, cso_notices  # noqa: F401 (their routes)
from services.portal.entrypoints.web.cso_blueprint import blp, now, today_in_chisinau
from services.portal.entrypoints.web.requests import api, person, signed_in_as

__all__ = ["blp"]

OPEN_STAGES = ("active.enquiries", "active.tendering")
MOST_CALLS = 100


def _calls_at(stage: str) -> list[dict]:
    calls, _total = api().get_page("contracting", "/tenders", status=stage, page_size=MOST_CALLS)
    return calls


def _own_bids(tender_id: int) -> list[dict]:
    """The CSO's own bids on a call (contracting has no list of a CSO's bids across calls)."""
    try:
        return api().get("contracting", f"/tenders/{tender_id}/bids").get("bids") or []
    except ApiRefusal:
        return []


@blp.get("/")
@signed_in_as("cso")
def home():
    who = person()
    register_entry = api().get("registry", f"/providers/{who.provider_id}")
    organisation = Organisation.from_register(register_entry)
    open_calls = [call for stage in OPEN_STAGES for call in _calls_at(stage)]
    standstill_calls = _calls_at("active.standstill")
    # Bids are looked up only where the CSO could have bid: the districts it serves.
    bids_by_call = {
        int(call["id"]): _own_bids(int(call["id"]))
        for call in open_calls + standstill_calls
        if serves_district(organisation, call)
    }
    board = build_board(organisation, open_calls, standstill_calls, bids_by_call, now(), today_in_chisinau())
    return render_template("cso/home.html", organisation=register_entry, board=board)
