"""Accreditations: the public list, their lifecycle (operators), the expiry check and the validity query."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.pagination import answer_page
from services.registry.domain.rules import local_date
from services.registry.entrypoints.api.schemas import (
    AccreditationQuerySchema,
    AccreditationSchema,
    ExpiryCheckSchema,
    OptionalReasonSchema,
    ReasonSchema,
    RenewalSchema,
    ValidityQuerySchema,
    ValiditySchema,
)
from services.registry.service_layer import accreditations, commands, queries

blp = Blueprint("accreditations", __name__, description="Accreditations: lifecycle, expiry and validity")


@blp.route("/accreditations")
class Accreditations(MethodView):
    @blp.arguments(AccreditationQuerySchema, location="query")
    @blp.response(200, AccreditationSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List accreditations by provider, service type or status"""
        with service_context().session_factory() as session:
            page = queries.list_accreditations(
                session, filters, pagination_parameters.first_item, pagination_parameters.page_size
            )
            return answer_page(page, pagination_parameters)


@blp.route("/accreditations/<int:accreditation_id>")
class AccreditationById(MethodView):
    @blp.response(200, AccreditationSchema)
    def get(self, accreditation_id):
        """One accreditation"""
        with service_context().session_factory() as session:
            return queries.get_accreditation(session, accreditation_id)


@blp.route("/accreditations/<int:accreditation_id>/renew")
class Renewal(MethodView):
    @require_roles("operator")
    @blp.arguments(RenewalSchema)
    @blp.response(200, AccreditationSchema)
    def post(self, command, accreditation_id):
        """Renew: a new last valid day, perhaps a new certificate (operators; emits accreditation.renewed)"""
        return accreditations.renew_accreditation(service_context().call(), accreditation_id, command)


def _status_change(action: str, schema, summary: str) -> type[MethodView]:
    class StatusChange(MethodView):
        @require_roles("operator")
        @blp.arguments(schema)
        @blp.response(200, AccreditationSchema)
        def post(self, data, accreditation_id):
            command = commands.ChangeAccreditationStatus(action, data["reason"])
            return accreditations.change_accreditation_status(service_context().call(), accreditation_id, command)

    StatusChange.post.__doc__ = summary
    StatusChange.__name__ = f"{action.title()}Accreditation"
    return StatusChange


blp.route("/accreditations/<int:accreditation_id>/suspend")(
    _status_change("suspend", ReasonSchema, "Suspend, with a reason (operators; emits accreditation.suspended)")
)
blp.route("/accreditations/<int:accreditation_id>/reinstate")(
    _status_change("reinstate", OptionalReasonSchema, "Lift a suspension (operators; emits accreditation.reinstated)")
)
blp.route("/accreditations/<int:accreditation_id>/revoke")(
    _status_change("revoke", ReasonSchema, "Revoke for good, with a reason (operators; emits accreditation.revoked)")
)


@blp.route("/accreditations/expiry-check")
class ExpiryCheck(MethodView):
    @require_roles("operator", "service")
    @blp.response(200, ExpiryCheckSchema)
    def post(self):
        """Expire every accreditation whose term has ended (daily; running it twice changes nothing)"""
        call = service_context().call()
        today = local_date(call.now)
        return {"checked_on": today, "expired": accreditations.expire_accreditations(call, today)}


@blp.route("/accreditations/validity")
class ValidityQuery(MethodView):
    @blp.arguments(ValidityQuerySchema, location="query")
    @blp.response(200, ValiditySchema)
    def get(self, query):
        """Is provider P accredited for service S in district D on day T? (with the reasons when not)"""
        context = service_context()
        on = query["on"] or local_date(context.clock())
        with context.session_factory() as session:
            answer = queries.accreditation_validity(
                session, query["provider_id"], query["service_type"], query["district_code"], on
            )
            accreditation = None
            if answer.accreditation is not None:
                accreditation = queries.get_accreditation(session, answer.accreditation.accreditation_id)
        return {**query, "on": on, "valid": answer.valid, "accreditation": accreditation, "reasons": answer.reasons}
