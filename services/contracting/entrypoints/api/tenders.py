"""Tenders: two-step creation, publication, time-based transitions, invitations, amendments, cancellation."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import current_principal, require_roles
from services.common.blueprint import Blueprint
from services.common.pagination import answer_page
from services.contracting.entrypoints.api import public_reads
from services.contracting.entrypoints.api.common import make_call
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
from services.contracting.service_layer import tender_views, tenders
from services.contracting.service_layer.eligibility import eligible_provider_ids

blp = Blueprint("tenders", __name__, description="Calls for social services")
LISTING, ONE = TenderSchema(many=True), TenderSchema()


def tender_view(tender) -> dict:
    """The tender as the API shows it, read at the time of the answer."""
    return tender_views.tender_view(make_call(), tender)


@blp.route("/tenders")
class Tenders(MethodView):
    @blp.arguments(TenderListQuerySchema, location="query")
    @blp.response(200, TenderSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Published calls (public); an authority also sees its own drafts"""
        first, size = pagination_parameters.first_item, pagination_parameters.page_size
        if not public_reads.shared():
            return answer_page(tender_views.tender_page(make_call(), filters, first, size), pagination_parameters)

        def build(call):
            page = tender_views.tender_page(call, filters, first, size)
            return page.items, page.total, tender_views.shown_until(call, page.items, "status" in filters)

        key = ("tenders", tuple(sorted(filters.items())), first, size)
        response, pagination_parameters.item_count = public_reads.answer(key, LISTING, build)
        return response

    @require_roles("authority")
    @blp.arguments(TenderCreateSchema)
    @blp.response(201, TenderSchema)
    def post(self, draft):
        """Create a draft call (lots, criteria, committee size, periods) for the authority's own district"""
        return tender_view(tenders.create_tender(make_call(), draft))


@blp.route("/tenders/<int:tender_id>")
class TenderById(MethodView):
    @blp.response(200, TenderSchema)
    def get(self, tender_id):
        """One call with its lots, criteria and computed next_check"""
        if not public_reads.shared():
            return tender_view(tenders.get_tender(service_context().uow(), tender_id, current_principal()))

        def build(call):
            view = tender_views.tender_view(call, tenders.get_tender(call.uow, tender_id, call.principal))
            return view, None, tender_views.shown_until(call, [view], every_call=False)

        return public_reads.answer(("tender", tender_id), ONE, build)[0]


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
        invited = tender_views.invited_provider_ids(make_call(), tender_id)
        return {"tender_id": tender_id, "newly_invited": new, "invited": invited}


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
        return tender_views.amendments(make_call(), tender_id)

    @require_roles("authority")
    @blp.arguments(AmendmentCreateSchema)
    @blp.response(201, AmendmentSchema)
    def post(self, change, tender_id):
        """Amend the call materially: the deadline moves out and standing bids need re-confirmation"""
        return tenders.amend_tender(make_call(), tender_id, change)
