"""Awards and the public ranking: read after the decision; decline (winner) or disqualify (authority)."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas import ReasonSchema, TenderSchema
from services.contracting.entrypoints.api.schemas_competition import AwardSchema, RankingSchema
from services.contracting.entrypoints.api.tenders import tender_view
from services.contracting.service_layer import awards, views

blp = Blueprint("awards", __name__, description="Awards, the public ranking and the award cascade")


@blp.route("/tenders/<int:tender_id>/awards")
class Awards(MethodView):
    @blp.response(200, AwardSchema(many=True))
    def get(self, tender_id):
        """Every award of the call, live and cancelled (public after the award decision)"""
        return views.awards_view(make_call(), tender_id)


@blp.route("/tenders/<int:tender_id>/ranking")
class Ranking(MethodView):
    @blp.response(200, RankingSchema)
    def get(self, tender_id):
        """Ranks, totals, per-criterion scores and justifications (public once the award is decided)"""
        return views.ranking_view(make_call(), tender_id)


@blp.route("/tenders/<int:tender_id>/awards/<int:award_id>/decline")
class Decline(MethodView):
    @require_roles("cso")
    @blp.arguments(ReasonSchema)
    @blp.response(200, TenderSchema)
    def post(self, data, tender_id, award_id):
        """The winner declines: the award goes to the next-ranked bid that fits"""
        return tender_view(
            awards.cancel_award(make_call(), tender_id, award_id, data["reason"], declined=True, terms=_terms())
        )


@blp.route("/tenders/<int:tender_id>/awards/<int:award_id>/disqualify")
class Disqualify(MethodView):
    @require_roles("authority")
    @blp.arguments(ReasonSchema)
    @blp.response(200, TenderSchema)
    def post(self, data, tender_id, award_id):
        """Disqualify a winner with a reason: the award goes to the next-ranked bid that fits"""
        return tender_view(
            awards.cancel_award(make_call(), tender_id, award_id, data["reason"], declined=False, terms=_terms())
        )


def _terms():
    """How long a contract month is: dates the replacement award's contract for its accreditation check."""
    return service_context().own_settings.terms
