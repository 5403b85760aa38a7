"""Delivery records, for operators watching what went out, what failed and what is dead, and retrying it."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select

from services.common.auth import require_roles
from services.common.bootstrap import service_context
from services.notifications.adapters.orm import Delivery
from services.notifications.entrypoints.api.schemas import DeliveryQuerySchema, DeliverySchema
from services.notifications.service_layer import operations

blp = Blueprint("deliveries", __name__, description="Deliveries per event, recipient and channel")


@blp.route("/deliveries")
class Deliveries(MethodView):
    @require_roles("operator", "service")
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliverySchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Deliveries, newest first, filtered by event type, status (e.g. dead), channel, recipient or ocid"""
        query = select(Delivery)
        for name, value in filters.items():
            query = query.where(getattr(Delivery, name) == value)
        with service_context().session_factory() as session:
            pagination_parameters.item_count = session.scalar(select(func.count()).select_from(query.subquery()))
            page = query.order_by(Delivery.id.desc()).offset(pagination_parameters.first_item)
            return session.scalars(page.limit(pagination_parameters.page_size)).all()


@blp.route("/deliveries/<int:delivery_id>")
class DeliveryById(MethodView):
    @require_roles("operator", "service")
    @blp.response(200, DeliverySchema)
    def get(self, delivery_id):
        """One delivery with its attempts, last error and rendered content"""
        return operations.get_delivery(service_context().uow(), delivery_id)


@blp.route("/deliveries/<int:delivery_id>/retry")
class RetryDelivery(MethodView):
    @require_roles("operator")
    @blp.response(200, DeliverySchema)
    def post(self, delivery_id):
        """Send a failed or dead delivery again at the next dispatch, with a fresh set of attempts"""
        context = service_context()
        return operations.retry_delivery(context.uow(), delivery_id, context.clock())
