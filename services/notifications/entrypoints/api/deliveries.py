"""Delivery records, for operators watching what went out, what failed and what is dead, and retrying it."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.pagination import answer_page
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
        first, size = pagination_parameters.first_item, pagination_parameters.page_size
        page = operations.list_deliveries(service_context().uow(), filters, first, size)
        return answer_page(page, pagination_parameters)


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
        return operations.retry_delivery(service_context().call(), delivery_id)
