"""Complaints during the standstill and their resolution; and the tender's audit chain."""

from __future__ import annotations

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas_competition import (
    AuditSchema,
    ComplaintCreateSchema,
    ComplaintSchema,
    ResolutionSchema,
)
from services.contracting.service_layer import complaints, views

blp = Blueprint("complaints", __name__, description="Complaints about awards, and the audit chain")


@blp.route("/tenders/<int:tender_id>/complaints")
class Complaints(MethodView):
    @require_roles("authority", "operator", "service", "cso")
    @blp.response(200, ComplaintSchema(many=True))
    def get(self, tender_id):
        """The call's complaints (a CSO sees its own)"""
        return complaints.visible_complaints(make_call(), tender_id)

    @require_roles("cso")
    @blp.arguments(ComplaintCreateSchema)
    @blp.response(201, ComplaintSchema)
    def post(self, complaint, tender_id):
        """Complain about the award decision (bidders only, during the standstill)"""
        return complaints.lodge(make_call(), tender_id, complaint)


@blp.route("/tenders/<int:tender_id>/complaints/<int:complaint_id>/resolution")
class Resolution(MethodView):
    @require_roles("authority", "operator")
    @blp.arguments(ResolutionSchema)
    @blp.response(200, ComplaintSchema)
    def post(self, data, tender_id, complaint_id):
        """Uphold (the award falls, evaluation reopens) or reject a complaint, with reasons"""
        return complaints.resolve(make_call(), tender_id, complaint_id, data["decision"], data["reasons"])


@blp.route("/tenders/<int:tender_id>/audit")
class Audit(MethodView):
    @require_roles("authority", "operator", "service")
    @blp.response(200, AuditSchema)
    def get(self, tender_id):
        """The tender's hash-chained audit log and whether the chain is intact"""
        return views.audit_view(make_call(), tender_id)
