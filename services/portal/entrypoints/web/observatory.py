"""The public observatory (issue 20): coverage, spending, competition, CSO sustainability and red flags, computed
from what the platform publishes in OCDS (and the registry's reference costs); no sign-in.

Each view's tables are built once per request (observatory_views) and drawn as the page's HTML tables, as CSV
(``?format=csv``) and as JSON (``?format=json``, which also carries the indicators' raw section), so the three
say the same. The data comes from the process's ``ObservatoryFeed`` (adapters/observatory_feed.py).
"""

from __future__ import annotations

import csv
import io
import json
import threading

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from services.common.reference_data import DISTRICTS, SERVICE_TYPES
from services.portal.adapters.api_client import ApiClient
from services.portal.adapters.observatory_feed import ObservatoryFeed, ObservatoryUnavailable, Snapshot
from services.portal.domain.observatory import charts, report
from services.portal.entrypoints.web.observatory_cache import RenderedPage, RenderedPages
from services.portal.entrypoints.web.observatory_views import VIEWS, Chart, Links, View, build_view, raw_section
from services.portal.entrypoints.web.requests import choose_language, person, settings

blp = Blueprint("observatory", __name__, url_prefix="/observatory")
FEED = "observatory_feed"
PAGES = "observatory_rendered_pages"
_feed_lock = threading.Lock()
FORMATS = ("html", "csv", "json")


def view_titles() -> dict[str, str]:
    """Each view's name in the person's language (the English above are the msgids)."""
    return {
        "overview": _("Observatory"),
        "coverage": _("Coverage map"),
        "spending": _("Spending"),
        "competition": _("Competition"),
        "providers": _("CSO sustainability"),
        "red-flags": _("Red flags"),
    }


def feed() -> ObservatoryFeed:
    """The process's one feed (created on first use, so tests may put their own in ``app.extensions``)."""
    with _feed_lock:
        if FEED not in current_app.extensions:
            config = settings()
            urls = {"registry": config.registry_url, "contracting": config.contracting_url}
            client = ApiClient({**urls, "notifications": config.notifications_url}, None, config.api_timeout_seconds)
            current_app.extensions[FEED] = ObservatoryFeed(lambda: client, config.observatory_refresh_seconds)
        return current_app.extensions[FEED]


def filters_from(args) -> report.Filters:
    """The filter form's choices; anything else (a mistyped year, an unknown code) is left out, not refused."""
    year = args.get("year", "").strip()
    district = args.get("district", "").strip()
    service = args.get("service", "").strip()
    return report.Filters(
        year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
        district_code=district if district in {d.code for d in DISTRICTS} else None,
        service_type=service if service in {s.code for s in SERVICE_TYPES} else None,
    )


def _filter_args(filters: report.Filters) -> dict:
    found = {"year": filters.year, "district": filters.district_code, "service": filters.service_type}
    return {name: value for name, value in found.items() if value}


def _endpoint(view: str) -> tuple[str, dict]:
    return ("observatory.overview", {}) if view == "overview" else ("observatory.view", {"view": view})


def view_url(view: str, filters: report.Filters, **values) -> str:
    endpoint, path = _endpoint(view)
    return url_for(endpoint, **path, **{**_filter_args(filters), **values})


def _links(snapshot: Snapshot, filters: report.Filters) -> Links:
    def call(ocid: str) -> str | None:
        tender_id = snapshot.tender_ids.get(ocid)
        return url_for("public.call", tender_id=int(tender_id)) if tender_id and tender_id.isdigit() else None

    def filtered(view: str, **values) -> str:
        return view_url(view, filters, **{name: value for name, value in values.items() if value})

    return Links(choose_language(), call, filtered)


@blp.get("")
def overview():
    return _show("overview")


@blp.get("/<any(coverage, spending, competition, providers, 'red-flags'):view>")
def view(view: str):
    return _show(view)


def _show(name: str):
    wanted = request.args.get("format", "html")
    if wanted not in FORMATS:
        abort(404)
    filters = filters_from(request.args)
    try:
        snapshot, found = feed().indicators(filters)
    except ObservatoryUnavailable:
        page = render_template("observatory/unavailable.html", titles=view_titles())
        return page, 503, {"Retry-After": "30"}
    if person() is not None:
        return _render(name, wanted, filters, snapshot, found)
    key = (snapshot.version, snapshot.read_at, snapshot.stale, request.full_path, choose_language())
    kept = rendered_pages().get(key)
    if kept is None:
        response = current_app.make_response(_render(name, wanted, filters, snapshot, found))
        kept = RenderedPage(response.get_data(), response.status_code, tuple(response.headers.items()))
        rendered_pages().put(key, kept)
    return Response(kept.body, kept.status, list(kept.headers))


