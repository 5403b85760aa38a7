"""The read side of the tender: a call as the API shows it (lots, criteria, status now), a page of calls, the
providers invited and the amendments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, case, func, select
from sqlalchemy.orm import Session

from services.common.pagination import Page, page_of
from services.contracting.adapters import read_versions
from services.contracting.adapters.orm_tendering import Amendment, Criterion, Invitation, Lot, Tender
from services.contracting.domain import tender_status
from services.contracting.service_layer import tenders, views
from services.contracting.service_layer.base import Call, deadlines, ocid, utc

# Every column: the response schema picks the ones it shows.
COLUMNS = [column.key for column in Tender.__table__.columns]


def tender_view(call: Call, tender: Tender) -> dict:
    with call.uow:
        return _views(call, call.uow.session, [tender])[0]


def tender_page(call: Call, filters: dict, first: int, size: int) -> Page:
    """Published calls, newest first; an authority also sees its own drafts, an operator every draft."""
    filters = dict(filters)
    principal = call.principal
    query = select(Tender)
    if principal and principal.role == "authority":
        query = query.where((Tender.status != "draft") | (Tender.district_code == principal.district_code))
    elif not (principal and principal.role == "operator"):
        query = query.where(Tender.status != "draft")
    status = filters.pop("status", None)
    if status is not None:
        query = query.where(views.status_now_filter(status, call.now))
    if "applied_status" in filters:
        query = query.where(Tender.status == filters.pop("applied_status"))
    for name, value in filters.items():
        query = query.where(getattr(Tender, name) == value)
    with call.uow:
        page = page_of(call.uow.session, query.order_by(Tender.id.desc()), first, size)
        return Page(_views(call, call.uow.session, page.items), page.total)


def tenders_version(engine: Engine) -> int:
    """The version of everything a call's public view is built from (adapters/read_versions.py)."""
    return read_versions.tenders_version(engine)


def shown_until(call: Call, shown: list[dict], every_call: bool) -> datetime | None:
    """Until when ``shown`` (views built at ``call.now``) stays what the clock alone makes it: the first
    scheduled transition among them, or, when the selection itself depends on the status now
    (``every_call``), the first deadline still ahead of any call."""
    if every_call:
        columns = [Tender.enquiry_end, Tender.submission_deadline, Tender.standstill_end]
        with call.uow:
            firsts = call.uow.session.execute(select(*[func.min(case((c > call.now, c))) for c in columns])).one()
        ahead = [utc(moment) for moment in firsts if moment is not None]
    else:
        ahead = [view["next_transition"]["at"] for view in shown if view["next_transition"]]
    return min(ahead, default=None)


def invited_provider_ids(call: Call, tender_id: int) -> list[int]:
    with call.uow:
        query = select(Invitation.provider_id).where(Invitation.tender_id == tender_id)
        return sorted(call.uow.session.scalars(query))


def amendments(call: Call, tender_id: int) -> list[Amendment]:
    """The call's material amendments, oldest first (public once the call is)."""
    tender = tenders.get_tender(call.uow, tender_id, call.principal)
    with call.uow:
        query = select(Amendment).where(Amendment.tender_id == tender.id).order_by(Amendment.id)
        return list(call.uow.session.scalars(query))


def _views(call: Call, session: Session, shown: list[Tender]) -> list[dict]:
    """Lots and criteria loaded in one query each for all the tenders, not per tender."""
    if not shown:
        return []  # a page past the end: no IN () queries
    ids = [tender.id for tender in shown]
    lots = _by_tender(session.scalars(select(Lot).where(Lot.tender_id.in_(ids)).order_by(Lot.number)))
    criteria = _by_tender(
        session.scalars(select(Criterion).where(Criterion.tender_id.in_(ids)).order_by(Criterion.number))
    )
    now = views.status_now(session, shown, call.now)
    return [_view(tender, call.prefix, lots[tender.id], criteria[tender.id], now[tender.id]) for tender in shown]


def _by_tender(rows: Iterable[Lot | Criterion]) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.tender_id].append(row)
    return grouped


def _view(tender: Tender, ocid_prefix: str, lots: list[Lot], criteria: list[Criterion], now: dict) -> dict:
    # next_check stays the chronograph's: the next timed action from the recorded status, past while it waits
    # for its stage run (the flows' catch-up looks for that); status and next_transition are what applies now.
    check = tender_status.next_check(tender.status, deadlines(tender))
    return {
        **{column: getattr(tender, column) for column in COLUMNS},
        **now,
        "ocid": ocid(ocid_prefix, tender.id),
        "lots": lots,
        "criteria": criteria,
        "next_check": {"action": check.action, "due_at": check.due_at} if check else None,
        "allowed_actions": tender_status.allowed_actions(now["status"]),
    }
