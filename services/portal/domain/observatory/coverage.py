"""Coverage per district x service type: an active contract, one at continuity risk, or none.

The rule is the continuity watch's (services/contracting/domain/continuity.py), applied to published data: a
contract in force is *covered* when something takes over by its end — another signed or pending contract of
the same district x service that has started by then and not yet ended, or a call of that district x service
still in progress (published after this contract's award, or naming its process as predecessor) whose contract
is expected by then: the standstill's end + 10 days, or before the award the deadline + 15 (evaluation) + 6
(standstill) + 10 days (signature), the platform's defaults in ``ContinuityRules``. Uncovered, its risk is
*critical* within 30 days of its end, *high* within 60, *medium* within 90, else *low*; a cell is *at_risk*
when any contract in force there is uncovered within 90 days (the tightest threshold names the cell).

Not in the published data: the platform's own alerts (``continuity.*`` events are not released in OCDS) and a
call's planned contract start, hence the estimate above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.portal.domain.observatory.ocds_read import Call, Contract

THRESHOLDS_DAYS = (90, 60, 30)  # the watch's levels
RISK_BY_THRESHOLD = {30: "critical", 60: "high", 90: "medium"}
LIVE_CONTRACT = ("active", "pending")


@dataclass(frozen=True)
class ContinuityRules:
    evaluation: timedelta = timedelta(days=15)
    standstill: timedelta = timedelta(days=6)
    signature_margin: timedelta = timedelta(days=10)


@dataclass(frozen=True)
class ContractCoverage:
    ocid: str
    contract_id: str
    end: datetime | None
    days_left: int | None
    risk: str  # none (covered) / low / medium / high / critical
    successor: str | None  # "<ocid>/contract/<id>" or "<ocid>" of a call in progress


@dataclass(frozen=True)
class CoverageCell:
    district_code: str
    service_type: str
    status: str  # active / at_risk / none
    threshold_days: int | None  # 90 / 60 / 30 when at risk
    contracts: tuple[ContractCoverage, ...]
    ocids: tuple[str, ...]


def in_force(contract: Contract, as_of: datetime) -> bool:
    """Signed and running: status active, started (or no start stated) and not yet ended."""
    started = contract.start is None or contract.start <= as_of
    return contract.status == "active" and started and (contract.end is None or contract.end > as_of)


def _ready_at(call: Call, rules: ContinuityRules) -> datetime | None:
    if call.standstill_end:
        return call.standstill_end + rules.signature_margin
    if call.deadline:
        return call.deadline + rules.evaluation + rules.standstill + rules.signature_margin
    return None


def _successor(call: Call, contract: Contract, cell_calls: list[Call], rules: ContinuityRules) -> str | None:
    """What takes over by the contract's end, earliest first, or None."""
    if contract.end is None:
        return None  # an open-ended contract has nothing to succeed (its risk is "none")
    made = next((a.date for a in call.awards if a.id == contract.award_id), None) or contract.signed
    found = []
    for other in cell_calls:
        for later in other.contracts:
            if later is contract or later.status not in LIVE_CONTRACT or later.start is None:
                continue
            if later.start <= contract.end and (later.end is None or later.end > contract.end):
                found.append((later.start, f"{other.ocid}/contract/{later.id}"))
        linked = call.ocid in other.predecessors
        since = made is not None and other.published is not None and other.published >= made
        ready = _ready_at(other, rules)
        if other is not call and other.status == "active" and (linked or since) and ready and ready <= contract.end:
            found.append((ready, other.ocid))
    return min(found)[1] if found else None


def _risk(days_left: int | None, covered: bool) -> str:
    if covered or days_left is None:
        return "none"
    for threshold in sorted(THRESHOLDS_DAYS):
        if days_left <= threshold:
            return RISK_BY_THRESHOLD[threshold]
    return "low"


def _assess(call: Call, contract: Contract, cell_calls: list[Call], as_of: datetime, rules) -> ContractCoverage:
    successor = _successor(call, contract, cell_calls, rules)
    days_left = max(0, (contract.end - as_of) // timedelta(days=1)) if contract.end else None
    risk = _risk(days_left, successor is not None)
    return ContractCoverage(call.ocid, contract.id, contract.end, days_left, risk, successor)


def _cell(district: str, service: str, calls: list[Call], as_of: datetime, rules) -> CoverageCell:
    assessed = tuple(
        _assess(call, contract, calls, as_of, rules)
        for call in calls
        for contract in call.contracts
        if in_force(contract, as_of)
    )
    at_risk = [c.days_left for c in assessed if c.risk not in ("none", "low") and c.days_left is not None]
    threshold = min((t for t in THRESHOLDS_DAYS if min(at_risk) <= t), default=None) if at_risk else None
    status = "at_risk" if threshold else "active" if assessed else "none"
    ocids = tuple(sorted({c.ocid for c in assessed}))
    return CoverageCell(district, service, status, threshold, assessed, ocids)


def coverage(
    calls: list[Call],
    as_of: datetime,
    districts: Iterable[str],
    service_types: Iterable[str],
    rules: ContinuityRules | None = None,
) -> list[CoverageCell]:
    """One cell per district x service type (every pair, so the map has no holes), in the order given."""
    by_cell: dict[tuple[str | None, str | None], list[Call]] = defaultdict(list)
    for call in calls:
        by_cell[(call.district_code, call.service_type)].append(call)
    services = list(service_types)
    return [
        _cell(district, service, by_cell.get((district, service), []), as_of, rules or ContinuityRules())
        for district in districts
        for service in services
    ]
