"""Tenders: two-step creation, publication, time-based transitions, invitations, amendments, cancellation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.auth import current_principal, require_roles
from services.common.bootstrap import service_context
from services.contracting.adapters.orm_tendering import Amendment, Criterion, Invitation, Lot, Tender
from services.contracting.domain import tender_status
from services.contracting.entrypoints.api.common import make_call, prefix
from services.contracting.entrypoints.api.schemas import (
    AmendmentCreateSchema,
    AmendmentSchema,
    DueTransitionsSchema,
    EligibleProvidersSchema,
    InvitationsSchema,
    ReasonSchema,
    TenderCreateSchema,
    TenderListQuerySchema,
    TenderSchema,
)
from services.contracting.service_layer import tenders, views
from services.contracting.service_layer.base import deadlines, ocid, utc
from services.contracting.service_layer.eligibility import eligible_provider_ids

blp = Blueprint("tenders", __name__, description="Calls for social services")

COLUMNS = [name for name in TenderSchema().fields if name in Tender.__table__.columns]


def tender_view(tender: Tender) -> dict:
    with service_context().session_factory() as session:
        return tender_views(session, [tender])[0]


def tender_views(session: Session, tenders_shown: list[Tender]) -> list[dict]:
    """The tenders as the API shows them, with their lots and criteria loaded in one query each, not per tender."""
    if not tenders_shown:
        return []  # a page past the end: no IN () queries
    ids = [tender.id for tender in tenders_shown]
    lots = _by_tender(session.scalars(select(Lot).where(Lot.tender_id.in_(ids)).order_by(Lot.number)))
    criteria = _by_tender(
        session.scalars(select(Criterion).where(Criterion.tender_id.in_(ids)).order_by(Criterion.number))
    )
    shared_prefix = prefix()
    now = views.status_now(session, tenders_shown, utc(service_context().clock()))
    return [
        _view(tender, shared_prefix, lots[tender.id], criteria[tender.id], now[tender.id]) for tender in tenders_shown
    ]


def _by_tender(rows: Iterable[Lot | Criterion]) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.tender_id].append(row)
    return grouped


def _view(tender: Tender, ocid_prefix: str, lots: list[Lot], criteria: list[Criterion], now: dict) -> dict:
    # next_check stays the chronograph's: the next timed action from the recorded status, past while it waits
    # for its stage run (the flows' catch-up looks for that); status and next_transition are what applies now.
    check = tender_status.next_check(tender.status, deadlines(tender))
    return {
        **{column: getattr(tender, column) for column in COLUMNS},
        **now,
        "ocid": ocid(ocid_prefix, tender.id),
        "lots": lots,
        "criteria": criteria,
        "next_check": {"action": check.action, "due_at": check.due_at} if check else None,
        "allowed_actions": tender_status.allowed_actions(now["status"]),
    }


@blp.route("/tenders")
class Tenders(MethodView):
    @blp.arguments(TenderListQuerySchema, location="query")
    @blp.response(200, TenderSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Published calls (public); an authority also sees its own drafts"""
        principal = current_principal()
        query = select(Tender)
        if principal and principal.role == "authority":
            query = query.where((Tender.status != "draft") | (Tender.district_code == principal.district_code))
        elif not (principal and principal.role == "operator"):
            query = query.where(Tender.status != "draft")
        status = filters.pop("status", None)
        if status is not None:
            query = query.where(views.status_now_filter(status, utc(service_context().clock())))
        if "applied_status" in filters:
            query = query.where(Tender.status == filters.pop("applied_status"))
        for name, value in filters.items():
            query = query.where(getattr(Tender, name) == value)
        with service_context().session_factory() as session:
            # COUNT(*) on the filtered table itself: no subquery of every column to build and plan per request.
            pagination_parameters.item_count = session.scalar(
                query.with_only_columns(func.count(), maintain_column_froms=True)
            )
            page = query.order_by(Tender.id.desc()).offset(pagination_parameters.first_item)
            found = list(session.scalars(page.limit(pagination_parameters.page_size)))
            return tender_views(session, found)

    @require_roles("authority")
    @blp.arguments(TenderCreateSchema)
    @blp.response(201, TenderSchema)
    def post(self, data):
        """Create a draft call (lots, criteria, committee size, periods) for the authority's own district"""
        return tender_view(tenders.create_tender(make_call(), data))


@blp.route("/tenders/<int:tender_id>")
class TenderById(MethodView):
    @blp.response(200, TenderSchema)
    def get(self, tender_id):
        """One call with its lots, criteria and computed next_check"""
        return tender_view(tenders.get_tender(service_context().uow(), tender_id, current_principal()))


@blp.route("/tenders/<int:tender_id>/publish")
class Publish(MethodView):
    @require_roles("authority")
    @blp.response(200, TenderSchema)
    def post(self, tender_id):
        """Publish a draft: it opens for enquiries and tender.published goes out"""
        return tender_view(tenders.publish_tender(make_call(), tender_id))


@blp.route("/tenders/<int:tender_id>/transitions/due")
class DueTransitions(MethodView):
    @require_roles("service", "operator")
    @blp.response(200, DueTransitionsSchema)
    def post(self, tender_id):
        """Apply every time-based transition that is due (harmless to repeat)"""
        tender, applied = tenders.apply_due_transitions(make_call(), tender_id)
        return {"tender": tender_view(tender), "applied": applied}


@blp.route("/tenders/<int:tender_id>/eligible-providers")
class EligibleProviders(MethodView):
    @require_roles("service", "operator")
    @blp.response(200, EligibleProvidersSchema)
    def get(self, tender_id):
        """Providers accredited for the service, valid today and serving the district"""
        context = service_context()
        tender = tenders.get_tender(context.uow(), tender_id, None)
        with context.session_factory() as session:
            ids = eligible_provider_ids(session, tender.service_type, tender.district_code, context.clock().date())
        return {"tender_id": tender_id, "provider_ids": ids}


@blp.route("/tenders/<int:tender_id>/invitations")
class Invitations(MethodView):
    @require_roles("service", "operator")
    @blp.response(200, InvitationsSchema)
    def post(self, tender_id):
        """Invite every eligible provider not yet invited (harmless to repeat)"""
        new = tenders.invite_eligible(make_call(), tender_id)
        with service_context().session_factory() as session:
            invited = session.scalars(select(Invitation.provider_id).where(Invitation.tender_id == tender_id)).all()
        return {"tender_id": tender_id, "newly_invited": new, "invited": sorted(invited)}


@blp.route("/tenders/<int:tender_id>/cancel")
class Cancel(MethodView):
    @require_roles("authority")
    @blp.arguments(ReasonSchema)
    @blp.response(200, TenderSchema)
    def post(self, data, tender_id):
        """Cancel the call with a reason (any time before a contract is signed)"""
        return tender_view(tenders.cancel_tender(make_call(), tender_id, data["reason"]))


@blp.route("/tenders/<int:tender_id>/amendments")
class Amendments(MethodView):
    @blp.response(200, AmendmentSchema(many=True))
    def get(self, tender_id):
        """The call's material amendments, oldest first (public)"""
        tender = tenders.get_tender(service_context().uow(), tender_id, current_principal())
        with service_context().session_factory() as session:
            query = select(Amendment).where(Amendment.tender_id == tender.id).order_by(Amendment.id)
            return session.scalars(query).all()

    @require_roles("authority")
    @blp.arguments(AmendmentCreateSchema)
    @blp.response(201, AmendmentSchema)
    def post(self, data, tender_id):
        """Amend the call materially: the deadline moves out and standing bids need re-confirmation"""
        return tenders.amend_tender(make_call(), tender_id, data)
