"""What a public search finds a call by and shows of it, read from the call's compiled OCDS release.

The public listing filters and sorts on these in SQL, so they are kept as columns beside the compiled release
(adapters/orm_public.OcdsRecord) and refreshed whenever the release is recompiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

# The scheme of the additional classification that names the call's social service (domain/ocds_tender._terms).
SERVICE_SCHEME = "X-SSCP-SERVICE"


@dataclass(frozen=True)
class CallSearchFacts:
    service_type: str | None
    budget_amount: Decimal | None  # MDL: the sum of the lots' budgets (tender.value)
    currency: str | None
    submission_deadline: datetime | None  # aware UTC (tender.tenderPeriod.endDate)
    lot_count: int  # one item per lot


def search_facts(compiled: dict) -> CallSearchFacts:
    """The call's service type, total budget, deadline and number of lots as its compiled release states them."""
    tender = compiled.get("tender") or {}
    items = tender.get("items") or []
    budget = tender.get("value") or {}
    amount = budget.get("amount")
    return CallSearchFacts(
        service_type=service_type_of(items),
        budget_amount=None if amount is None else Decimal(str(amount)).quantize(Decimal("0.01")),
        currency=budget.get("currency") if amount is not None else None,
        submission_deadline=_instant((tender.get("tenderPeriod") or {}).get("endDate")),
        lot_count=len(items),
    )


def service_type_of(items: list[dict]) -> str | None:
    """The service code the lots are classified under (every lot of a call names the call's one service)."""
    for item in items:
        for classification in item.get("additionalClassifications") or []:
            if classification.get("scheme") == SERVICE_SCHEME and classification.get("id"):
                return classification["id"]
    return None


def folded(text: str | None) -> str | None:
    """Text as the title search compares it: case-folded in Python, since SQLite's lower() folds ASCII only
    (a search for "îngrijire" must find "Îngrijire")."""
    return None if text is None else text.casefold()


def _instant(moment: str | None) -> datetime | None:
    if not moment:
        return None
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
