"""Sealed bids: submit, read, modify, withdraw and re-confirm, each write answered with a receipt."""

from __future__ import annotations

from http import HTTPStatus

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.web import documents_errors
from services.contracting.entrypoints.api.common import EVERY_ROLE, make_call
from services.contracting.entrypoints.api.schemas_competition import (
    BidListSchema,
    BidReceiptSchema,
    BidSchema,
    BidWriteSchema,
)
from services.contracting.service_layer import bids, views

blp = Blueprint("bids", __name__, description="Sealed bids of CSOs")


def receipt_view(result) -> dict:
    bid, receipt = result
    return {"bid": bid, "receipt": {"sha256": receipt.sha256, "received_at": receipt.received_at}}


@blp.route("/tenders/<int:tender_id>/bids")
class Bids(MethodView):
    # 409 to an evaluator who has not declared conflicts of interest yet.
    @documents_errors(HTTPStatus.CONFLICT)
    @require_roles(*EVERY_ROLE)
    @blp.response(200, BidListSchema)
    def get(self, tender_id):
        """Bids the caller may see: its own (CSO); a count only (authority, before the deadline)"""
        count, visible = views.visible_bids(make_call(), tender_id)
        return {"tender_id": tender_id, "count": count, "bids": visible}

    @require_roles("cso")
    @blp.arguments(BidWriteSchema)
    @blp.response(201, BidReceiptSchema)
    def post(self, offer, tender_id):
        """Submit a bid on a lot (before the deadline, by the server clock); returns its receipt"""
        return receipt_view(bids.submit_bid(make_call(), tender_id, offer))


@blp.route("/tenders/<int:tender_id>/bids/<int:bid_id>")
class BidById(MethodView):
    # 409 to an evaluator who has not declared conflicts of interest yet.
    @documents_errors(HTTPStatus.CONFLICT)
    @require_roles(*EVERY_ROLE)
    @blp.response(200, BidSchema)
    def get(self, tender_id, bid_id):
        """One bid, to its author; to the authority and cleared evaluators once opened"""
        return views.visible_bid(make_call(), tender_id, bid_id)

    @require_roles("cso")
    @blp.arguments(BidWriteSchema)
    @blp.response(200, BidReceiptSchema)
    def put(self, offer, tender_id, bid_id):
        """Replace the bid's offer (before the deadline); returns a new receipt"""
        return receipt_view(bids.modify_bid(make_call(), tender_id, bid_id, offer))


@blp.route("/tenders/<int:tender_id>/bids/<int:bid_id>/withdraw")
class Withdraw(MethodView):
    @require_roles("cso")
    @blp.response(200, BidReceiptSchema)
    def post(self, tender_id, bid_id):
        """Withdraw the bid (before the deadline)"""
        return receipt_view(bids.withdraw_bid(make_call(), tender_id, bid_id))


@blp.route("/tenders/<int:tender_id>/bids/<int:bid_id>/reconfirm")
class Reconfirm(MethodView):
    @require_roles("cso")
    @blp.response(200, BidReceiptSchema)
    def post(self, tender_id, bid_id):
        """Confirm the bid stands after a material amendment (before the deadline)"""
        return receipt_view(bids.reconfirm_bid(make_call(), tender_id, bid_id))
