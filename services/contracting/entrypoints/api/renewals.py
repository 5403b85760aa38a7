"""Amendments and renewal decisions: contracts due, propose → confirm or decline, and the re-tender."""

from __future__ import annotations

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.contracts import contract_rules, contract_view
from services.contracting.entrypoints.api.schemas_contracts import (
    ContractAmendmentSchema,
    ContractSchema,
    DecisionSchema,
    ProposalCreateSchema,
    ProposalSchema,
    ReasonTextSchema,
    RenewalDueSchema,
    RetenderSchema,
)
from services.contracting.entrypoints.api.tenders import tender_view
from services.contracting.service_layer import continuity, renewals

blp = Blueprint("renewals", __name__, description="Amendments, renewals and re-tenders")


@blp.route("/contracts/<int:contract_id>/amendments")
class Amendments(MethodView):
    @require_roles("authority")
    @blp.arguments(ContractAmendmentSchema)
    @blp.response(200, ContractSchema)
    def post(self, amendment, contract_id):
        """Amend an active contract: places, value (within the limits) or an extension; a new version each time"""
        return contract_view(renewals.amend(make_call(), contract_rules(), contract_id, amendment))


@blp.route("/renewals/due")
class Due(MethodView):
    @require_roles("authority", "service", "operator")
    @blp.response(200, RenewalDueSchema(many=True))
    def get(self):
        """Contracts in the notice window, with the recommendation (renew / re-tender) and why"""
        due = renewals.due(make_call(), contract_rules())
        return [{**entry, "contract": contract_view(entry["contract"])} for entry in due]


@blp.route("/contracts/<int:contract_id>/renewal")
class Propose(MethodView):
    @require_roles("authority", "service", "operator")
    @blp.arguments(ProposalCreateSchema)
    @blp.response(200, ProposalSchema)
    @blp.alt_response(201, schema=ProposalSchema, description="a new proposal was made")
    def post(self, request, contract_id):
        """Propose renewing the contract (only when the policy recommends it; a repeat returns the open proposal)"""
        proposal, created = renewals.propose(make_call(), contract_rules(), contract_id, request)
        return proposal, 201 if created else 200


@blp.route("/contracts/<int:contract_id>/renewal/confirm")
class Confirm(MethodView):
    @require_roles("authority")
    @blp.arguments(DecisionSchema)
    @blp.response(200, ContractSchema)
    def post(self, data, contract_id):
        """Confirm the proposed renewal: the term is extended (contract.amended, contract.renewed)"""
        return contract_view(renewals.confirm(make_call(), contract_rules(), contract_id, data.get("reason")))


def retender_view(result: dict) -> dict:
    return {**result, "tender": tender_view(result["tender"])}


@blp.route("/contracts/<int:contract_id>/renewal/decline")
class Decline(MethodView):
    @require_roles("authority")
    @blp.arguments(ReasonTextSchema)
    @blp.response(200, RetenderSchema)
    def post(self, data, contract_id):
        """Decline the proposed renewal: a successor call is published at once"""
        return retender_view(continuity.retender(make_call(), contract_rules(), contract_id, data["reason"]))


@blp.route("/contracts/<int:contract_id>/retender")
class Retender(MethodView):
    @require_roles("authority", "service", "operator")
    @blp.response(200, RetenderSchema)
    @blp.alt_response(201, schema=RetenderSchema, description="a successor call was published")
    def post(self, contract_id):
        """Publish a successor call cloned from the contract's tender, timed to be signed before the end"""
        result = continuity.retender(make_call(), contract_rules(), contract_id)
        return retender_view(result), 201 if result["created"] else 200
