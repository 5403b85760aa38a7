"""Reference costs per beneficiary (public to read; operators set them with the decision that adopted them)."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.registry.entrypoints.api.schemas import (
    ReferenceCostQuerySchema,
    ReferenceCostSchema,
    ReferenceCostSetSchema,
)
from services.registry.service_layer import reference_costs
from services.registry.service_layer.commands import SetReferenceCost

blp = Blueprint(
    "reference_costs",
    __name__,
    description="Reference cost per beneficiary: the annual cost of one place per service, district and year",
)


@blp.route("/reference-costs")
class ReferenceCosts(MethodView):
    @blp.arguments(ReferenceCostQuerySchema, location="query")
    @blp.response(200, ReferenceCostSchema(many=True))
    def get(self, filters):
        """Reference costs, by service type, district ('*': national) and year (public)"""
        with service_context().session_factory() as session:
            return reference_costs.list_reference_costs(session, filters)


@blp.route("/reference-costs/<service_type>/<district_code>/<int:year>")
class ReferenceCost(MethodView):
    @require_roles("operator")
    @blp.arguments(ReferenceCostSetSchema)
    @blp.response(200, ReferenceCostSchema)
    def put(self, body, service_type: str, district_code: str, year: int):
        """Set the reference cost of a service in a district ('*': national) for a year (operators)"""
        command = SetReferenceCost(service_type, district_code, year, body["amount"], body["source"].strip())
        row = reference_costs.set_reference_cost(service_context().call(), command)
        return reference_costs.reference_cost_payload(row)
