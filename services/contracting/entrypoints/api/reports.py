"""Monitoring reports: filed by the provider per period, accepted or returned with comments by the authority."""

from __future__ import annotations

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas_contracts import CommentsSchema, ReportCreateSchema, ReportSchema
from services.contracting.service_layer import reports

blp = Blueprint("reports", __name__, description="Monitoring reports and the milestones they release")


def view(report) -> dict:
    return reports.report_views(make_call(), [report])[0]


@blp.route("/contracts/<int:contract_id>/reports")
class Reports(MethodView):
    @blp.response(200, ReportSchema(many=True))
    def get(self, contract_id):
        """Accepted reports (public); the parties also see those under review or returned"""
        return reports.report_views(make_call(), reports.reports(make_call(), contract_id))

    @require_roles("cso")
    @blp.arguments(ReportCreateSchema)
    @blp.response(201, ReportSchema)
    def post(self, filed, contract_id):
        """File the report of one period: beneficiaries served, KPI values, narrative, documents"""
        return view(reports.submit(make_call(), contract_id, filed))


@blp.route("/contracts/<int:contract_id>/reports/<int:report_id>/accept")
class Accept(MethodView):
    @require_roles("authority")
    @blp.response(200, ReportSchema)
    def post(self, contract_id, report_id):
        """Accept the report: its period's milestone becomes payable"""
        return view(reports.decide(make_call(), contract_id, report_id, "accept"))


@blp.route("/contracts/<int:contract_id>/reports/<int:report_id>/return")
class Return(MethodView):
    @require_roles("authority")
    @blp.arguments(CommentsSchema)
    @blp.response(200, ReportSchema)
    def post(self, data, contract_id, report_id):
        """Return the report with comments; the provider files a corrected one"""
        return view(reports.decide(make_call(), contract_id, report_id, "return", data["comments"]))
