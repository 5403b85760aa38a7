"""The anonymous read API: published calls, their clarifications, ranking and awards, contracts with accepted
monitoring reports, and bulk exports of awards and contracts per district and year. No token is read here."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from services.common.app import service_context
from services.common.blueprint import Blueprint
from services.common.pagination import answer_page
from services.contracting.entrypoints.api.schemas_competition import RankingSchema
from services.contracting.entrypoints.api.schemas_public import (
    AwardRowSchema,
    CallSchema,
    CallsQuerySchema,
    CallSummarySchema,
    ClarificationSchema,
    ContractRowSchema,
    ExportQuerySchema,
    PublicContractSchema,
    PublicContractsQuerySchema,
    export_doc,
)
from services.contracting.service_layer import exports, views
from services.contracting.service_layer.base import Call, utc

blp = Blueprint("public", __name__, description="What anyone may read and download (no token)")


def _anonymous_call() -> Call:
    """A call with no caller, whatever token came along: the public sees what the public may see."""
    context = service_context()
    own = context.own_settings
    return Call(context.uow(), None, utc(context.clock()), prefix=own.ocid_prefix, rules=own.procedure)


@blp.route("/public/calls")
class Calls(MethodView):
    @blp.arguments(CallsQuerySchema, location="query")
    @blp.response(200, CallSummarySchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Published calls, searched by district, status, service, budget, deadline and title

        Status is in OCDS terms (active, complete, cancelled, unsuccessful). sort: newest (default), deadline
        (soonest first, calls without one last), budget_desc or budget_asc (calls without a budget last).
        """
        first, size = pagination_parameters.first_item, pagination_parameters.page_size
        search = exports.CallSearch(**filters)
        return answer_page(
            exports.published_calls(service_context().session_factory, search, first, size), pagination_parameters
        )


@blp.route("/public/calls/<int:tender_id>")
class CallById(MethodView):
    @blp.response(200, CallSchema)
    def get(self, tender_id):
        """One published call as its compiled OCDS release: terms, clarifications, awards, contracts"""
        return exports.call_record(service_context().session_factory, tender_id)


@blp.route("/public/calls/<int:tender_id>/clarifications")
class Clarifications(MethodView):
    @blp.response(200, ClarificationSchema(many=True))
    def get(self, tender_id):
        """The call's questions and answers, without who asked"""
        return exports.clarifications(exports.call_record(service_context().session_factory, tender_id))


@blp.route("/public/calls/<int:tender_id>/ranking")
class Ranking(MethodView):
    @blp.response(200, RankingSchema)
    def get(self, tender_id):
        """After the award decision: ranks, scores per criterion, reasons (evaluators shown only as numbers)"""
        return views.ranking_view(_anonymous_call(), tender_id)


@blp.route("/public/contracts")
class Contracts(MethodView):
    @blp.arguments(PublicContractsQuerySchema, location="query")
    @blp.response(200, PublicContractSchema(many=True))
    def get(self, query):
        """Published contracts with their supplier and accepted monitoring reports"""
        found = exports.contracts(service_context().session_factory, query.get("district_code"), query.get("year"))
        return [
            {
                "ocid": record.ocid,
                "tender_id": record.tender_id,
                "district_code": record.district_code,
                "supplier": (award.get("suppliers") or [None])[0],
                "contract": contract,
                "accepted_reports": exports.accepted_reports(contract),
            }
            for record, contract, award in found
        ]


def _export(kind: str, query: dict) -> Response | list[dict]:
    rows_of, columns = {
        "awards": (exports.award_rows, exports.AWARD_COLUMNS),
        "contracts": (exports.contract_rows, exports.CONTRACT_COLUMNS),
    }[kind]
    rows = rows_of(service_context().session_factory, query.get("district_code"), query.get("year"))
    if query["format"] == "json":
        return rows
    name = "-".join(str(part) for part in (kind, query.get("district_code"), query.get("year")) if part)
    return Response(
        exports.as_csv(rows, columns),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@blp.route("/exports/awards")
class AwardsExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.doc(**export_doc(AwardRowSchema(many=True)))
    def get(self, query):
        """Every award of a district's calls decided in a year, as JSON or CSV"""
        return _export("awards", query)


@blp.route("/exports/contracts")
class ContractsExport(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.doc(**export_doc(ContractRowSchema(many=True)))
    def get(self, query):
        """Every contract of a district signed (or starting) in a year, as JSON or CSV"""
        return _export("contracts", query)
