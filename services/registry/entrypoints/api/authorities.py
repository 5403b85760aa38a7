"""The districts' social assistance departments (public; each edits its own details, operators all)."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.registry.entrypoints.api.schemas import AuthorityQuerySchema, AuthoritySchema, AuthorityUpdateSchema
from services.registry.service_layer import queries, reference

blp = Blueprint("authorities", __name__, description="District social assistance departments (public)")


@blp.route("/authorities")
class Authorities(MethodView):
    @blp.arguments(AuthorityQuerySchema, location="query")
    @blp.response(200, AuthoritySchema(many=True))
    def get(self, filters):
        """The 35 departments, one per district"""
        with service_context().session_factory() as session:
            return queries.list_authorities(session, filters.get("district_code"))


@blp.route("/authorities/<district_code>")
class AuthorityByDistrict(MethodView):
    @blp.response(200, AuthoritySchema)
    def get(self, district_code):
        """One district's department"""
        with service_context().session_factory() as session:
            return queries.get_authority(session, district_code)

    @require_roles("operator", "authority")
    @blp.arguments(AuthorityUpdateSchema)
    @blp.response(200, AuthoritySchema)
    def patch(self, command, district_code):
        """Update a department's name, address or contacts (its own authority, or operators)"""
        return reference.update_authority(service_context().call(), district_code, command)
