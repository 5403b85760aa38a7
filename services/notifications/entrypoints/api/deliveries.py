"""Delivery records, for operators watching what went out and what failed."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import func, select

from services.common.auth import require_roles
from services.common.bootstrap import service_context
from services.notifications.adapters.orm import Delivery

blp = Blueprint("deliveries", __name__, description="Deliveries per event, recipient and channel")


class DeliveryQuerySchema(Schema):
    event_type = fields.String()
    status = fields.String()
    correlation_id = fields.String()


class DeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.String()
    event_type = fields.String()
    correlation_id = fields.String(allow_none=True)
    recipient = fields.String()
    channel = fields.String()
    address = fields.String(allow_none=True)
    language = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @require_roles("operator", "service")
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliverySchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Deliveries, newest first, filtered by event type, status or ocid"""
        query = select(Delivery)
        for name, value in filters.items():
            query = query.where(getattr(Delivery, name) == value)
        with service_context().session_factory() as session:
            pagination_parameters.item_count = session.scalar(select(func.count()).select_from(query.subquery()))
            page = query.order_by(Delivery.id.desc()).offset(pagination_parameters.first_item)
            return session.scalars(page.limit(pagination_parameters.page_size)).all()
