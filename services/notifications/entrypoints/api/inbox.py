"""The caller's in-app inbox: messages, unread count, mark read."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.pagination import answer_page
from services.notifications.entrypoints.api.access import INBOX_ROLES, caller_recipient
from services.notifications.entrypoints.api.schemas import (
    InboxMessageSchema,
    InboxQuerySchema,
    MarkedSchema,
    UnreadCountSchema,
)
from services.notifications.service_layer import inbox

blp = Blueprint("inbox", __name__, description="In-app notices of a CSO, a district or the operators")


@blp.route("/inbox")
class Inbox(MethodView):
    @require_roles(*INBOX_ROLES)
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, InboxMessageSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """The caller's notices, newest first; ?unread=true for the unread ones only"""
        first, size = pagination_parameters.first_item, pagination_parameters.page_size
        page = inbox.inbox_page(service_context().uow(), caller_recipient(), query["unread"], first, size)
        return answer_page(page, pagination_parameters)


@blp.route("/inbox/unread-count")
class UnreadCount(MethodView):
    @require_roles(*INBOX_ROLES)
    @blp.response(200, UnreadCountSchema)
    def get(self):
        """How many of the caller's notices are unread"""
        recipient = caller_recipient()
        return {"recipient": recipient, "unread": inbox.unread_count(service_context().uow(), recipient)}


@blp.route("/inbox/<int:message_id>/read")
class MarkRead(MethodView):
    @require_roles(*INBOX_ROLES)
    @blp.response(200, InboxMessageSchema)
    def post(self, message_id):
        """Mark one notice read (again is harmless)"""
        return inbox.mark_read(service_context().call(), caller_recipient(), message_id)


@blp.route("/inbox/read-all")
class MarkAllRead(MethodView):
    @require_roles(*INBOX_ROLES)
    @blp.response(200, MarkedSchema)
    def post(self):
        """Mark every unread notice read"""
        return {"marked": inbox.mark_all_read(service_context().call(), caller_recipient())}
