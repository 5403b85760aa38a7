"""Webhooks a CSO registers: CRUD, secret rotation and a test ping; operators may read and remove any."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.errors import Forbidden
from services.notifications.entrypoints.api.access import webhook_owner
from services.notifications.entrypoints.api.schemas import (
    PingResultSchema,
    WebhookCreateSchema,
    WebhookSchema,
    WebhookUpdateSchema,
    WebhookWithSecretSchema,
)
from services.notifications.service_layer import webhooks
from services.notifications.service_layer.commands import CreateWebhook, UpdateWebhook

blp = Blueprint("webhooks", __name__, description="Signed HTTP callbacks to a CSO's own systems")


@blp.route("/webhooks")
class Webhooks(MethodView):
    @require_roles("cso", "operator")
    @blp.response(200, WebhookSchema(many=True))
    def get(self):
        """The CSO's webhooks (an operator: everyone's); secrets are never shown again"""
        return webhooks.list_webhooks(service_context().uow(), webhook_owner())

    @require_roles("cso")
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookWithSecretSchema)
    def post(self, data):
        """Register a webhook; the answer carries its signing secret, shown this once"""
        context = service_context()
        call = context.call()
        if call.principal.provider_id is None:
            raise Forbidden("this token names no provider")
        provider_id = int(call.principal.provider_id)
        return webhooks.create_webhook(call, provider_id, CreateWebhook(**data), context.webhook_url_check())


@blp.route("/webhooks/<int:webhook_id>")
class WebhookById(MethodView):
    @require_roles("cso", "operator")
    @blp.response(200, WebhookSchema)
    def get(self, webhook_id):
        """One webhook"""
        return webhooks.get_webhook(service_context().uow(), webhook_id, webhook_owner())

    @require_roles("cso")
    @blp.arguments(WebhookUpdateSchema)
    @blp.response(200, WebhookSchema)
    def patch(self, changes, webhook_id):
        """Change the URL, the event types, the description, or switch it off and on"""
        context = service_context()
        command, check_url = UpdateWebhook(**changes), context.webhook_url_check()
        return webhooks.update_webhook(context.call(), webhook_id, webhook_owner(), command, check_url)

    @require_roles("cso", "operator")
    @blp.response(204)
    def delete(self, webhook_id):
        """Remove a webhook; deliveries still waiting for it fail as dead"""
        webhooks.delete_webhook(service_context().call(), webhook_id, webhook_owner())


@blp.route("/webhooks/<int:webhook_id>/rotate-secret")
class RotateSecret(MethodView):
    @require_roles("cso")
    @blp.response(200, WebhookWithSecretSchema)
    def post(self, webhook_id):
        """Replace the signing secret; the answer carries the new one, shown this once"""
        return webhooks.rotate_secret(service_context().call(), webhook_id, webhook_owner())


@blp.route("/webhooks/<int:webhook_id>/ping")
class Ping(MethodView):
    @require_roles("cso", "operator")
    @blp.response(200, PingResultSchema)
    def post(self, webhook_id):
        """POST a signed notification.ping now and say what the receiver answered"""
        context = service_context()
        return webhooks.ping(context.call(), webhook_id, webhook_owner(), context.webhook_poster())
