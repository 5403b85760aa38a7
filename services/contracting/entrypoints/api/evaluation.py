"""The evaluation committee: members, conflict-of-interest declarations, independent scores, completion."""

from __future__ import annotations

from http import HTTPStatus

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.web import documents_errors
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas import TenderSchema
from services.contracting.entrypoints.api.schemas_competition import (
    CommitteeAssignSchema,
    CommitteeSchema,
    DeclarationSchema,
    MemberSchema,
    ScoresSchema,
    ScoresWriteSchema,
)
from services.contracting.entrypoints.api.tenders import tender_view
from services.contracting.service_layer import awards, evaluation, views

blp = Blueprint("evaluation", __name__, description="Committee, conflicts of interest, scoring, award decision")

COMMITTEE_READERS = ("authority", "operator", "service", "evaluator")


@blp.route("/tenders/<int:tender_id>/committee")
class Committee(MethodView):
    @require_roles(*COMMITTEE_READERS)
    @blp.response(200, CommitteeSchema)
    def get(self, tender_id):
        """Members, their declarations, whether scoring is blocked, and (once opened) the bidders"""
        return views.committee_view(make_call(), tender_id)

    @require_roles("authority")
    @blp.arguments(CommitteeAssignSchema)
    @blp.response(200, MemberSchema(many=True))
    def post(self, data, tender_id):
        """Seat evaluators of the district (by their registry user id) on the committee"""
        return evaluation.assign_members(make_call(), tender_id, data["evaluators"])


@blp.route("/tenders/<int:tender_id>/committee/declaration")
class Declaration(MethodView):
    @require_roles("evaluator")
    @blp.arguments(DeclarationSchema)
    @blp.response(200, MemberSchema)
    def post(self, data, tender_id):
        """Declare conflicts of interest against the bidders (before reading any bid)"""
        return evaluation.declare(make_call(), tender_id, data["has_conflict"], data["statement"])


@blp.route("/tenders/<int:tender_id>/evaluation/scores")
class Scores(MethodView):
    # 409 to an evaluator who has not declared conflicts of interest yet.
    @documents_errors(HTTPStatus.CONFLICT)
    @require_roles(*COMMITTEE_READERS)
    @blp.response(200, ScoresSchema)
    def get(self, tender_id):
        """Scores: an evaluator's own until every member has scored; everyone's after"""
        return views.scores_view(make_call(), tender_id)

    @require_roles("evaluator")
    @blp.arguments(ScoresWriteSchema)
    @blp.response(200, ScoresSchema)
    def post(self, data, tender_id):
        """Score quality criteria of eligible bids, 0-100, each with a justification"""
        evaluation.submit_scores(make_call(), tender_id, data["scores"])
        return views.scores_view(make_call(), tender_id)


@blp.route("/tenders/<int:tender_id>/evaluation/complete")
class Complete(MethodView):
    @require_roles("authority", "service", "operator")
    @blp.response(200, TenderSchema)
    def post(self, tender_id):
        """Rank the bids and decide the awards: standstill begins, or the call is unsuccessful"""
        terms = service_context().own_settings.terms  # dates each award's contract (accreditation check)
        return tender_view(awards.complete_evaluation(make_call(), tender_id, terms))
