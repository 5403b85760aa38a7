"""A CSO's bids: the bid form, check your answers, submit, documents, receipt, change, withdraw, re-confirm, list.

The contracting API keeps the bids (sealed until the deadline) and judges every write; these pages call it with
the person's token, show the total against the lot's budget before anything is sent, and word its refusals.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain import bidding
from services.portal.entrypoints.web import bid_support as support
from services.portal.entrypoints.web.bid_forms import API_FIELDS, bid_form, prefilled, refusal_for_form
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.requests import api, signed_in_as

blp = Blueprint("bids", __name__, url_prefix="/cso")

# The calls a CSO's bids are looked for in (the API has no list of one CSO's bids across calls)
CALL_STATUSES_WITH_BIDS = ("active.enquiries", "active.tendering", "active.evaluation", "active.standstill")
CALLS_PER_STATUS = 100


@blp.route("/calls/<int:tender_id>/bid", methods=["GET", "POST"])
@signed_in_as("cso")
def new(tender_id: int):
    """Form -> check your answers -> submit (POST to the API) -> add documents."""
    call = support.load_call(tender_id)
    if not call.is_open:
        return _closed(call, None)
    lots = bidding.lots_open_to_new_bid(call.lots, call.own_bids)
    if not lots:
        return render_template("bids/every_lot_taken.html", call=call)
    form = bid_form(lots, call.criteria)
    if request.method == "GET" and request.args.get("lot", "").isdigit() and call.lot(int(request.args["lot"])):
        form.lot_id.data = int(request.args["lot"])
    return _write_bid(call, form, bid_id=None)


@blp.route("/calls/<int:tender_id>/bids/<int:bid_id>/edit", methods=["GET", "POST"])
@signed_in_as("cso")
def edit(tender_id: int, bid_id: int):
    call = support.load_call(tender_id)
    bid = call.bid(bid_id) or abort(404)
    if not call.actions(bid).edit:
        return _closed(call, bid)
    lot = call.lot(int(bid["lot_id"]))
    form = bid_form([lot], call.criteria, data=prefilled(bid, call.criteria))
    return _write_bid(call, form, bid_id=bid_id)


def _closed(call: support.CallForBid, bid: dict | None):
    """The call takes no bids now (or this bid no changes): say why, and that nothing was changed."""
    return render_template("bids/closed.html", call=call, bid=bid, message=support.closed_message(call, bid)), 409


def _write_bid(call: support.CallForBid, form, bid_id: int | None):
    changing = bid_id is not None
    page = {"call": call, "form": form, "bid_id": bid_id, "warning": support.accreditation_problem(call)}
    step = request.form.get("step")
    if request.method == "GET" or step == "change":
        return _form_page(page, [])
    if not form.validate():
        return _form_page(page, []), 422
    offer, lot = form.offer(), form.chosen_lot()
    if step != "submit":
        check = bidding.price_check(offer.unit_price, offer.places, lot)
        return render_template("bids/check.html", **page, lot=lot, check=check)
    path = f"/tenders/{call.id}/bids"
    try:
        if changing:
            answer = api().put("contracting", f"{path}/{bid_id}", offer.api_payload())
        else:
            answer = api().post("contracting", path, offer.api_payload())
    except ApiRefusal as refusal:
        return _refused(page, refusal, offer, changing)
    bid = answer["bid"]
    if changing:
        flash(gettext("Your bid was changed. The platform issued a new receipt."), "success")
        return redirect(url_for("bids.receipt", tender_id=call.id, bid_id=bid["id"]))
    flash(gettext("Your bid was submitted. Now add its documents."), "success")
    return redirect(url_for("bids.documents", tender_id=call.id, bid_id=bid["id"]))


def _refused(page: dict, refusal: ApiRefusal, offer: bidding.Offer, changing: bool):
    """The form again, as typed, with the API's reasons beside the fields or in plain words at the top."""
    form, call = page["form"], page["call"]
    if refusal.status == 422:
        problems = place_refusal(form, refusal_for_form(refusal, offer, call.criteria), API_FIELDS)
        return _form_page(page, problems), 422
    if refusal.status == 409:
        problem = support.conflict_message(refusal, call, changing)
        return _form_page(page, [problem], existing_bid_link=support.already_bid_link(refusal, call.id)), 409
    raise refusal


def _form_page(page: dict, problems: list[str], **extra):
    form = page["form"]
    check = bidding.price_check_from_text(form.unit_price.data, form.places.data, form.chosen_lot())
    return render_template("bids/form.html", **page, problems=problems, check=check, **extra)


@blp.get("/calls/<int:tender_id>/bid/total")
@signed_in_as("cso")
def total(tender_id: int):
    """The total against the lot's budget for what is typed so far (htmx swaps it in beside the form)."""
    call = support.load_call(tender_id, with_bids=False)
    lot_id = request.args.get("lot_id", "")
    lot = call.lot(int(lot_id)) if lot_id.isdigit() else None
    check = bidding.price_check_from_text(request.args.get("unit_price"), request.args.get("places"), lot)
    return render_template("bids/_total.html", check=check, lot=lot)


