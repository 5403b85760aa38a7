"""Contracts: made from a tender's active awards after the standstill, edited before signature, signed by both
sides, cancelled or terminated with a reason, and expired by the due-transition command.
"""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import current_principal, require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas_contracts import (
    ContractEditSchema,
    ContractListQuerySchema,
    ContractSchema,
    ContractsCreateSchema,
    ContractVersionSchema,
    DueContractsSchema,
    ReasonTextSchema,
)
from services.contracting.service_layer import (
    contract_editing,
    contract_making,
    contract_signing,
    contracts,
    renewals,
    tenders,
)
from services.contracting.service_layer.contracts import ContractRules

blp = Blueprint("contracts", __name__, description="Contracts, their milestones, signatures and versions")


def contract_rules() -> ContractRules:
    own = service_context().own_settings
    return ContractRules(own.renewal, own.terms, own.change_limits)


def contract_view(contract) -> dict:
    """The contract as the API shows it, read at the time of the answer."""
    return contracts.contract_views(make_call(), [contract])[0]


def contract_views(shown: list) -> list[dict]:
    return contracts.contract_views(make_call(), shown)


@blp.route("/tenders/<int:tender_id>/contracts")
class TenderContracts(MethodView):
    @blp.response(200, ContractSchema(many=True))
    def get(self, tender_id):
        """The tender's contracts (public)"""
        tenders.get_tender(service_context().uow(), tender_id, current_principal())
        return contract_views(contracts.list_contracts(make_call(), {"tender_id": tender_id}))

    @require_roles("authority", "service")
    @blp.arguments(ContractsCreateSchema)
    @blp.response(200, ContractSchema(many=True))
    @blp.alt_response(201, schema=ContractSchema(many=True), description="at least one contract was made")
    def post(self, terms, tender_id):
        """Make a contract for every active award that has none (after the standstill; harmless to repeat)"""
        made, new = contract_making.create_contracts(make_call(), contract_rules(), tender_id, terms)
        return contract_views(made), 201 if new else 200


@blp.route("/contracts")
class Contracts(MethodView):
    @blp.arguments(ContractListQuerySchema, location="query")
    @blp.response(200, ContractSchema(many=True))
    def get(self, filters):
        """Contracts (public); an authority sees its district's"""
        return contract_views(contracts.list_contracts(make_call(), filters))


@blp.route("/contracts/<int:contract_id>")
class ContractById(MethodView):
    @blp.response(200, ContractSchema)
    def get(self, contract_id):
        """One contract with its milestones, signatures and allowed actions (public)"""
        return contract_view(contracts.get_contract(make_call(), contract_id))

    @require_roles("authority")
    @blp.arguments(ContractEditSchema)
    @blp.response(200, ContractSchema)
    def patch(self, edit, contract_id):
        """Before anyone signs: move the start, change KPIs, regenerate or write the milestones"""
        return contract_view(contract_editing.edit_pending(make_call(), contract_rules(), contract_id, edit))


@blp.route("/contracts/<int:contract_id>/versions")
class Versions(MethodView):
    @blp.response(200, ContractVersionSchema(many=True))
    def get(self, contract_id):
        """Every version of the contract's terms, oldest first (public)"""
        return contracts.versions(make_call(), contract_id)


@blp.route("/contracts/<int:contract_id>/sign")
class Sign(MethodView):
    @require_roles("authority", "cso")
    @blp.response(200, ContractSchema)
    def post(self, contract_id):
        """Sign for your side (the district's authority or the provider); both signatures make it active"""
        return contract_view(contract_signing.sign(make_call(), contract_id))


@blp.route("/contracts/<int:contract_id>/cancel")
class Cancel(MethodView):
    @require_roles("authority")
    @blp.arguments(ReasonTextSchema)
    @blp.response(200, ContractSchema)
    def post(self, data, contract_id):
        """Cancel a contract not yet in force, with the reason"""
        return contract_view(contract_signing.end(make_call(), contract_id, "cancel", data["reason"]))


@blp.route("/contracts/<int:contract_id>/terminate")
class Terminate(MethodView):
    @require_roles("authority")
    @blp.arguments(ReasonTextSchema)
    @blp.response(200, ContractSchema)
    def post(self, data, contract_id):
        """Terminate an active contract early, with the reason"""
        return contract_view(contract_signing.end(make_call(), contract_id, "terminate", data["reason"]))


@blp.route("/contracts/transitions/due")
class DueTransitions(MethodView):
    @require_roles("service", "operator")
    @blp.response(200, DueContractsSchema)
    def post(self):
        """Expire contracts past their end; announce contract.expiring once in the notice window (repeatable)"""
        return renewals.apply_due(make_call(), contract_rules())
