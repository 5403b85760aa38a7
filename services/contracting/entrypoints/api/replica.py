"""What contracting knows of a provider (its eligibility replica), for operators and the flows."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from services.common.auth import require_roles
from services.common.bootstrap import service_context
from services.contracting.adapters.orm_replicas import AccreditationReplica, ProviderReplica

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
            provider = session.get(ProviderReplica, provider_id)
            accreditations = session.scalars(
                select(AccreditationReplica).where(AccreditationReplica.provider_id == provider_id)
            ).all()
            return {
                "provider_id": provider_id,
                "known": provider is not None,
                "legal_name": provider.legal_name if provider else None,
                "districts_served": provider.districts_served if provider else [],
                "status": provider.status if provider else None,
                "version": provider.version if provider else None,
                "accreditations": accreditations,
            }
