"""Audit verification: recompute a tender's hash chain and report the first broken link."""

from __future__ import annotations

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas_public import VerificationSchema
from services.contracting.service_layer import audit_verification

blp = Blueprint("audit_verification", __name__, description="Verifying a tender's hash-chained audit log")


@blp.route("/tenders/<int:tender_id>/audit/verify")
class Verify(MethodView):
    @require_roles("authority", "operator")
    @blp.response(200, VerificationSchema)
    def get(self, tender_id):
        """Recompute the chain: intact, or the first broken entry and why (the district's authority, operators)"""
        return audit_verification.verify_for(make_call(), tender_id)
