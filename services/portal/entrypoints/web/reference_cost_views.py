"""The reference cost per beneficiary beside a call: on the public call page (as its published OCDS lots carry it),
on the department's preview of a draft and on its new-call form (as the registry holds it now).

Each lot's budget is set against places x the reference cost for the lot's months: a check that informs the
department and the public, never a refusal (the law asks the budget to be justified, not to reach the cost).
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import datetime

from services.common.reference_costs import ReferenceCostFacts, call_year
from services.portal.adapters.api_client import ApiRefusal, ServiceDown
from services.portal.domain import reference_costs
from services.portal.domain.deadlines import parse_moment
from services.portal.entrypoints.web.requests import public_api


def registry_rows(**filters) -> list[dict]:
    """The registry's reference costs (public), or none while it is unreachable: the pages still render."""
    try:
        return public_api().get("registry", "/reference-costs", **filters)
    except (ServiceDown, ApiRefusal):
        return []


def current_reference(service_type: str | None, district_code: str | None, deadline) -> ReferenceCostFacts | None:
    """The reference cost that applies now to a call for that service, district and submission deadline."""
    moment = parse_moment(deadline) if not isinstance(deadline, datetime) else deadline
    if not service_type or not district_code or moment is None:
        return None
    year = call_year(moment)
    return reference_costs.applying(
        registry_rows(service_type=service_type, year=year), service_type, district_code, year
    )


def published_reference(record: dict) -> ReferenceCostFacts | None:
    """The reference cost the call's published OCDS lots carry (every lot of a call carries the same one)."""
    lots = ((record.get("compiled_release") or {}).get("tender") or {}).get("lots") or []
    for lot in lots:
        found = reference_costs.from_ocds(lot.get("referenceCost"))
        if found is not None:
            return found
    return None


def reference_context(reference: ReferenceCostFacts | None, lots) -> dict:
    """What templates/public/_reference_cost.html shows: the reference and each lot's check against it."""
    rows = [asdict(lot) if is_dataclass(lot) else dict(lot) for lot in lots or ()]
    return {"reference_cost": reference, "reference_checks": reference_costs.lot_checks(reference, rows)}
