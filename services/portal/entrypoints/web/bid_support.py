"""What the bid pages read from the APIs and how they word the API's refusals (the routes are in bids.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

from flask import url_for
from flask_babel import gettext
from werkzeug.datastructures import FileStorage

from services.portal.adapters.api_client import ApiRefusal, ServiceDown
from services.portal.domain import bidding
from services.portal.domain.bidding import Lot, QualityCriterion
from services.portal.domain.deadlines import parse_moment
from services.portal.entrypoints.web.filters import district_name, moment, service_name, status_label
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.requests import api, person, public_api

# What a bid's file may be (services/contracting/domain/documents.py DOCUMENT_TYPES["bid"]); the first is the default
BID_DOCUMENT_TYPES = ("technicalSpecifications", "qualificationDocuments", "eligibilityDocuments", "commercialProposal")
TITLE_MAX = 300


@dataclass(frozen=True)
class CallForBid:
    """A call as the bid pages need it: its lots and quality criteria, the person's own bids on it, and the time."""

    tender: dict
    lots: list[Lot]
    criteria: list[QualityCriterion]
    own_bids: list[dict]
    now: datetime

    @property
    def id(self) -> int:
        return int(self.tender["id"])

    @property
    def deadline(self) -> str | None:
        return self.tender.get("submission_deadline")

    @property
    def is_open(self) -> bool:
        return bidding.is_open_for_bids(self.tender.get("status"), self.deadline, self.now)

    def lot(self, lot_id: int | None) -> Lot | None:
        return next((lot for lot in self.lots if lot.id == lot_id), None)

    def bid(self, bid_id: int) -> dict | None:
        return next((bid for bid in self.own_bids if int(bid["id"]) == bid_id), None)

    def actions(self, bid: dict) -> bidding.BidActions:
        return bidding.allowed_actions(bid, self.tender.get("status"), self.deadline, self.now)

    @classmethod
    def from_api(cls, tender: dict, own_bids: list[dict]) -> CallForBid:
        lots = sorted((Lot.from_api(row) for row in tender.get("lots") or []), key=lambda lot: (lot.number, lot.id))
        criteria = bidding.quality_criteria(tender.get("criteria") or [])
        return cls(tender, lots, criteria, own_bids, datetime.now(UTC))


def load_call(tender_id: int, with_bids: bool = True) -> CallForBid:
    """The call (GET /tenders/<id>) and, unless not needed, the person's own bids on it (a CSO sees only its own)."""
    tender = api().get("contracting", f"/tenders/{tender_id}")
    return CallForBid.from_api(tender, own_bids(tender_id) if with_bids else [])


def own_bids(tender_id: int) -> list[dict]:
    return api().get("contracting", f"/tenders/{tender_id}/bids")["bids"]


def closed_message(call: CallForBid, bid: dict | None) -> str:
    """Why a bid cannot be changed now, as the API would say it (the page does not even ask)."""
    if call.is_open and bid is not None and bid.get("status") != bidding.ACTIVE:
        return conflict_message(ApiRefusal(409, {"current_status": bid.get("status")}), call, True)
    if not call.is_open and call.tender.get("status") in (*bidding.BIDDING_STATUSES, "active.evaluation"):
        return conflict_message(ApiRefusal(409, {"submission_deadline": call.deadline}), call, bid is not None)
    return conflict_message(ApiRefusal(409, {"current_status": call.tender.get("status")}), call, bid is not None)


