"""Every indicator of the observatory at once, over the calls a filter keeps, and as plain JSON-ready data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.common.reference_data import DISTRICTS, SERVICE_TYPES
from services.portal.domain.observatory import red_flags, red_flags_parties
from services.portal.domain.observatory.competition import Competition, competition
from services.portal.domain.observatory.coverage import ContinuityRules, CoverageCell, coverage
from services.portal.domain.observatory.ocds_read import Call, read_calls
from services.portal.domain.observatory.red_flags import FlagRules, RedFlag
from services.portal.domain.observatory.reference import ReferenceCosts
from services.portal.domain.observatory.spending import SpendingPeriod, SpendingRow, spending, value_over_time
from services.portal.domain.observatory.standards import StandardCount, SupplierStandards, per_standard, per_supplier
from services.portal.domain.observatory.sustainability import Concentration, SupplierRow, concentration, suppliers


@dataclass(frozen=True)
class Filters:
    """Which calls count: by the year of publication, the district (ISO code) and the service type."""

    year: int | None = None
    district_code: str | None = None
    service_type: str | None = None

    def keep(self, call: Call) -> bool:
        return (
            (self.year is None or call.year == self.year)
            and (self.district_code is None or call.district_code == self.district_code)
            and (self.service_type is None or call.service_type == self.service_type)
        )


@dataclass(frozen=True)
class Indicators:
    as_of: datetime
    filters: Filters
    calls: int
    coverage: list[CoverageCell]
    spending: list[SpendingRow]
    value_over_time: list[SpendingPeriod]
    competition: Competition
    suppliers: list[SupplierRow]
    concentration: list[Concentration]
    red_flags: list[RedFlag]
    standards_by_supplier: list[SupplierStandards] = field(default_factory=list)
    standards_by_code: list[StandardCount] = field(default_factory=list)
    reference_costs: int = 0
    notes: list[str] = field(default_factory=list)


def all_red_flags(calls: list[Call], references: ReferenceCosts, rules: FlagRules) -> list[RedFlag]:
    return [
        red_flags.short_submission_period(calls, rules),
        red_flags.single_bid(calls),
        red_flags.all_but_winner_disqualified(calls),
        red_flags_parties.disqualification_outliers(calls, rules),
        red_flags_parties.shared_contacts(calls),
        red_flags.incumbency(calls, rules),
        red_flags.price_off_reference(calls, references, rules),
    ]


def indicators(
    compiled_releases: list[dict],
    as_of: datetime,
    references: ReferenceCosts | None = None,
    filters: Filters | None = None,
    flag_rules: FlagRules | None = None,
    continuity_rules: ContinuityRules | None = None,
) -> Indicators:
    """All indicators over the compiled releases the filters keep. Coverage is one cell per district x service
    type the filters allow (so the map has no holes) and ignores the year filter (it is the state at as_of)."""
    return indicators_of_calls(read_calls(compiled_releases), as_of, references, filters, flag_rules, continuity_rules)


def indicators_of_calls(
    everything: list[Call],
    as_of: datetime,
    references: ReferenceCosts | None = None,
    filters: Filters | None = None,
    flag_rules: FlagRules | None = None,
    continuity_rules: ContinuityRules | None = None,
) -> Indicators:
    """``indicators`` over calls already read from the releases: reading 10,000 releases costs about a third of
    the whole, so a cache reads them once per feed position and computes each filter's view from the calls."""
    filters = filters or Filters()
    references = references or ReferenceCosts()
    calls = [call for call in everything if filters.keep(call)]
    # Coverage is a state at as_of: a successor published in another year still covers, so no year filter.
    place = dataclasses.replace(filters, year=None)
    in_place = [call for call in everything if place.keep(call)]
    districts = [filters.district_code] if filters.district_code else [d.code for d in DISTRICTS]
    services = [filters.service_type] if filters.service_type else [s.code for s in SERVICE_TYPES]
    notes = [] if references else ["no reference costs given: price against reference and the PRICE flag are empty"]
    return Indicators(
        as_of=as_of,
        filters=filters,
        calls=len(calls),
        coverage=coverage(in_place, as_of, districts, services, continuity_rules),
        spending=spending(calls, references),
        value_over_time=value_over_time(calls),
        competition=competition(calls),
        suppliers=suppliers(calls),
        concentration=concentration(calls),
        red_flags=all_red_flags(calls, references, flag_rules or FlagRules()),
        standards_by_supplier=per_supplier(calls),
        standards_by_code=per_standard(calls),
        reference_costs=len(references),
        notes=notes,
    )


def plain(value):
    """JSON-ready: dataclasses to dicts, Decimals to strings (exact), datetimes to ISO-8601, tuples to lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {("" if k is None else str(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [plain(item) for item in items]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value
