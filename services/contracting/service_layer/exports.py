"""What the public reads and downloads, from the compiled OCDS records: calls (searched by district, status,
service, budget, deadline and title), clarifications, awards, contracts with their accepted monitoring reports,
and the bulk award and contract exports per district and year.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import defer, sessionmaker

from services.common.errors import NotFound
from services.common.pagination import Page, page_of
from services.contracting.adapters.orm_public import OcdsRecord
from services.contracting.domain import call_search
from services.contracting.service_layer.base import utc

AWARD_COLUMNS = (
    "ocid",
    "tender_id",
    "district_code",
    "buyer",
    "tender_title",
    "award_id",
    "status",
    "date",
    "supplier_name",
    "supplier_idno",
    "places",
    "amount",
    "currency",
)
CONTRACT_COLUMNS = (
    "ocid",
    "tender_id",
    "district_code",
    "buyer",
    "contract_id",
    "award_id",
    "status",
    "date_signed",
    "start_date",
    "end_date",
    "supplier_name",
    "supplier_idno",
    "amount",
    "currency",
    "reports_accepted",
)


@dataclass(frozen=True)
class CallSearch:
    """The public search's filters (each left out when None) and its order (one of CALL_SORTS)."""

    district_code: str | None = None
    status: str | None = None
    service_type: str | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    deadline_from: datetime | None = None
    deadline_to: datetime | None = None
    q: str | None = None
    sort: str = "newest"


# Each order ends on the ocid so that pages never overlap; the indexes of ocds_records follow these orders. Calls
# with no deadline or no budget come last in the orders by them.
CALL_SORTS = {
    "newest": (OcdsRecord.first_date.desc(), OcdsRecord.ocid.desc()),
    "deadline": (OcdsRecord.submission_deadline.asc().nulls_last(), OcdsRecord.ocid),
    "budget_desc": (OcdsRecord.budget_amount.desc().nulls_last(), OcdsRecord.ocid),
    "budget_asc": (OcdsRecord.budget_amount.asc().nulls_last(), OcdsRecord.ocid),
}


def published_calls(session_factory: sessionmaker, search: CallSearch, first: int, size: int) -> Page:
    """Published processes matching the search, in its order (a draft has no release, so it is never here)."""
    # The compiled release is the bulk of a row and no summary shows it.
    query = select(OcdsRecord).options(defer(OcdsRecord.compiled), defer(OcdsRecord.title_search))
    for condition in _call_conditions(search):
        query = query.where(condition)
    with session_factory() as session:
        return page_of(session, query.order_by(*CALL_SORTS[search.sort]), first, size)


def _call_conditions(search: CallSearch) -> Iterator:
    equal = {
        OcdsRecord.district_code: search.district_code,
        OcdsRecord.status: search.status,
        OcdsRecord.service_type: search.service_type,
    }
    yield from (column == wanted for column, wanted in equal.items() if wanted)
    if search.budget_min is not None:
        yield OcdsRecord.budget_amount >= search.budget_min
    if search.budget_max is not None:
        yield OcdsRecord.budget_amount <= search.budget_max
    if search.deadline_from is not None:
        yield OcdsRecord.submission_deadline >= utc(search.deadline_from)
    if search.deadline_to is not None:
        yield OcdsRecord.submission_deadline <= utc(search.deadline_to)
    text = (search.q or "").strip()
    if text:
        yield OcdsRecord.title_search.contains(call_search.folded(text), autoescape=True)


def call_record(session_factory: sessionmaker, tender_id: int) -> OcdsRecord:
    with session_factory() as session:
        record = session.scalars(select(OcdsRecord).where(OcdsRecord.tender_id == tender_id)).first()
    if record is None:
        raise NotFound(f"call {tender_id} has not been published")
    return record


def clarifications(record: OcdsRecord) -> list[dict]:
    """Questions and answers as published: never who asked."""
    return [
        {
            "id": enquiry["id"],
            "question": enquiry.get("description"),
            "asked_at": enquiry.get("date"),
            "answer": enquiry.get("answer"),
            "answered_at": enquiry.get("dateAnswered"),
        }
        for enquiry in record.compiled.get("tender", {}).get("enquiries", [])
    ]


