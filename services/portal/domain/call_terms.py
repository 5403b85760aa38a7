"""A call's terms as its public page shows them: the lots (places, budget, duration, winners at most) and the
criteria with their weights and minimum scores, from the call's own view or, failing that, its OCDS release."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.money import as_decimal

# OCDS items describe a lot as "Lot 2: Botanica sud (6 months)" (contracting's ocds_tender)
_LOT_ITEM = re.compile(r"^Lot (\d+): (.*) \((\d+) months\)$")
# OCDS awardCriteriaDetails words the weights as "Preț 40%, Calitate 60%"
_WEIGHT = re.compile(r"\s*(.+?) (\d+)%\s*(?:,|$)")


@dataclass(frozen=True)
class Lot:
    lot_id: int | None
    number: int
    title: str
    places: int | None
    budget: Decimal | None
    duration_months: int | None
    max_awards: int | None


@dataclass(frozen=True)
class Criterion:
    criterion_id: int | None
    number: int
    name: str
    kind: str | None
    weight: int
    minimum: Decimal | None


def lots_of(tender: dict, ocds_tender: dict) -> tuple[Lot, ...]:
    if tender.get("lots"):
        return tuple(
            Lot(
                lot_id=lot.get("id"),
                number=lot["number"],
                title=lot.get("title") or "",
                places=lot.get("places"),
                budget=as_decimal(lot.get("budget")),
                duration_months=lot.get("duration_months"),
                max_awards=lot.get("max_awards"),
            )
            for lot in sorted(tender["lots"], key=lambda lot: lot["number"])
        )
    # OCDS carries a lot as an item: its number, title and duration in the description, places as the quantity
    found = []
    for index, item in enumerate(ocds_tender.get("items") or [], 1):
        described = _LOT_ITEM.match(item.get("description") or "")
        number, title, months = (int(described[1]), described[2], int(described[3])) if described else (index, "", None)
        item_id = str(item.get("id") or "").removeprefix("lot-")
        lot_id = int(item_id) if item_id.isdigit() else None
        title = title or item.get("description") or ""
        found.append(Lot(lot_id, number, title, item.get("quantity"), None, months, None))
    return tuple(found)


def criteria_of(tender: dict, ranking: dict | None, ocds_tender: dict) -> tuple[Criterion, ...]:
    rows = tender.get("criteria") or (ranking or {}).get("criteria")
    if rows:
        return tuple(
            Criterion(
                criterion_id=row.get("id"),
                number=row.get("number") or index,
                name=row.get("name") or "",
                kind=row.get("kind"),
                weight=int(row.get("weight") or 0),
                minimum=as_decimal(row.get("minimum")),
            )
            for index, row in enumerate(sorted(rows, key=lambda row: row.get("number") or 0), 1)
        )
    details = ocds_tender.get("awardCriteriaDetails") or ""
    return tuple(
        Criterion(None, index, name, None, int(weight), None)
        for index, (name, weight) in enumerate(_WEIGHT.findall(details), 1)
    )
