"""The bid extension's ``bids.details``, published with the decision (award or unsuccessful), never before: a bid
is sealed until the deadline and its bidder named only once the committee has decided, as the ranking is.

Each bid is published with its bidder, its lot and its status: ``disqualified`` when it was ineligible (the
registry's accreditation rule at the deadline) or below the quality floor, else ``valid``. Nothing of its content
(price, answers, documents) is copied here; the ranking API and the awards publish what is public of that. This is
what lets anyone recompute red flags R035 (every bid but the winner's disqualified) and R038 (a party's
disqualification rate an outlier) from the OCDS data.
"""

from __future__ import annotations

from services.contracting.domain.ocds_model import Parties
from services.contracting.domain.ranking import DISQUALIFIED, INELIGIBLE

BID_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"
OUT = (INELIGIBLE, DISQUALIFIED)


def bid_details(bidders: list[dict], parties: Parties) -> dict:
    """``{"bids": {"details": […]}}`` from a decision's bidder results (empty when the payload names no bid)."""
    numbered = sorted((bidder for bidder in bidders if "bid_id" in bidder), key=lambda entry: int(entry["bid_id"]))
    details = [_bid(bidder, parties) for bidder in numbered]
    return {"bids": {"details": details}} if details else {}


def _bid(bidder: dict, parties: Parties) -> dict:
    bid = {
        "id": str(bidder["bid_id"]),
        "status": "disqualified" if bidder.get("result") in OUT else "valid",
        "tenderers": [parties.provider(bidder["provider_id"], "tenderer")],
    }
    if bidder.get("lot_id") is not None:
        bid["relatedLots"] = [f"lot-{bidder['lot_id']}"]
    return bid
