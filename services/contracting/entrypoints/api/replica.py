"""What contracting knows of a provider (its eligibility replica), for operators and the flows."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.contracting.service_layer.eligibility import replicated_provider

blp = Blueprint("replica", __name__, description="The eligibility replica fed by registry events")


class ReplicaAccreditationSchema(Schema):
    accreditation_id = fields.Integer()
    service_type = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date()
    status = fields.String()
    version = fields.Integer()


class ReplicaProviderSchema(Schema):
    provider_id = fields.Integer()
    known = fields.Boolean()
    legal_name = fields.String(allow_none=True)
    districts_served = fields.List(fields.String())
    status = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    accreditations = fields.List(fields.Nested(ReplicaAccreditationSchema))


@blp.route("/replica/providers/<int:provider_id>")
class ReplicaProvider(MethodView):
    @require_roles("operator", "service")
    @blp.response(200, ReplicaProviderSchema)
    def get(self, provider_id):
        """A provider and its accreditations as contracting's replica has them now"""
        with service_context().session_factory() as session:
            return replicated_provider(session, provider_id)
