"""What anyone may read without signing in: the search of calls, a call, a provider, the open data."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request, url_for

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain.search import SORTS, STATUSES, CallSearch, pages
from services.portal.entrypoints.web.requests import api, public_api

blp = Blueprint("public", __name__)


def _search_from(args) -> CallSearch:
    try:
        page = int(args.get("page", 1))
    except ValueError:
        page = 1
    fields = {name: args.get(name, "").strip() for name in CallSearch.__dataclass_fields__ if name != "page"}
    fields["sort"] = fields["sort"] or "newest"
    return CallSearch(**fields, page=page)


@blp.get("/")
def search():
    wanted = _search_from(request.args)
    problems: dict[str, list[str]] = {}
    try:
        calls, total = public_api().get_page("contracting", "/public/calls", **wanted.api_query())
    except ApiRefusal as refusal:
        calls, total, problems = [], 0, refusal.field_errors
    template = "public/_results.html" if request.headers.get("HX-Request") else "public/search.html"
    return render_template(
        template,
        search=wanted,
        calls=calls,
        total=total or 0,
        pages=pages(total),
        sorts=SORTS,
        statuses=STATUSES,
        problems=problems,
        page_link=lambda page: url_for("public.search", **wanted.link_args(page)),
    )


@blp.get("/calls/<int:tender_id>")
def call(tender_id: int):
    record = public_api().get("contracting", f"/public/calls/{tender_id}")
    return render_template("public/call.html", record=record)


@blp.get("/providers/<int:provider_id>")
def provider(provider_id: int):
    return render_template("public/provider.html", provider_id=provider_id)


@blp.get("/open-data")
def open_data():
    return render_template("public/open_data.html")


@blp.get("/calls/<int:tender_id>/ocds.json")
def call_ocds(tender_id: int):
    """The call's compiled OCDS record, served by the portal so the link works wherever the portal does."""
    record = public_api().get("contracting", f"/public/calls/{tender_id}")
    return _json(record)


@blp.get("/documents/<int:document_id>/download")
def download(document_id: int):
    """A document's bytes through the portal, with the person's token (a sealed bid's file is its author's)."""
    try:
        upstream = api().request("GET", "contracting", f"/documents/{document_id}/download")
    except ApiRefusal:
        abort(404)
    headers = {
        name: upstream.headers[name]
        for name in ("Content-Type", "Content-Disposition", "X-Document-SHA256", "Content-Length")
        if name in upstream.headers
    }
    headers["X-Content-Type-Options"] = "nosniff"
    return Response(upstream.content, headers=headers)


def _json(body) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")