@blp.route("/calls/<int:tender_id>/bids/<int:bid_id>/documents", methods=["GET", "POST"])
@signed_in_as("cso")
def documents(tender_id: int, bid_id: int):
    """Add files to the bid (each forwarded to the API as the person) and see them with their SHA-256."""
    call = support.load_call(tender_id)
    bid = call.bid(bid_id) or abort(404)
    form = ConfirmForm()
    by_script = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    if request.method == "GET" and request.headers.get("HX-Request"):
        return render_template("bids/_documents.html", call=call, bid=bid)
    if request.method == "POST":
        if not call.actions(bid).documents:
            return _upload_answer(by_script, [], [support.closed_message(call, bid)], call, bid_id, 409)
        if not form.validate_on_submit():
            abort(400)
        uploads = [f for f in request.files.getlist("files") if f and f.filename]
        if not uploads:
            return _upload_answer(by_script, [], [gettext("Choose at least one file to add.")], call, bid_id, 422)
        added, refused = _forward_each(call.id, bid_id, uploads, request.form.get("document_type", ""))
        return _upload_answer(by_script, added, refused, call, bid_id, 201 if added and not refused else 422)
    return render_template("bids/documents.html", call=call, bid=bid, form=form)


def _forward_each(tender_id: int, bid_id: int, uploads, document_type: str) -> tuple[list[dict], list[str]]:
    added, refused = [], []
    for upload in uploads:
        try:
            added.append(support.forward_upload(tender_id, bid_id, upload, document_type)["document"])
        except ApiRefusal as refusal:
            if refusal.status in (401, 403, 404):
                raise
            refused.append(support.upload_refusal_message(refusal, upload.filename))
    return added, refused


def _upload_answer(by_script: bool, added: list[dict], refused: list[str], call, bid_id: int, status: int):
    """To the page's script: what became of this file (it then reloads the list); without script: back to the
    page (POST-redirect-GET) with the same words as messages."""
    if by_script:
        return render_template("bids/_upload_result.html", added=added, refused=refused), status
    for document in added:
        flash(gettext("%(name)s was added to your bid.", name=document.get("file_name")), "success")
    for message in refused:
        flash(message, "error")
    return redirect(url_for("bids.documents", tender_id=call.id, bid_id=bid_id))


@blp.post("/calls/<int:tender_id>/bids/<int:bid_id>/documents/<int:document_id>/remove")
@signed_in_as("cso")
def remove_document(tender_id: int, bid_id: int, document_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        api().delete("contracting", f"/documents/{document_id}")
        flash(gettext("The document was taken off your bid. The platform issued a new receipt."), "success")
    except ApiRefusal as refusal:
        if refusal.status != 409:
            raise
        flash(
            gettext("The document could not be taken off: the deadline has passed or the bid was withdrawn."), "error"
        )
    return redirect(url_for("bids.documents", tender_id=tender_id, bid_id=bid_id))


@blp.get("/calls/<int:tender_id>/bids/<int:bid_id>/receipt")
@signed_in_as("cso")
def receipt(tender_id: int, bid_id: int):
    call = support.load_call(tender_id)
    bid = call.bid(bid_id) or abort(404)
    return render_template(
        "bids/receipt.html",
        call=call,
        bid=bid,
        lot=call.lot(int(bid["lot_id"])),
        bidder=support.provider_name(bid.get("provider_id")),
        documents=bidding.bid_documents(bid),
        actions=call.actions(bid),
        form=ConfirmForm(),
    )


@blp.route("/calls/<int:tender_id>/bids/<int:bid_id>/withdraw", methods=["GET", "POST"])
@signed_in_as("cso")
def withdraw(tender_id: int, bid_id: int):
    """GET asks "are you sure?"; POST (with its CSRF token) withdraws the bid."""
    call = support.load_call(tender_id)
    bid = call.bid(bid_id) or abort(404)
    form = ConfirmForm()
    page = {"call": call, "bid": bid, "lot": call.lot(int(bid["lot_id"])), "form": form}
    if not call.actions(bid).withdraw:
        return _closed(call, bid)
    if not form.validate_on_submit():
        return render_template("bids/withdraw.html", **page, problem=None)
    try:
        api().post("contracting", f"/tenders/{tender_id}/bids/{bid_id}/withdraw")
    except ApiRefusal as refusal:
        if refusal.status != 409:
            raise
        problem = support.conflict_message(refusal, call, changing=True)
        return render_template("bids/withdraw.html", **page, problem=problem), 409
    flash(gettext("Your bid was withdrawn. You can submit a new bid on this lot until the deadline."), "success")
    return redirect(url_for("bids.receipt", tender_id=tender_id, bid_id=bid_id))


@blp.post("/calls/<int:tender_id>/bids/<int:bid_id>/reconfirm")
@signed_in_as("cso")
def reconfirm(tender_id: int, bid_id: int):
    """After the department amended the call: the bid stands as it is (else it is not eligible at the opening)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        api().post("contracting", f"/tenders/{tender_id}/bids/{bid_id}/reconfirm")
        flash(gettext("You confirmed your bid stands. The platform issued a new receipt."), "success")
    except ApiRefusal as refusal:
        if refusal.status != 409:
            raise
        flash(support.conflict_message(refusal, support.load_call(tender_id, with_bids=False), True), "error")
    return redirect(url_for("bids.receipt", tender_id=tender_id, bid_id=bid_id))


@blp.get("/bids")
@signed_in_as("cso")
def mine():
    """The CSO's bids on calls still open or being evaluated: each call asked for the caller's own bids."""
    rows = []
    for status in CALL_STATUSES_WITH_BIDS:
        calls, _total = api().get_page("contracting", "/tenders", status=status, page_size=CALLS_PER_STATUS)
        for tender in calls:
            own = support.own_bids(tender["id"])
            call = support.CallForBid.from_api(tender, own)
            rows.extend({"call": call, "bid": bid, "lot": call.lot(int(bid["lot_id"]))} for bid in own)
    rows.sort(key=lambda row: row["call"].deadline or "")
    return render_template("bids/mine.html", rows=rows)
