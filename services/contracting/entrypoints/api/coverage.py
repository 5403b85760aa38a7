"""Continuity: the watch that raises and clears continuity alerts, and the public coverage view."""

from __future__ import annotations

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.contracts import contract_rules
from services.contracting.entrypoints.api.schemas_contracts import (
    ContinuityCheckSchema,
    CoverageEntrySchema,
    CoverageQuerySchema,
)
from services.contracting.service_layer import continuity

blp = Blueprint("coverage", __name__, description="Service continuity and coverage per district and service")


@blp.route("/continuity/check")
class Check(MethodView):
    @require_roles("service", "operator")
    @blp.response(200, ContinuityCheckSchema)
    def post(self):
        """For every active contract: is the day after its end covered? Raise or clear alerts (repeatable)"""
        return continuity.check(make_call(), contract_rules())


@blp.route("/coverage")
class Coverage(MethodView):
    @blp.arguments(CoverageQuerySchema, location="query")
    @blp.response(200, CoverageEntrySchema(many=True))
    def get(self, filters):
        """What is contracted per district and service, until when, by whom, at what risk (public)"""
        return continuity.coverage(make_call(), contract_rules(), filters)
