"""Providers (CSOs) and their accreditations: the public register."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from services.common.auth import require_roles
from services.common.bootstrap import service_context
from services.registry.adapters.orm import Provider
from services.registry.entrypoints.api.schemas import (
    AccreditationSchema,
    ProviderCreateSchema,
    ProviderQuerySchema,
    ProviderSchema,
)
from services.registry.service_layer import handlers

blp = Blueprint("providers", __name__, description="Accredited social service providers (public register)")


@blp.route("/providers")
class Providers(MethodView):
    @blp.arguments(ProviderQuerySchema, location="query")
    @blp.response(200, ProviderSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List providers with their accreditations"""
        query = select(Provider)
        if "idno" in filters:
            query = query.where(Provider.idno == filters["idno"])
        with service_context().session_factory() as session:
            pagination_parameters.item_count = session.scalar(select(func.count()).select_from(query.subquery()))
            query = (
                query.options(selectinload(Provider.accreditations))
                .order_by(Provider.id)
                .offset(pagination_parameters.first_item)
                .limit(pagination_parameters.page_size)
            )
            return session.scalars(query).all()

    @require_roles("operator")
    @blp.arguments(ProviderCreateSchema)
    @blp.response(201, ProviderSchema)
    def post(self, data):
        """Register a provider (operators)"""
        return handlers.register_provider(service_context().uow(), data)


@blp.route("/providers/<int:provider_id>")
class ProviderById(MethodView):
    @blp.response(200, ProviderSchema)
    def get(self, provider_id):
        """One provider with its accreditations"""
        with service_context().session_factory() as session:
            query = select(Provider).options(selectinload(Provider.accreditations)).where(Provider.id == provider_id)
            provider = session.scalar(query)
            if provider is None:
                abort(404, message=f"provider {provider_id} does not exist")
            return provider


@blp.route("/providers/<int:provider_id>/accreditations")
class Accreditations(MethodView):
    @require_roles("operator")
    @blp.arguments(AccreditationSchema)
    @blp.response(201, AccreditationSchema)
    def post(self, data, provider_id):
        """Grant an accreditation for one service type (operators)"""
        return handlers.grant_accreditation(service_context().uow(), provider_id, data)
