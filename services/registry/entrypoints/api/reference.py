"""Public reference data: districts and service types (operators add service types)."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.registry.entrypoints.api.schemas import LabelSchema, ServiceTypeCreateSchema
from services.registry.service_layer import queries, reference

blp = Blueprint("reference", __name__, description="Districts and the social service nomenclature (public)")


@blp.route("/districts")
class Districts(MethodView):
    @blp.response(200, LabelSchema(many=True))
    def get(self):
        """The 35 districts with a social assistance department"""
        with service_context().session_factory() as session:
            return queries.districts(session)


@blp.route("/service-types")
class ServiceTypes(MethodView):
    @blp.response(200, LabelSchema(many=True))
    def get(self):
        """Social service types that can be contracted"""
        with service_context().session_factory() as session:
            return queries.service_types(session)

    @require_roles("operator")
    @blp.arguments(ServiceTypeCreateSchema)
    @blp.response(201, LabelSchema)
    def post(self, command):
        """Add a service type to the nomenclature (operators)"""
        return reference.add_service_type(service_context().call(), command)
