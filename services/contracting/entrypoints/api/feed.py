"""The public change feed: every public change in commit order, after a stable cursor (no token)."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from services.common.app import service_context
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.schemas_public import CursorQuerySchema, FeedSchema
from services.contracting.service_layer import feed as published

blp = Blueprint("feed", __name__, description="Every public change, in commit order (public, no token)")


@blp.route("/feed")
class Feed(MethodView):
    @blp.arguments(CursorQuerySchema, location="query")
    @blp.response(200, FeedSchema)
    def get(self, query):
        """Public changes after the cursor, each with its OCDS release; pass next_cursor back to go on"""
        page = published.changes_after(service_context().session_factory, query["cursor"], query["limit"])
        following = url_for("feed.Feed", cursor=page.next_cursor, limit=query["limit"], _external=True)
        return {
            "changes": page.items,
            "cursor": query["cursor"],
            "next_cursor": page.next_cursor,
            "has_more": page.has_more,
            "next": following,
        }
