"""What anyone may read without signing in: the search of calls, a call, a provider, the open data."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from services.portal.adapters.api_client import ApiClient, ApiRefusal, ServiceDown
from services.portal.domain.call_view import DECIDED, CallView, call_view, suppliers_to_look_up
from services.portal.domain.provider_view import contracts_held, provider_view
from services.portal.domain.search import SORTS, STATUSES, CallSearch, pages
from services.portal.entrypoints.web.public_labels import template_helpers
from services.portal.entrypoints.web.reference_cost_views import published_reference, reference_context
from services.portal.entrypoints.web.requests import api, choose_language, person, public_api

blp = Blueprint("public", __name__)
# Extra lookups a public page makes for links and titles (each is one API call)
MAX_LOOKUPS = 30


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
    """A published call: its terms, questions, amendments, documents and, once decided, ranking and contracts."""
    client = public_api()
    record = client.get("contracting", f"/public/calls/{tender_id}")  # 404 (not published): the not-found page
    tender = _optional(client, "contracting", f"/tenders/{tender_id}")
    ranking = None
    if _decided(record, tender):
        ranking = _optional(client, "contracting", f"/public/calls/{tender_id}/ranking")
    amendments = None
    if (record.get("compiled_release") or {}).get("tender", {}).get("amendments"):
        amendments = _optional(client, "contracting", f"/tenders/{tender_id}/amendments")
    view = call_view(
        record,
        choose_language(),
        tender=tender,
        ranking=ranking,
        documents=_optional(client, "contracting", f"/tenders/{tender_id}/documents"),
        amendments=amendments,
        provider_ids=_provider_ids(client, suppliers_to_look_up(record, ranking)),
    )
    reference = reference_context(published_reference(record), view.lots)
    return render_template(
        "public/call.html", call=view, actions=_call_actions(view), **reference, **template_helpers()
    )


@blp.get("/providers/<int:provider_id>")
def provider(provider_id: int):
    """A provider's public page: where it works, its accreditations and the contracts it holds."""
    client = public_api()
    found = _public_provider(client, provider_id)
    held = contracts_held(_optional(client, "contracting", "/public/contracts") or [], found.get("idno"))
    titles = _call_titles(client, sorted({int(row["tender_id"]) for row in held}))
    view = provider_view(found, held, titles)
    return render_template("public/provider.html", provider=view, **template_helpers())


def optional_url(endpoint: str, **values) -> str | None:
    """A link to another audience's page, or None while that page does not exist yet (the page still renders)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _optional(client: ApiClient, service: str, path: str, **query):
    """A view the page can do without: None when the API refuses it (e.g. a ranking before the decision)."""
    try:
        return client.get(service, path, **query)
    except ApiRefusal:
        return None


def _decided(record: dict, tender: dict | None) -> bool:
    if tender is not None:
        return bool(tender.get("decided_at")) or tender.get("status") in DECIDED
    return bool((record.get("compiled_release") or {}).get("awards"))


def _provider_ids(client: ApiClient, idnos: list[str]) -> dict[str, int]:
    """Registry ids of suppliers the ranking does not name, looked up by IDNO (a link, so never worth an error)."""
    found = {}
    for idno in idnos[:MAX_LOOKUPS]:
        for path in ("/public/providers", "/providers"):
            try:
                rows, _total = client.get_page("registry", path, idno=idno)
            except (ApiRefusal, ServiceDown):
                continue
            match = next((row for row in rows if row.get("idno") == idno), None)
            if match:
                found[idno] = int(match["id"])
            break
    return found


def _public_provider(client: ApiClient, provider_id: int) -> dict:
    """The registry's public view of a provider; its older anonymous read while the public one is not deployed."""
    try:
        return client.get("registry", f"/public/providers/{provider_id}")
    except ApiRefusal as refusal:
        if refusal.status not in (404, 405):
            raise
    return client.get("registry", f"/providers/{provider_id}")  # a 404 here is the not-found page


def _call_titles(client: ApiClient, tender_ids: list[int]) -> dict[int, str]:
    """Each call's title in the person's language (contracts carry only the call's id)."""
    language = choose_language()
    titles = {}
    for tender_id in tender_ids[:MAX_LOOKUPS]:
        tender = _optional(client, "contracting", f"/tenders/{tender_id}")
        if tender:
            titles[tender_id] = tender.get(f"title_{language}") or tender.get("title")
    return titles


def _call_actions(view: CallView) -> list[tuple[str, str]]:
    """What the person may do on this call now: (what the link says, where it goes); the first is the main one."""
    who = person()
    here = url_for("public.call", tender_id=view.tender_id)
    if who is None:
        return [(_("Sign in to bid"), url_for("auth.sign_in", next=here))] if view.takes_bids else []
    if who.role != "cso":
        return []
    wanted = []
    if view.takes_bids:
        wanted.append((_("Submit a bid"), optional_url("bids.new", tender_id=view.tender_id)))
    if view.takes_questions:
        wanted.append((_("Ask a question"), optional_url("cso.ask_question", tender_id=view.tender_id)))
    # Only a bidder may complain: once the ranking is public, a CSO not in it has nothing to complain about
    if view.takes_complaints and (not view.ranking or view.ranked(who.provider_id)):
        wanted.append((_("Lodge a complaint"), optional_url("cso.complain", tender_id=view.tender_id)))
    return [(text, link) for text, link in wanted if link]


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
