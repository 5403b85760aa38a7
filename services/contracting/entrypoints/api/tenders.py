"""Tenders: two-step creation, publication, time-based transitions and invitations."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select

from services.common.auth import current_principal, require_roles
from services.common.bootstrap import service_context
from services.contracting.adapters.orm import Invitation, Tender
from services.contracting.domain import tender_status
from services.contracting.entrypoints.api.schemas import (
    DueTransitionsSchema,
    EligibleProvidersSchema,
    InvitationsSchema,
    TenderCreateSchema,
    TenderListQuerySchema,
    TenderSchema,
)
from services.contracting.service_layer import tenders
from services.contracting.service_layer.eligibility import eligible_provider_ids

blp = Blueprint("tenders", __name__, description="Calls for social services")


def _prefix() -> str:
    return service_context().settings.extra["ocid_prefix"]


def tender_view(tender: Tender) -> dict:
    check = tender_status.next_check(tender.status, tenders.deadlines(tender))
    return {
        **{column: getattr(tender, column) for column in TenderSchema().fields if hasattr(tender, column)},
        **tenders.deadlines(tender),
        "ocid": tenders.ocid(_prefix(), tender.id),
        "next_check": {"action": check.action, "due_at": check.due_at} if check else None,
        "allowed_actions": tender_status.allowed_actions(tender.status),
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
        for name, value in filters.items():
            query = query.where(getattr(Tender, name) == value)
        with service_context().session_factory() as session:
            pagination_parameters.item_count = session.scalar(select(func.count()).select_from(query.subquery()))
            page = query.order_by(Tender.id.desc()).offset(pagination_parameters.first_item)
            return [tender_view(t) for t in session.scalars(page.limit(pagination_parameters.page_size))]

    @require_roles("authority")
    @blp.arguments(TenderCreateSchema)
    @blp.response(201, TenderSchema)
    def post(self, data):
        """Create a draft call for the authority's own district"""
        context = service_context()
        return tender_view(tenders.create_tender(context.uow(), current_principal(), data, context.clock()))


@blp.route("/tenders/<int:tender_id>")
class TenderById(MethodView):
    @blp.response(200, TenderSchema)
    def get(self, tender_id):
        """One call with its computed next_check"""
        return tender_view(tenders.get_tender(service_context().uow(), tender_id, current_principal()))


@blp.route("/tenders/<int:tender_id>/publish")
class Publish(MethodView):
    @require_roles("authority")
    @blp.response(200, TenderSchema)
    def post(self, tender_id):
        """Publish a draft: it opens for enquiries and tender.published goes out"""
        context = service_context()
        tender = tenders.publish_tender(context.uow(), current_principal(), tender_id, _prefix(), context.clock())
        return tender_view(tender)


@blp.route("/tenders/<int:tender_id>/transitions/due")
class DueTransitions(MethodView):
    @require_roles("service", "operator")
    @blp.response(200, DueTransitionsSchema)
    def post(self, tender_id):
        """Apply every time-based transition that is due (harmless to repeat)"""
        context = service_context()
        tender, applied = tenders.apply_due_transitions(context.uow(), tender_id, _prefix(), context.clock())
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
        context = service_context()
        new = tenders.invite_eligible(context.uow(), tender_id, _prefix(), context.clock())
        with context.session_factory() as session:
            invited = session.scalars(select(Invitation.provider_id).where(Invitation.tender_id == tender_id)).all()
        return {"tender_id": tender_id, "newly_invited": new, "invited": sorted(invited)}