def rendered_pages() -> RenderedPages:
    with _feed_lock:
        return current_app.extensions.setdefault(PAGES, RenderedPages())


def _render(name: str, wanted: str, filters: report.Filters, snapshot: Snapshot, found: report.Indicators):
    built = build_view(name, found, _links(snapshot, filters), {call.ocid: call for call in snapshot.calls})
    if wanted == "csv":
        return _csv(name, built, filters)
    if wanted == "json":
        return _json(name, built, filters, snapshot, found)
    return render_template(
        f"observatory/{name.replace('-', '_')}.html",
        view=built,
        found=found,
        snapshot=snapshot,
        filters=filters,
        charts={chart.table: (chart, _draw(chart)) for chart in built.charts},
        # A summary already captioning its chart is not said twice.
        lead=[summary for summary in built.summaries if summary not in {chart.summary for chart in built.charts}],
        **_page_context(name, filters, snapshot),
    )


def _page_context(name: str, filters: report.Filters, snapshot: Snapshot) -> dict:
    language = choose_language()
    years = sorted({call.year for call in snapshot.calls if call.year}, reverse=True)
    return {
        "name": name,
        "titles": view_titles(),
        "views": VIEWS,
        "view_url": lambda view, **values: view_url(view, filters, **values),
        "download": {kind: view_url(name, filters, format=kind) for kind in ("csv", "json")},
        "years": years,
        "district_options": sorted(((d.code, getattr(d, language)) for d in DISTRICTS), key=lambda d: d[1]),
        "service_options": [(s.code, getattr(s, language)) for s in SERVICE_TYPES],
        "sources": sources(),
        "recompute": recompute_command(filters, snapshot),
    }


def sources() -> dict[str, str]:
    """Where the data comes from: contracting's public OCDS API and the registry's reference costs."""
    config = settings()
    return {
        "releases": f"{config.contracting_url}/api/v1/ocds/releases",
        "records": f"{config.contracting_url}/api/v1/ocds/records?ocid=…",
        "reference_costs": f"{config.registry_url}/api/v1/reference-costs",
    }


def recompute_command(filters: report.Filters, snapshot: Snapshot) -> str:
    """The ``sscp indicators`` command that computes the same figures from the same published data."""
    parts = ["sscp indicators", f"--contracting-url {settings().contracting_url}"]
    parts.append(f"--as-of {snapshot.as_of.isoformat().replace('+00:00', 'Z')}")
    if filters.year:
        parts.append(f"--year {filters.year}")
    if filters.district_code:
        parts.append(f"--district {filters.district_code}")
    if filters.service_type:
        parts.append(f"--service {filters.service_type}")
    if snapshot.reference_rows:
        parts.append(f"--registry-url {settings().registry_url}")  # the reference costs, as the page read them
    return " ".join(parts)


def _draw(chart: Chart) -> Markup:
    """The chart's SVG (escaped by the charts module, so safe to place as it is)."""
    return Markup(getattr(charts, chart.kind)(**chart.arguments))


def _filename(name: str, filters: report.Filters, extension: str) -> str:
    parts = ["observatory", name, *(str(value) for value in _filter_args(filters).values()), choose_language()]
    return "-".join(parts) + f".{extension}"


def _csv(name: str, built: View, filters: report.Filters) -> Response:
    """Every table of the view, one after the other: its title, its headers, its rows, a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for table in built.tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.plain_rows())
        writer.writerow([])
    # A byte-order mark: Excel then reads the file as UTF-8 (ș, ț and Cyrillic intact).
    body = "\ufeff" + out.getvalue()
    disposition = f'attachment; filename="{_filename(name, filters, "csv")}"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})


def _json(name: str, built: View, filters: report.Filters, snapshot: Snapshot, found: report.Indicators) -> Response:
    body = {
        "view": name,
        "language": choose_language(),
        "filters": report.plain(filters),
        "as_of": report.plain(found.as_of),
        "read_at": report.plain(snapshot.read_at),
        "stale": snapshot.stale,
        "feed_cursor": snapshot.cursor,
        "sources": sources(),
        "summaries": built.summaries,
        "tables": [table.plain() for table in built.tables],
        "indicators": report.plain(raw_section(name, found)),
    }
    disposition = f'inline; filename="{_filename(name, filters, "json")}"'
    return Response(
        json.dumps(body, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": disposition},
    )
