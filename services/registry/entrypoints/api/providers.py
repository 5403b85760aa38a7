"""Providers (CSOs) and their accreditations: the public register."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.pagination import answer_page
from services.registry.entrypoints.api.schemas import (
    AccreditationSchema,
    ProviderCreateSchema,
    ProviderQuerySchema,
    ProviderSchema,
    ProviderUpdateSchema,
)
from services.registry.service_layer import commands, handlers, providers, queries

blp = Blueprint("providers", __name__, description="Accredited social service providers (public register)")


@blp.route("/providers")
class Providers(MethodView):
    @blp.arguments(ProviderQuerySchema, location="query")
    @blp.response(200, ProviderSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List providers with their accreditations, by district served, service type or status"""
        with service_context().session_factory() as session:
            page = queries.list_providers(
                session, filters, pagination_parameters.first_item, pagination_parameters.page_size
            )
            return answer_page(page, pagination_parameters)

    @require_roles("operator")
    @blp.arguments(ProviderCreateSchema)
    @blp.response(201, ProviderSchema)
    def post(self, data):
        """Register a provider (operators)"""
        return handlers.register_provider(service_context().call(), commands.RegisterProvider(**data))


@blp.route("/providers/<int:provider_id>")
class ProviderById(MethodView):
    @blp.response(200, ProviderSchema)
    def get(self, provider_id):
        """One provider with its accreditations"""
        with service_context().session_factory() as session:
            return queries.get_provider(session, provider_id)

    @require_roles("operator", "cso")
    @blp.arguments(ProviderUpdateSchema)
    @blp.response(200, ProviderSchema)
    def patch(self, command, provider_id):
        """Edit a provider's profile and districts served (its own CSO; operators also set its status)"""
        return providers.update_provider(service_context().call(), provider_id, command)


@blp.route("/providers/<int:provider_id>/accreditations")
class ProviderAccreditations(MethodView):
    @require_roles("operator")
    @blp.arguments(AccreditationSchema)
    @blp.response(201, AccreditationSchema)
    def post(self, data, provider_id):
        """Grant an accreditation for one service type (operators)"""
        command = commands.GrantAccreditation(**data)
        return handlers.grant_accreditation(service_context().call(), provider_id, command)