def accreditation_problem(call: CallForBid) -> str | None:
    """Eligibility is judged when the bids are opened (accreditation valid on the deadline's day, district served):
    the API takes the bid either way, so the page warns before the person spends time on one that cannot win."""
    who = person()
    deadline = parse_moment(call.deadline)
    if who is None or who.provider_id is None or deadline is None:
        return None
    query = {
        "provider_id": who.provider_id,
        "service_type": call.tender.get("service_type"),
        "district_code": call.tender.get("district_code"),
        "on": deadline.astimezone(UTC).date().isoformat(),
    }
    try:
        validity = public_api().get("registry", "/accreditations/validity", **query)
    except (ApiRefusal, ServiceDown):
        return None  # the warning is a courtesy; the opening decides either way
    if validity.get("valid"):
        return None
    return gettext(
        "Your organisation has no valid accreditation for %(service)s in %(district)s on the deadline day. "
        "You can still submit a bid, but it will be found not eligible when the bids are opened. Ask the operator "
        "(the National Agency for Social Assistance) to check your accreditation and the districts you serve.",
        service=service_name(query["service_type"]),
        district=district_name(query["district_code"]),
    )


def conflict_message(refusal: ApiRefusal, call: CallForBid, changing: bool) -> str:
    """A 409 in plain words: what happened to the bid and what the person can do now."""
    kind = bidding.conflict_kind(refusal.body)
    if kind == bidding.DEADLINE_PASSED:
        deadline = moment(refusal.body.get("submission_deadline") or call.deadline)
        if changing:
            return gettext(
                "The deadline for bids (%(deadline)s) has passed: the platform made no change, and your bid stays "
                "as it was.",
                deadline=deadline,
            )
        return gettext(
            "The deadline for bids (%(deadline)s) has passed: the platform no longer takes bids for this call, and "
            "no bid was submitted.",
            deadline=deadline,
        )
    if kind == bidding.ALREADY_BID:
        return gettext(
            "You already have a bid on this lot. Change that bid instead, or withdraw it and submit a new one."
        )
    if kind == bidding.BID_NOT_STANDING:
        return gettext("This bid was withdrawn, so it cannot be changed. You can submit a new bid until the deadline.")
    if kind == bidding.CALL_NOT_OPEN:
        return gettext(
            "This call does not take bids now: it is at the stage “%(stage)s”. Your bid stays as it was.",
            stage=status_label(refusal.body.get("current_status")),
        )
    return person_message(refusal.message, refusal.body)


def already_bid_link(refusal: ApiRefusal, tender_id: int) -> str | None:
    bid_id = refusal.body.get("bid_id")
    return url_for("bids.edit", tender_id=tender_id, bid_id=int(bid_id)) if bid_id else None


def provider_name(provider_id: int | None) -> str:
    if provider_id is None:
        return "—"
    try:
        return public_api().get("registry", f"/providers/{provider_id}").get("legal_name") or str(provider_id)
    except (ApiRefusal, ServiceDown):
        return str(provider_id)


def document_title(file_name: str | None) -> str:
    """The API wants a title for each file; a person uploading several at once gets each file's own name."""
    stem = PurePath(file_name or "").stem.strip()
    return (stem or gettext("Document"))[:TITLE_MAX]


def forward_upload(tender_id: int, bid_id: int, upload: FileStorage, document_type: str) -> dict:
    """Send one file to the contracting API as the person (multipart, kind=bid, owner_id=the bid) with the SHA-256
    of the bytes the portal received, so the API refuses the file if anything changed them on the way."""
    content = upload.read()
    data = {
        "kind": "bid",
        "owner_id": str(bid_id),
        "title": document_title(upload.filename),
        "document_type": document_type if document_type in BID_DOCUMENT_TYPES else BID_DOCUMENT_TYPES[0],
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    file_name = upload.filename or "document"
    files = {"file": (file_name, content, upload.mimetype or "application/octet-stream")}
    return api().post("contracting", f"/tenders/{tender_id}/documents", data=data, files=files)


def upload_refusal_message(refusal: ApiRefusal, file_name: str) -> str:
    if refusal.status == 413:
        return gettext("%(name)s is too large for the platform.", name=file_name)
    if refusal.status == 409:
        return gettext("%(name)s was not added: the deadline has passed or the bid no longer stands.", name=file_name)
    reasons = "; ".join(person_message(m) for messages in refusal.field_errors.values() for m in messages)
    return gettext(
        "%(name)s was not added: %(reason)s", name=file_name, reason=reasons or person_message(refusal.message)
    )