def _records(session_factory: sessionmaker, district_code: str | None) -> list[OcdsRecord]:
    query = select(OcdsRecord).order_by(OcdsRecord.first_date, OcdsRecord.ocid)
    if district_code:
        query = query.where(OcdsRecord.district_code == district_code)
    with session_factory() as session:
        return list(session.scalars(query))


def _year_of(moment: str | None) -> int | None:
    return int(moment[:4]) if moment else None


def _supplier(compiled: dict, party_ref: dict | None) -> tuple[str | None, str | None]:
    if not party_ref:
        return None, None
    party = next((p for p in compiled.get("parties", []) if p["id"] == party_ref["id"]), {})
    return party.get("name", party_ref.get("name")), party.get("identifier", {}).get("id")


def _money(value: dict | None) -> tuple[str | None, str | None]:
    if not value or value.get("amount") is None:
        return None, None
    return f"{Decimal(str(value['amount'])):.2f}", value.get("currency")


def _common(record: OcdsRecord) -> dict:
    compiled = record.compiled
    return {
        "ocid": record.ocid,
        "tender_id": record.tender_id,
        "district_code": record.district_code,
        "buyer": compiled.get("buyer", {}).get("name"),
    }


def award_rows(session_factory: sessionmaker, district_code: str | None, year: int | None) -> list[dict]:
    """Every award (live or cancelled) decided in ``year``, one row each."""
    rows = []
    for record in _records(session_factory, district_code):
        compiled = record.compiled
        for award in compiled.get("awards", []):
            if year and _year_of(award.get("date")) != year:
                continue
            name, idno = _supplier(compiled, (award.get("suppliers") or [None])[0])
            amount, currency = _money(award.get("value"))
            places = sum(item.get("quantity") or 0 for item in award.get("items", [])) or None
            rows.append(
                {
                    **_common(record),
                    "tender_title": compiled.get("tender", {}).get("title"),
                    "award_id": award["id"],
                    "status": award.get("status"),
                    "date": award.get("date"),
                    "supplier_name": name,
                    "supplier_idno": idno,
                    "places": places,
                    "amount": amount,
                    "currency": currency,
                }
            )
    return rows


def contracts(session_factory: sessionmaker, district_code: str | None, year: int | None) -> Iterator[tuple]:
    """(record, contract, award) for every published contract signed (or, unsigned, starting) in ``year``."""
    for record in _records(session_factory, district_code):
        awards = {a["id"]: a for a in record.compiled.get("awards", [])}
        for contract in record.compiled.get("contracts", []):
            when = contract.get("dateSigned") or contract.get("period", {}).get("startDate")
            if year and _year_of(when) != year:
                continue
            yield record, contract, awards.get(contract.get("awardID"), {})


def accepted_reports(contract: dict) -> list[dict]:
    milestones = contract.get("implementation", {}).get("milestones", [])
    return [m for m in milestones if m.get("type") == "reporting" and m.get("status") == "met"]


def contract_rows(session_factory: sessionmaker, district_code: str | None, year: int | None) -> list[dict]:
    rows = []
    for record, contract, award in contracts(session_factory, district_code, year):
        name, idno = _supplier(record.compiled, (award.get("suppliers") or [None])[0])
        amount, currency = _money(contract.get("value"))
        period = contract.get("period", {})
        rows.append(
            {
                **_common(record),
                "contract_id": contract["id"],
                "award_id": contract.get("awardID"),
                "status": contract.get("status"),
                "date_signed": contract.get("dateSigned"),
                "start_date": period.get("startDate"),
                "end_date": period.get("endDate"),
                "supplier_name": name,
                "supplier_idno": idno,
                "amount": amount,
                "currency": currency,
                "reports_accepted": len(accepted_reports(contract)),
            }
        )
    return rows


def as_csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
