"""The observatory's views as tables in the person's language: built once per request from the indicators, then
drawn as the page's HTML tables, the CSV and the JSON alike (so the three always agree), with each chart's data
and the sentence that sums it up.

A cell is the text as the page shows it; where the page links (a call, a district's filtered view) the cell
also carries the links, and the text is their texts joined by ", " — which is what CSV and JSON carry.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_date, format_datetime, get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _

from services.common.quality_standards import standard_name
from services.common.reference_data import DISTRICTS, SERVICE_TYPES, district_name, service_name
from services.portal.domain.money import NBSP, format_mdl
from services.portal.domain.observatory.coverage import CoverageCell
from services.portal.domain.observatory.ocds_read import district_of
from services.portal.domain.observatory.report import Indicators
from services.portal.domain.observatory.stats import share
from services.portal.entrypoints.web.observatory_reasons import flag_reason

NONE = "—"
VIEWS = ("overview", "coverage", "spending", "competition", "providers", "red-flags")
MAP_STATUSES = ("active", "at_risk_90", "at_risk_60", "at_risk_30", "none")
STATUS_LABELS = {
    "active": _("Contract in force"),
    "at_risk_90": _("At risk within 90 days"),
    "at_risk_60": _("At risk within 60 days"),
    "at_risk_30": _("At risk within 30 days"),
    "none": _("No contract"),
}
RISK_LABELS = {
    "critical": _("critical (30 days or less)"),
    "high": _("high (60 days or less)"),
    "medium": _("medium (90 days or less)"),
    "low": _("low"),
    "none": _("covered"),
}
COMPLAINT_OUTCOMES = {"pending": _("pending"), "upheld": _("upheld"), "rejected": _("rejected")}
HHI_HIGH = 2500
TOP_SUPPLIERS_CHARTED = 12


@dataclass(frozen=True)
class Cell:
    text: str
    links: tuple[tuple[str, str | None], ...] = ()  # (text, href); href None: the text alone
    numeric: bool = False


@dataclass(frozen=True)
class ViewTable:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]

    def plain_rows(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]

    def plain(self) -> dict:
        return {"key": self.key, "title": self.title, "headers": list(self.headers), "rows": self.plain_rows()}


@dataclass(frozen=True)
class Chart:
    """A chart to draw (``kind`` names the charts module's function), its data table's key and its summary."""

    kind: str
    arguments: dict
    table: str
    summary: str


@dataclass
class View:
    name: str
    tables: list[ViewTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what the template shows besides tables (flag definitions…)

    def table(self, key: str) -> ViewTable:
        return next(table for table in self.tables if table.key == key)


@dataclass(frozen=True)
class Links:
    """Where the page's links go: a call's public page, and a view filtered to a district (and service)."""

    language: str
    call: Callable[[str], str | None]
    filtered: Callable[..., str]


# --- formatting: the page's way of writing each kind of value ---------------------------------------------------


def get_locale_language() -> str:
    locale = get_locale()
    return locale.language if locale else "ro"


def text(value) -> Cell:
    return Cell(NONE if value in (None, "") else str(value))


def number_text(value: int | Decimal, places: int = 2) -> str:
    """Grouped as the portal writes money (``1 234,5`` in ro/ru, ``1,234.5`` in en), up to ``places`` decimals."""
    english = get_locale_language() == "en"
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{abs(rounded):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    decimals = decimals.rstrip("0")
    sign = "-" if rounded < 0 else ""
    shown = ("," if english else NBSP).join(groups) or "0"
    return sign + shown + (("." if english else ",") + decimals if decimals else "")


def number(value: int | Decimal | None, places: int = 2) -> Cell:
    return Cell(NONE if value is None else number_text(value, places), numeric=True)


def money(value: Decimal | None, language: str) -> Cell:
    return Cell(format_mdl(value, language) if value is not None else NONE, numeric=True)


def percent_text(share: Decimal | None, language: str) -> str:
    if share is None:
        return NONE
    shown = number_text(share * 100, 1)
    return f"{shown}%" if language == "en" else f"{shown}{NBSP}%"


def percent(share: Decimal | None, language: str) -> Cell:
    return Cell(percent_text(share, language), numeric=True)


def ratio(value: Decimal | None) -> Cell:
    return number(value, 2)


def day(moment: datetime | None) -> Cell:
    return Cell(format_date(moment, "d MMM y") if moment else NONE)


def moment_text(moment: datetime) -> str:
    return format_datetime(moment, "d MMMM y, HH:mm")


def calls_cell(ocids: Sequence[str], links: Links) -> Cell:
    found = tuple((ocid, links.call(ocid)) for ocid in ocids)
    return Cell(", ".join(ocid for ocid in ocids) if ocids else NONE, found)


def district_cell(code: str | None, links: Links, view: str, **more) -> Cell:
    name = district_name(code, links.language) if code else NONE
    return Cell(name, ((name, links.filtered(view, district=code, **more)),)) if code else Cell(name)


def service_text(code: str | None, language: str) -> str:
    return service_name(code, language) if code else NONE


def names(language: str) -> dict[str, str]:
    return {d.code: getattr(d, language) for d in DISTRICTS}


# --- coverage -----------------------------------------------------------------------------------------------------


def map_status(cell: CoverageCell) -> str:
    return f"at_risk_{cell.threshold_days}" if cell.status == "at_risk" else cell.status


def mapped_service(found: Indicators) -> str:
    """The service the map shows: the one filtered on, else the one with most districts covered."""
    if found.filters.service_type:
        return found.filters.service_type
    covered = Counter(cell.service_type for cell in found.coverage if cell.status != "none")
    return covered.most_common(1)[0][0] if covered else SERVICE_TYPES[0].code


def coverage_view(found: Indicators, links: Links) -> View:
    language = links.language
    by_service: dict[str, Counter] = defaultdict(Counter)
    for cell in found.coverage:
        by_service[cell.service_type][map_status(cell)] += 1
    summary_rows = [
        (Cell(service_text(service, language)), *(number(counts[key]) for key in MAP_STATUSES))
        for service, counts in by_service.items()
    ]
    service = mapped_service(found)
    cells = [cell for cell in found.coverage if cell.service_type == service]
    district_rows = [
        (
            district_cell(cell.district_code, links, "coverage"),
            Cell(str(STATUS_LABELS[map_status(cell)])),
            number(len(cell.contracts)),
            calls_cell(cell.ocids, links),
        )
        for cell in cells
    ]
    risky = [
        (
            district_cell(cell.district_code, links, "coverage"),
            Cell(service_text(cell.service_type, language)),
            calls_cell([entry.ocid], links),
            text(entry.contract_id),
            day(entry.end),
            number(entry.days_left),
            Cell(str(RISK_LABELS.get(entry.risk, entry.risk))),
        )
        for cell in found.coverage
        if cell.status == "at_risk"
        for entry in cell.contracts
        if entry.risk not in ("none", "low")
    ]
    service_label = service_text(service, language)
    tables = [
        ViewTable(
            "coverage-by-service",
            gettext("Districts by coverage, per service type"),
            (
                gettext("Service type"),
                gettext("Contract in force"),
                gettext("At risk within 90 days"),
                gettext("At risk within 60 days"),
                gettext("At risk within 30 days"),
                gettext("No contract"),
            ),
            summary_rows,
        ),
        ViewTable(
            "coverage-map",
            gettext("Districts: %(service)s", service=service_label),
            (gettext("District"), gettext("Coverage"), gettext("Contracts in force"), gettext("Calls")),
            district_rows,
        ),
        ViewTable(
            "continuity-risk",
            gettext("Contracts ending with no successor (continuity risk)"),
            (
                gettext("District"),
                gettext("Service type"),
                gettext("Call"),
                gettext("Contract"),
                gettext("Ends"),
                gettext("Days left"),
                gettext("Risk"),
            ),
            risky,
        ),
    ]
    counts = Counter(map_status(cell) for cell in cells)
    in_force = len(cells) - counts["none"]
    at_risk = counts["at_risk_90"] + counts["at_risk_60"] + counts["at_risk_30"]
    summary = gettext(
        "%(in_force)d of %(total)d districts have a %(service)s contract in force. At risk of a gap within 90 days: "
        "%(at_risk)d, of which within 30 days: %(critical)d.",
        in_force=in_force,
        total=len(cells),
        service=service_label,
        at_risk=at_risk,
        critical=counts["at_risk_30"],
    )
    chart = Chart(
        "tile_map",
        {
            "cells": {cell.district_code: map_status(cell) for cell in cells},
            "title": gettext("Coverage map: %(service)s", service=service_label),
            "description": summary,
            "names": names(language),
            "status_labels": {key: str(label) for key, label in STATUS_LABELS.items()},
            "links": {cell.district_code: links.filtered("coverage", district=cell.district_code) for cell in cells},
        },
        "coverage-map",
        summary,
    )
    return View("coverage", tables, [chart], [summary], {"service": service})


# --- spending -----------------------------------------------------------------------------------------------------


def spending_view(found: Indicators, links: Links) -> View:
    language = links.language
    rows = [
        (
            district_cell(row.district_code, links, "spending"),
            Cell(service_text(row.service_type, language)),
            text(row.year),
            number(row.contracts),
            money(row.value, language),
            number(row.places),
            money(row.price_per_place, language),
            money(row.annual_price_per_place, language),
            money(row.reference_cost, language),
            ratio(row.ratio_to_reference),
            calls_cell(row.ocids, links),
        )
        for row in found.spending
    ]
    over_time = [
        (text(period.period), number(period.contracts), money(period.value, language), calls_cell(period.ocids, links))
        for period in found.value_over_time
    ]
    tables = [
        ViewTable(
            "spending",
            gettext("Contracted value and places per district, service type and year"),
            (
                gettext("District"),
                gettext("Service type"),
                gettext("Year"),
                gettext("Contracts"),
                gettext("Value"),
                gettext("Places"),
                gettext("Price per place"),
                gettext("Price per place-year"),
                gettext("Reference cost per place-year"),
                gettext("Ratio to the reference"),
                gettext("Calls"),
            ),
            rows,
        ),
        ViewTable(
            "value-over-time",
            gettext("Contracted value by month of signature"),
            (gettext("Month"), gettext("Contracts"), gettext("Value"), gettext("Calls")),
            over_time,
        ),
    ]
    total = sum((row.value for row in found.spending), Decimal(0))
    places = sum(row.places for row in found.spending)
    contracts = sum(row.contracts for row in found.spending)
    above = sum(1 for row in found.spending if row.ratio_to_reference is not None and row.ratio_to_reference > 1)
    compared = sum(1 for row in found.spending if row.ratio_to_reference is not None)
    summary = ngettext(
        "%(num)d contract worth %(value)s for %(places)d places.",
        "%(num)d contracts worth %(value)s for %(places)d places in all.",
        contracts,
        value=format_mdl(total, language),
        places=places,
    )
    if compared:
        summary += " " + gettext(
            "%(above)d of %(compared)d groups compared with the reference cost pay more per place-year than it.",
            above=above,
            compared=compared,
        )
    else:
        summary += " " + gettext("No reference cost applies to these contracts yet, so no price is compared.")
    time_summary = time_sentence(found, language)
    money_format = _money_format(language)
    charts = [
        Chart(
            "column_chart",
            {
                "points": [(period.period, period.value) for period in found.value_over_time],
                "title": gettext("Contracted value by month of signature"),
                "description": time_summary,
                "value_format": money_format,
            },
            "value-over-time",
            time_summary,
        )
    ]
    priced = [row for row in found.spending if row.annual_price_per_place is not None]
    if priced:
        references = {row.reference_cost for row in priced}
        reference = next(iter(references)) if len(references) == 1 else None
        price_summary = price_sentence(priced, reference, language)
        charted, title = priced, gettext("Price per place-year")
        if len(priced) > MAX_BARS:
            # A national table has thousands of rows: the chart shows those furthest from their reference cost
            # (the highest prices where none applies); the table below has them all.
            charted = sorted(priced, key=_distance_from_reference, reverse=True)[:MAX_BARS]
            title = gettext("Price per place-year: the %(num)s furthest from the reference cost", num=MAX_BARS)
        labels = bar_labels(charted, language)
        charts.insert(
            0,
            Chart(
                "bar_chart",
                {
                    "bars": [(label, row.annual_price_per_place) for label, row in zip(labels, charted, strict=True)],
                    "title": title,
                    "description": price_summary,
                    "value_format": money_format,
                    "reference": reference,
                    "reference_label": gettext("Reference cost") if reference is not None else None,
                },
                "spending",
                price_summary,
            ),
        )
    return View("spending", tables, charts, [summary])


MAX_BARS = 20


def _distance_from_reference(row) -> Decimal:
    if row.ratio_to_reference is not None:
        return abs(row.ratio_to_reference - 1)
    return row.annual_price_per_place / 10**9  # below any ratio's distance: priced rows without a reference last


def bar_labels(rows: list, language: str) -> list[str]:
    """Each bar named by what tells it apart (district, service, year): a name that fits beside a short bar."""
    parts = [
        (lambda r: district_name(r.district_code, language) if r.district_code else NONE),
        (lambda r: service_text(r.service_type, language)),
        (lambda r: str(r.year or NONE)),
    ]
    varying = [part for part in parts if len({part(row) for row in rows}) > 1] or parts[:1]
    return [" · ".join(part(row) for part in varying) for row in rows]


def _money_format(language: str) -> Callable[[Decimal | int], str]:
    return lambda value: format_mdl(value, language)


def time_sentence(found: Indicators, language: str) -> str:
    if not found.value_over_time:
        return gettext("No contract has been signed yet.")
    largest = max(found.value_over_time, key=lambda period: period.value)
    return ngettext(
        "Contracts were signed in %(num)d month; the most value, %(value)s, in %(month)s.",
        "Contracts were signed in %(num)d months; the most value, %(value)s, in %(month)s.",
        len(found.value_over_time),
        value=format_mdl(largest.value, language),
        month=largest.period,
    )


def price_sentence(priced: list, reference: Decimal | None, language: str) -> str:
    highest = max(priced, key=lambda row: row.annual_price_per_place)
    sentence = gettext(
        "The highest price per place-year is %(price)s (%(district)s, %(service)s).",
        price=format_mdl(highest.annual_price_per_place, language),
        district=district_name(highest.district_code, language),
        service=service_text(highest.service_type, language),
    )
    if reference is not None:
        sentence += " " + gettext("The reference cost is %(reference)s.", reference=format_mdl(reference, language))
    return sentence


# --- competition --------------------------------------------------------------------------------------------------


def competition_view(found: Indicators, links: Links) -> View:
    language, c = links.language, found.competition
    by_status = c.complaints_by_status
    rows = [
        (Cell(gettext("Calls published")), number(c.calls), Cell(NONE)),
        (Cell(gettext("Calls whose bids were opened")), number(c.calls_with_bids_known), Cell(NONE)),
        (Cell(gettext("Bids per call")), number(c.bids_per_call), Cell(NONE)),
        (
            Cell(gettext("Calls with a single bid")),
            percent(c.single_bid_share, language),
            calls_cell(c.single_bid, links),
        ),
        (Cell(gettext("Calls with no bid")), percent(c.no_bid_share, language), calls_cell(c.no_bid, links)),
        (
            Cell(gettext("Unsuccessful calls (of those decided)")),
            percent(c.unsuccessful_share, language),
            calls_cell(c.unsuccessful, links),
        ),
        (
            Cell(gettext("Cancelled calls (of those decided)")),
            percent(c.cancelled_share, language),
            calls_cell(c.cancelled, links),
        ),
        (
            Cell(gettext("Days from publication to signature, median")),
            number(c.median_days_to_signature),
            calls_cell([d.ocid for d in c.days_to_signature], links),
        ),
        (Cell(gettext("Days from publication to signature, mean")), number(c.mean_days_to_signature), Cell(NONE)),
        (Cell(gettext("Complaints")), number(c.complaints), calls_cell(c.complaint_ocids, links)),
        *(
            (
                Cell(gettext("Complaints %(outcome)s", outcome=COMPLAINT_OUTCOMES.get(status, status))),
                number(count),
                Cell(NONE),
            )
            for status, count in by_status.items()
        ),
        (Cell(gettext("Complaints upheld (of those decided)")), percent(c.upheld_share, language), Cell(NONE)),
    ]
    delays = [(calls_cell([d.ocid], links), number(d.days)) for d in c.days_to_signature]
    tables = [
        ViewTable(
            "competition", gettext("Competition"), (gettext("Indicator"), gettext("Value"), gettext("Calls")), rows
        ),
        ViewTable(
            "days-to-signature",
            gettext("Days from publication to signature, per call"),
            (gettext("Call"), gettext("Days")),
            delays,
        ),
    ]
    several = c.calls_with_bids_known - len(c.single_bid) - len(c.no_bid)
    summary = gettext(
        "Of %(opened)d calls whose bids were opened, %(single)d had a single bid and %(none)d had none.",
        opened=c.calls_with_bids_known,
        single=len(c.single_bid),
        none=len(c.no_bid),
    )
    chart = Chart(
        "share_bar",
        {
            "parts": [
                (gettext("Two bids or more"), several),
                (gettext("A single bid"), len(c.single_bid)),
                (gettext("No bid"), len(c.no_bid)),
            ],
            "title": gettext("Calls by number of bids"),
            "description": summary,
        },
        "competition",
        summary,
    )
    return View("competition", tables, [chart], [summary])


# --- CSO sustainability -------------------------------------------------------------------------------------------


def providers_view(found: Indicators, links: Links) -> View:
    language = links.language
    suppliers = [
        (
            text(s.name),
            text(s.supplier_id),
            Cell(
                "; ".join(f"{year or NONE}: {format_mdl(value, language)}" for year, value in s.revenue_by_year.items())
            ),
            money(s.revenue, language),
            number(len(s.districts)),
            number(len(s.services)),
            text(district_name(district_of(s.largest_buyer_id), language) if s.largest_buyer_id else None),
            percent(s.largest_buyer_share, language),
            number(s.renewals_won),
            number(s.renewals_lost),
            calls_cell(s.ocids, links),
        )
        for s in found.suppliers
    ]
    names_by_id = {s.supplier_id: s.name for s in found.suppliers}
    market = [
        (
            text(m.year),
            Cell(service_text(m.service_type, language) if m.service_type else gettext("All services")),
            number(m.suppliers),
            money(m.value, language),
            number(m.hhi, 0),
            text(names_by_id.get(m.top_supplier_id or "", m.top_supplier_id)),
            percent(m.top_share, language),
        )
        for m in found.concentration
    ]
    tables = [
        ViewTable(
            "suppliers",
            gettext("CSO sustainability"),
            (
                gettext("CSO"),
                gettext("Identifier"),
                gettext("Revenue per year"),
                gettext("Revenue"),
                gettext("Districts"),
                gettext("Services"),
                gettext("Largest buyer"),
                gettext("Its share of revenue"),
                gettext("Renewals won"),
                gettext("Renewals lost"),
                gettext("Calls"),
            ),
            suppliers,
        ),
        standards_table(found, links),
        standards_by_code_table(found),
        ViewTable(
            "concentration",
            gettext("Market concentration (HHI)"),
            (
                gettext("Year"),
                gettext("Market"),
                gettext("CSOs"),
                gettext("Value"),
                gettext("HHI"),
                gettext("Largest CSO"),
                gettext("Its share"),
            ),
            market,
        ),
    ]
    summary = providers_sentence(found, language)
    charted = found.suppliers[:TOP_SUPPLIERS_CHARTED]
    charts = []
    if charted:
        charts.append(
            Chart(
                "bar_chart",
                {
                    "bars": [(s.name, s.revenue) for s in charted],
                    "title": gettext("Contracted revenue per CSO"),
                    "description": summary,
                    "value_format": _money_format(language),
                },
                "suppliers",
                summary,
            )
        )
    return View("providers", tables, charts, [summary])


def standards_table(found: Indicators, links: Links) -> ViewTable:
    """Each CSO's answers to its services' minimum quality standards in the reports its buyers accepted."""
    language = links.language
    rows = [
        (
            text(s.name or s.supplier_id),
            number(s.contracts),
            number(s.reports),
            number(s.tally.met),
            number(s.tally.partly),
            number(s.tally.not_met),
            percent(s.tally.share_met, language),
            calls_cell(s.ocids, links),
        )
        for s in found.standards_by_supplier
    ]
    headers = (
        gettext("CSO"),
        gettext("Contracts"),
        gettext("Accepted reports"),
        gettext("Met"),
        gettext("Partly met"),
        gettext("Not met"),
        gettext("Share met"),
        gettext("Calls"),
    )
    return ViewTable("standards", gettext("Minimum quality standards in accepted monitoring reports"), headers, rows)


def standards_by_code_table(found: Indicators) -> ViewTable:
    """Which standards are missed most: every answer to each standard, across the contracts."""
    language = get_locale_language()
    rows = [
        (
            text(f"{s.code}: {standard_name(s.code, language)}"),
            number(s.tally.met),
            number(s.tally.partly),
            number(s.tally.not_met),
            number(s.contracts),
        )
        for s in sorted(found.standards_by_code, key=lambda s: (-(s.tally.not_met + s.tally.partly), s.code))
    ]
    headers = (gettext("Standard"), gettext("Met"), gettext("Partly met"), gettext("Not met"), gettext("Contracts"))
    return ViewTable("standards-by-code", gettext("Each standard: how often it is met"), headers, rows)


def providers_sentence(found: Indicators, language: str) -> str:
    if not found.suppliers:
        return gettext("No CSO holds a signed contract yet.")
    sector = [m for m in found.concentration if m.service_type is None and m.hhi is not None]
    sentence = ngettext(
        "%(num)d CSO holds signed contracts; the largest, %(name)s, has %(share)s of the contracted value.",
        "%(num)d CSOs hold signed contracts; the largest, %(name)s, has %(share)s of the contracted value.",
        len(found.suppliers),
        name=found.suppliers[0].name,
        share=percent_text(
            share(found.suppliers[0].revenue, sum((s.revenue for s in found.suppliers), Decimal(0))), language
        ),
    )
    if sector:
        latest = sector[-1]
        level = gettext("highly concentrated") if latest.hhi > HHI_HIGH else gettext("not highly concentrated")
        sentence += " " + gettext(
            "The sector's HHI in %(year)s is %(hhi)s: %(level)s (above 2,500 is highly concentrated).",
            year=latest.year or NONE,
            hhi=number_text(latest.hhi, 0),
            level=level,
        )
    return sentence


# --- red flags ----------------------------------------------------------------------------------------------------

FLAG_TITLES = {
    "R003": _("Short submission period"),
    "R018": _("Single bid received"),
    "R035": _("All bids but the winner's disqualified"),
    "R038": _("Disqualification rate an outlier"),
    "R044": _("Bidders share contact details"),
    "INCUMBENCY": _("Same winner every time"),
    "PRICE": _("Price far from the reference cost"),
}
FLAG_DEFINITIONS = {
    "R003": _("Fewer days from publication to the submission deadline than the minimum for the call's procedure."),
    "R018": _("The call received exactly one bid."),
    "R035": _("A call with two bids or more where every bid but the winner's was disqualified."),
    "R038": _(
        "A buyer's or a bidder's share of disqualified bids is an outlier: above the third quartile of all by more "
        "than 1.5 times the interquartile range."
    ),
    "R044": _("Two bidders of the same call share an address, telephone, e-mail or bank account."),
    "INCUMBENCY": _("In a district and service type, the same CSO won every call with an award (at least two)."),
    "PRICE": _("A contract's price per place-year is below 0.7 or above 1.3 times the reference cost."),
}


def red_flags_view(found: Indicators, links: Links, calls_by_ocid: dict) -> View:
    language = links.language
    summary_rows = [
        (
            text(flag.code),
            Cell(str(FLAG_TITLES.get(flag.code, flag.title))),
            number(flag.checked),
            number(len({c.ocid for c in flag.flagged})),
            Cell(", ".join(flag.missing) if flag.missing else gettext("all published")),
        )
        for flag in found.red_flags
    ]
    tables = [
        ViewTable(
            "red-flags",
            gettext("Red flags"),
            (
                gettext("Code"),
                gettext("Flag"),
                gettext("Calls tested"),
                gettext("Calls flagged"),
                gettext("Data not published"),
            ),
            summary_rows,
        )
    ]
    flags = []
    for flag in found.red_flags:
        rows = []
        for flagged in flag.flagged:
            call = calls_by_ocid.get(flagged.ocid)
            rows.append(
                (
                    calls_cell([flagged.ocid], links),
                    Cell(district_name(call.district_code, language) if call and call.district_code else NONE),
                    Cell(service_text(call.service_type if call else None, language)),
                    text(flag_reason(flag.code, flagged, call, language, number_text)),
                )
            )
        key = f"flag-{flag.code.lower()}"
        title = f"{flag.code}: {FLAG_TITLES.get(flag.code, flag.title)}"
        headers = (gettext("Call"), gettext("District"), gettext("Service type"), gettext("Why (as computed)"))
        tables.append(ViewTable(key, gettext("Calls flagged: %(flag)s", flag=title), headers, rows))
        definition = str(FLAG_DEFINITIONS.get(flag.code, flag.definition))
        flags.append({"flag": flag, "table": key, "title": title, "definition": definition})
    lit = [flag for flag in found.red_flags if flag.flagged]
    summary = gettext(
        "%(lit)d of %(total)d red flags are raised, on %(calls)d calls.",
        lit=len(lit),
        total=len(found.red_flags),
        calls=len({c.ocid for flag in found.red_flags for c in flag.flagged}),
    )
    chart = Chart(
        "bar_chart",
        {
            "bars": [(flag.code, len({c.ocid for c in flag.flagged})) for flag in found.red_flags],
            "title": gettext("Calls flagged per red flag"),
            "description": summary,
            "value_format": lambda value: number_text(value, 0),
        },
        "red-flags",
        summary,
    )
    return View("red-flags", tables, [chart], [summary], {"flags": flags})


# --- overview -----------------------------------------------------------------------------------------------------


def overview_view(found: Indicators, links: Links) -> View:
    language = links.language
    in_force = {c.district_code for c in found.coverage if c.status in ("active", "at_risk")}
    at_risk = [c for c in found.coverage if c.status == "at_risk"]
    districts = {c.district_code for c in found.coverage}
    value = sum((row.value for row in found.spending), Decimal(0))
    contracts = sum(row.contracts for row in found.spending)
    lit = [flag for flag in found.red_flags if flag.flagged]

    def view(name: str, title: str) -> Cell:
        return Cell(title, ((title, links.filtered(name)),))

    rows = [
        (
            Cell(gettext("Calls published")),
            number(found.competition.calls),
            view("competition", gettext("Competition")),
        ),
        (Cell(gettext("Contracts signed")), number(contracts), view("spending", gettext("Spending"))),
        (Cell(gettext("Contracted value")), money(value, language), view("spending", gettext("Spending"))),
        (
            Cell(gettext("Districts with a contract in force")),
            Cell(f"{len(in_force)} / {len(districts)}", numeric=True),
            view("coverage", gettext("Coverage map")),
        ),
        (
            Cell(gettext("District and service pairs at continuity risk")),
            number(len(at_risk)),
            view("coverage", gettext("Coverage map")),
        ),
        (
            Cell(gettext("Calls with a single bid")),
            percent(found.competition.single_bid_share, language),
            view("competition", gettext("Competition")),
        ),
        (
            Cell(gettext("CSOs with signed contracts")),
            number(len(found.suppliers)),
            view("providers", gettext("CSO sustainability")),
        ),
        (
            Cell(gettext("Red flags raised")),
            Cell(f"{len(lit)} / {len(found.red_flags)}", numeric=True),
            view("red-flags", gettext("Red flags")),
        ),
    ]
    table = ViewTable(
        "headline", gettext("Headline figures"), (gettext("Figure"), gettext("Value"), gettext("View")), rows
    )
    summary = gettext(
        "%(calls)d calls published; %(value)s contracted; %(districts)d of %(total)d districts have a contract in "
        "force.",
        calls=found.competition.calls,
        value=format_mdl(value, language),
        districts=len(in_force),
        total=len(districts),
    )
    return View("overview", [table], [], [summary])


def build_view(name: str, found: Indicators, links: Links, calls_by_ocid: dict) -> View:
    builders = {
        "overview": overview_view,
        "coverage": coverage_view,
        "spending": spending_view,
        "competition": competition_view,
        "providers": providers_view,
    }
    if name == "red-flags":
        return red_flags_view(found, links, calls_by_ocid)
    return builders[name](found, links)


def raw_section(name: str, found: Indicators) -> object:
    """The part of the indicators a view is built from, for its JSON (``report.plain`` makes it JSON-ready)."""
    return {
        "overview": found,
        "coverage": found.coverage,
        "spending": {"spending": found.spending, "value_over_time": found.value_over_time},
        "competition": found.competition,
        "providers": {
            "suppliers": found.suppliers,
            "concentration": found.concentration,
            "standards_by_supplier": found.standards_by_supplier,
            "standards_by_code": found.standards_by_code,
        },
        "red-flags": found.red_flags,
    }[name]
