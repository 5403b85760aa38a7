"""Reference costs per beneficiary: operators set them (one row per service x district or "*" x year) and every
change is announced as reference_cost.set, with the row, in the same transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call import Call, as_utc
from services.common.errors import Invalid
from services.common.reference_costs import CURRENCY, FIRST_YEAR, LAST_YEAR, NATIONAL
from services.registry.adapters.orm import ReferenceCost
from services.registry.service_layer.commands import SetReferenceCost
from services.registry.service_layer.handlers import caller, check_districts, check_service_type

EVENT_TYPE = "reference_cost.set"


def reference_cost_payload(row: ReferenceCost) -> dict:
    """What the API answers and the event carries: the amount as a two-place string, so no float touches it."""
    return {
        "service_type": row.service_type,
        "district_code": row.district_code,
        "year": row.year,
        "amount": f"{row.amount:.2f}",
        "currency": row.currency,
        "source": row.source,
        "version": row.version,
        "updated_at": as_utc(row.updated_at).isoformat() if row.updated_at else None,
    }


def set_reference_cost(call: Call, command: SetReferenceCost) -> ReferenceCost:
    """Insert or change one reference cost; a change bumps its version. Setting what is already there changes
    nothing and announces nothing, so a seed or a form sent twice leaves one event."""
    uow = call.uow
    with uow:
        _check(uow.session, command)
        key = (command.service_type, command.district_code, command.year)
        row = uow.session.get(ReferenceCost, key)
        if row is not None and (row.amount, row.source) == (command.amount, command.source):
            return row
        if row is None:
            row = ReferenceCost(
                service_type=command.service_type,
                district_code=command.district_code,
                year=command.year,
                currency=CURRENCY,
                version=0,
            )
            uow.session.add(row)
        row.amount, row.source = command.amount, command.source
        row.version += 1
        row.updated_at, row.updated_by = call.now, caller(call).subject
        uow.session.flush()
        uow.emit(EVENT_TYPE, reference_cost_payload(row))
        uow.commit()
        return row


def _check(session: Session, command: SetReferenceCost) -> None:
    check_service_type(session, command.service_type)
    if command.district_code != NATIONAL:
        check_districts(session, [command.district_code], field="district_code")
    if not FIRST_YEAR <= command.year <= LAST_YEAR:
        raise Invalid("year", f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
    if command.amount <= 0:
        raise Invalid("amount", "amount must be more than 0")
    if not command.source.strip():
        raise Invalid("source", "name the decision that set this cost")


def list_reference_costs(session: Session, filters: dict) -> list[dict]:
    """Every reference cost, optionally of one service type, district (or "*") and year, in a stable order."""
    query = select(ReferenceCost)
    for name in ("service_type", "district_code", "year"):
        if filters.get(name) is not None:
            query = query.where(getattr(ReferenceCost, name) == filters[name])
    order = (ReferenceCost.year, ReferenceCost.service_type, ReferenceCost.district_code)
    return [reference_cost_payload(row) for row in session.scalars(query.order_by(*order))]
