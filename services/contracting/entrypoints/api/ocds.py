"""OCDS 1.1 for everyone: release packages (paginated by links.next) and the record of one process."""

from __future__ import annotations

from flask import request, url_for
from flask.views import MethodView

from services.common.app import service_context
from services.common.blueprint import Blueprint
from services.contracting.entrypoints.api.schemas_public import RecordQuerySchema, ReleasesQuerySchema
from services.contracting.service_layer import feed as published

blp = Blueprint("ocds", __name__, description="OCDS 1.1 release and record packages (public, no token)")


def _header() -> dict:
    context = service_context()
    return published.package_header(context.own_settings.publication, request.url, context.clock())


@blp.route("/ocds/releases")
class Releases(MethodView):
    @blp.arguments(ReleasesQuerySchema, location="query")
    @blp.response(200)
    def get(self, query):
        """A release package: one release per public change, oldest first; follow links.next for more"""
        filters = {name: query.get(name) for name in ("ocid", "date_from", "date_to")}
        page = published.releases_after(service_context().session_factory, query["cursor"], query["limit"], **filters)
        package = {**_header(), "releases": page.items}
        if page.has_more:
            arguments = {**request.args.to_dict(), "cursor": page.next_cursor}
            package["links"] = {"next": url_for("ocds.Releases", _external=True, **arguments)}
        # The position to ask from next time, also on the last page (which has no links.next): a reader that
        # follows the feed (the portal's observatory) resumes there instead of reading every release again.
        return package, {"X-Feed-Cursor": str(page.next_cursor)}


@blp.route("/ocds/records")
class Records(MethodView):
    @blp.arguments(RecordQuerySchema, location="query")
    @blp.response(200)
    @blp.alt_response(404, response="NOT_FOUND", description="no process with this ocid has been published")
    def get(self, query):
        """A record package for one ocid: every release and the compiled release (ocdsmerge)"""
        record = published.record_of(service_context().session_factory, query["ocid"])
        releases_url = url_for("ocds.Releases", ocid=query["ocid"], _external=True)
        return {**_header(), "packages": [releases_url], "records": [record]}
