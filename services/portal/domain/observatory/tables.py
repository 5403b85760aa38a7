"""The indicators laid out as tables (a title, headers, rows of text) and drawn as plain text for a terminal;
the same tables can feed a CSV export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from services.common.reference_data import district_name, service_name
from services.portal.domain.observatory.report import Indicators

NONE = "—"


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


def cell(value) -> str:
    if value is None or value == ():
        return NONE
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def coverage_tables(found: Indicators) -> list[Table]:
    by_service: dict[str, Counter] = {}
    for entry in found.coverage:
        key = "at_risk_" + str(entry.threshold_days) if entry.status == "at_risk" else entry.status
        by_service.setdefault(entry.service_type, Counter())[key] += 1
    headers = ("service type", "active", "at risk ≤90d", "≤60d", "≤30d", "none")
    keys = ("active", "at_risk_90", "at_risk_60", "at_risk_30", "none")
    summary = [(service_name(s, "en"), *(str(c[k]) for k in keys)) for s, c in by_service.items()]
    risky = [
        (district_name(e.district_code, "en"), service_name(e.service_type, "en"), str(e.threshold_days), contract.ocid,
         contract.contract_id, cell(contract.days_left), contract.risk)
        for e in found.coverage if e.status == "at_risk" for contract in e.contracts if contract.risk != "none"
    ]  # fmt: skip
    risk_headers = ("district", "service type", "threshold", "ocid", "contract", "days left", "risk")
    return [
        Table(f"Coverage of districts as of {found.as_of:%Y-%m-%d}", headers, summary),
        Table("Continuity risk (contracts ending with no successor)", risk_headers, risky),
    ]


def spending_tables(found: Indicators) -> list[Table]:
    headers = ("district", "service type", "year", "contracts", "value MDL", "places", "per place",
               "per place-year", "reference", "ratio", "ocids")  # fmt: skip
    rows = [
        (district_name(r.district_code, "en"), service_name(r.service_type, "en"), cell(r.year), str(r.contracts),
         cell(r.value), str(r.places), cell(r.price_per_place), cell(r.annual_price_per_place),
         cell(r.reference_cost), cell(r.ratio_to_reference), cell(r.ocids))
        for r in found.spending
    ]  # fmt: skip
    over_time = [(p.period, str(p.contracts), cell(p.value), cell(p.ocids)) for p in found.value_over_time]
    return [
        Table("Spending per district x service x year", headers, rows),
        Table("Contracted value over time (month signed)", ("month", "contracts", "value MDL", "ocids"), over_time),
    ]


def competition_table(found: Indicators) -> Table:
    c = found.competition
    rows = [
        ("calls published", str(c.calls), NONE),
        ("bids per call (calls with bids known)", f"{cell(c.bids_per_call)} ({c.calls_with_bids_known})", NONE),
        ("share with a single bid", cell(c.single_bid_share), cell(c.single_bid)),
        ("share with no bid", cell(c.no_bid_share), cell(c.no_bid)),
        ("share unsuccessful (of decided)", f"{cell(c.unsuccessful_share)} ({c.calls_decided})", cell(c.unsuccessful)),
        ("share cancelled (of decided)", cell(c.cancelled_share), cell(c.cancelled)),
        ("days publication → signature, median / mean", f"{cell(c.median_days_to_signature)} / "
         f"{cell(c.mean_days_to_signature)}", cell([d.ocid for d in c.days_to_signature])),
        ("complaints by outcome", f"{c.complaints}: " + cell([f"{k} {v}" for k, v in c.complaints_by_status.items()]),
         cell(c.complaint_ocids)),
        ("share of decided complaints upheld", cell(c.upheld_share), NONE),
    ]  # fmt: skip
    return Table("Competition", ("indicator", "value", "ocids"), rows)


def sustainability_tables(found: Indicators) -> list[Table]:
    headers = ("supplier", "name", "revenue by year", "districts", "services", "largest buyer", "its share",
               "renewals won", "lost")  # fmt: skip
    rows = [
        (s.supplier_id, s.name, cell([f"{year}: {v}" for year, v in s.revenue_by_year.items()]), str(len(s.districts)),
         str(len(s.services)), cell(s.largest_buyer_id), cell(s.largest_buyer_share), str(s.renewals_won),
         str(s.renewals_lost))
        for s in found.suppliers
    ]  # fmt: skip
    market = [
        (cell(m.year), service_name(m.service_type, "en") if m.service_type else "all services", str(m.suppliers),
         cell(m.value), cell(m.hhi), cell(m.top_supplier_id), cell(m.top_share))
        for m in found.concentration
    ]  # fmt: skip
    market_headers = ("year", "market", "suppliers", "value MDL", "HHI", "largest supplier", "its share")
    return [Table("CSO sustainability", headers, rows), Table("Market concentration", market_headers, market)]


def standards_table(found: Indicators) -> Table:
    headers = ("supplier", "name", "contracts", "reports", "met", "partly", "not met", "share met", "ocids")
    rows = [
        (s.supplier_id, s.name, str(s.contracts), str(s.reports), str(s.tally.met), str(s.tally.partly),
         str(s.tally.not_met), cell(s.tally.share_met), cell(s.ocids))
        for s in found.standards_by_supplier
    ]  # fmt: skip
    return Table("Minimum quality standards in accepted monitoring reports", headers, rows)


def red_flag_tables(found: Indicators) -> list[Table]:
    summary = [
        (f.code, f.title, str(f.checked), str(len({c.ocid for c in f.flagged})), cell(f.missing))
        for f in found.red_flags
    ]
    flagged = [(f.code, c.ocid, c.detail) for f in found.red_flags for c in f.flagged]
    return [
        Table("Red flags", ("code", "flag", "tested", "calls flagged", "not published"), summary),
        Table("Flagged calls", ("code", "ocid", "why"), flagged),
    ]


def tables(found: Indicators) -> list[Table]:
    return [
        *coverage_tables(found),
        *spending_tables(found),
        competition_table(found),
        *sustainability_tables(found),
        standards_table(found),
        *red_flag_tables(found),
    ]


def render(table: Table) -> str:
    """A table as aligned plain text, its title underlined; an empty table says so."""
    lines = [table.title, "=" * len(table.title)]
    if not table.rows:
        return "\n".join([*lines, "(none)"])
    widths = [max(len(str(row[i])) for row in [table.headers, *table.rows]) for i in range(len(table.headers))]
    lines.append("  ".join(h.ljust(w) for h, w in zip(table.headers, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in table.rows]
    return "\n".join(lines)
