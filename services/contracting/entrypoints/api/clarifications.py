"""Clarification questions and answers, public without the asker's identity."""

from __future__ import annotations

from flask.views import MethodView

from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.common import make_call
from services.contracting.entrypoints.api.schemas import AnswerCreateSchema, QuestionCreateSchema, QuestionSchema
from services.contracting.service_layer import clarifications

blp = Blueprint("clarifications", __name__, description="Questions about a call and the authority's answers")


@blp.route("/tenders/<int:tender_id>/questions")
class Questions(MethodView):
    @blp.response(200, QuestionSchema(many=True))
    def get(self, tender_id):
        """Every question and answer of a published call (public, without who asked)"""
        return clarifications.questions(make_call(), tender_id)

    @require_roles("cso")
    @blp.arguments(QuestionCreateSchema)
    @blp.response(201, QuestionSchema)
    def post(self, data, tender_id):
        """Ask a question (any CSO, until the enquiry end)"""
        return clarifications.ask(make_call(), tender_id, data["question"])


@blp.route("/tenders/<int:tender_id>/questions/<int:question_id>/answer")
class Answer(MethodView):
    @require_roles("authority")
    @blp.arguments(AnswerCreateSchema)
    @blp.response(200, QuestionSchema)
    def post(self, data, tender_id, question_id):
        """Answer a question (the call's authority)"""
        return clarifications.answer(make_call(), tender_id, question_id, data["answer"])
