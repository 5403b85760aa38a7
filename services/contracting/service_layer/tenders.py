"""Tender use cases: create a draft, publish, apply due transitions, invite, amend, cancel."""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy import select

from services.common.errors import Forbidden, Invalid, InvalidTransition, NotFound
from services.common.reference_costs import call_year
from services.common.tokens import Principal
from services.common.unit_of_work import UnitOfWork
from services.contracting.adapters.orm_tendering import Amendment, Criterion, Invitation, Lot, Tender
from services.contracting.domain import bids as bid_rules
from services.contracting.domain import procedure, tender_status
from services.contracting.domain.criteria import DEFAULT_CRITERIA, check_criteria
from services.contracting.service_layer import awards, evaluation
from services.contracting.service_layer.base import (
    Call,
    event,
    lifecycle_of,
    load_tender,
    money,
    ocid,
    publicly_readable,
    record,
    tender_payload,
    utc,
)
from services.contracting.service_layer.bids import open_bids
from services.contracting.service_layer.commands import AmendTender, CreateTender, given
from services.contracting.service_layer.eligibility import check_service_type, eligible_provider_ids, reference_cost_for


def create_tender(call: Call, draft: CreateTender) -> Tender:
    """A draft for the authority's own district, with its lots and criteria; nothing is published yet."""
    with call.uow:
        if draft.district_code != call.principal.district_code:
            raise Forbidden(f"you may create tenders only for district {call.principal.district_code}")
        check_service_type(call.uow.session, draft.service_type)
        procedure.check_periods(call.rules, call.now, draft.enquiry_end, draft.submission_deadline)
        # No lot is ever invented: the schema asks for at least one, each with its places, budget and duration.
        lots = [asdict(lot) for lot in draft.lots]
        criteria = [asdict(c) for c in draft.criteria] or [dict(c) for c in DEFAULT_CRITERIA]
        check_criteria(criteria)
        standstill_days = call.rules.default_standstill_days if draft.standstill_days is None else draft.standstill_days
        terms = {f.name: getattr(draft, f.name) for f in fields(draft) if f.name not in NOT_TENDER_COLUMNS}
        tender = Tender(
            **terms,
            standstill_days=standstill_days,
            status=tender_status.DRAFT,
            created_by=call.principal.subject,
            created_at=call.now,
        )
        call.uow.session.add(tender)
        call.uow.session.flush()
        call.uow.session.add_all(Lot(tender_id=tender.id, number=i, **lot) for i, lot in enumerate(lots, 1))
        call.uow.session.add_all(Criterion(tender_id=tender.id, number=i, **c) for i, c in enumerate(criteria, 1))
        record(call, tender, "create", {**tender_payload(tender, call.prefix), "lots": _money_in(lots)})
        call.uow.commit()
        return tender


# What ``CreateTender`` carries that is not a column of the tender itself (or needs its default filled in).
NOT_TENDER_COLUMNS = ("lots", "criteria", "standstill_days")


def _lot_terms(call: Call, tender: Tender) -> list[dict]:
    names = ("number", "title", *procedure.LOT_TERMS)
    return [{name: getattr(lot, name) for name in names} for lot in call.tenders.lots(tender.id)]


def _money_in(lots: list[dict]) -> list[dict]:
    return [{**lot, "budget": money(lot.get("budget"))} for lot in lots]


def publish_tender(call: Call, tender_id: int) -> Tender:
    with call.uow:
        tender = load_tender(call, tender_id)
        tender.status = tender_status.transition(tender.status, "publish")
        if utc(tender.enquiry_end) <= call.now:
            raise Invalid("enquiry_end", "the enquiry period has already ended; move it before publishing")
        procedure.check_periods(call.rules, call.now, utc(tender.enquiry_end), utc(tender.submission_deadline))
        check_service_type(call.uow.session, tender.service_type)  # a draft from before the rule may name any
        procedure.check_publishable(_lot_terms(call, tender))
        tender.published_at = call.now
        payload = {**tender_payload(tender, call.prefix), "reference_cost": _reference_cost(call, tender)}
        record(call, tender, "publish", payload, "tender.published")
        call.uow.commit()
        return tender


def _reference_cost(call: Call, tender: Tender) -> dict | None:
    """The reference cost per place that applies to the call's lots (its OCDS lots carry it), or None."""
    year = call_year(utc(tender.submission_deadline))
    found = reference_cost_for(call.uow.session, tender.service_type, tender.district_code, year)
    if found is None:
        return None
    return {
        "service_type": found.service_type,
        "district_code": found.district_code,
        "year": found.year,
        "amount": f"{found.amount:.2f}",
        "currency": found.currency,
        "source": found.source,
        "version": found.version,
    }


def apply_due_transitions(call: Call, tender_id: int) -> tuple[Tender, list[str]]:
    """Every time-based transition due now; running it twice changes nothing the second time."""
    with call.uow:
        tender = load_tender(call, tender_id, scoped=False)
        applied = lifecycle_of(call.uow.session, tender).due_transitions(call.now)
        for action in applied:
            tender.status = tender_status.transition(tender.status, action)
            extra = _on_transition(call, tender, action)
            record(call, tender, action, event(call, tender, **extra), f"tender.{action}")
            if action == "close_submissions":
                evaluation.check_scores_complete(call, tender)
        call.uow.commit()
        return tender, applied


def _on_transition(call: Call, tender: Tender, action: str) -> dict:
    if action == "close_submissions":
        return open_bids(call, tender)
    if action == "end_standstill":
        return {"awards": awards.activate_awards(call, tender)}
    return {}


def invite_eligible(call: Call, tender_id: int) -> list[int]:
    """Invite every eligible provider not yet invited; returns the newly invited (none on a repeat)."""
    with call.uow:
        tender = load_tender(call, tender_id, scoped=False)
        if tender.status not in tender_status.BIDDING:
            raise InvalidTransition("tender", tender.status, "invite providers", list(tender_status.BIDDING))
        session = call.uow.session
        eligible = eligible_provider_ids(session, tender.service_type, tender.district_code, call.now.date())
        already = set(session.scalars(select(Invitation.provider_id).where(Invitation.tender_id == tender_id)))
        new = sorted(set(eligible) - already)
        for provider_id in new:
            session.add(Invitation(tender_id=tender_id, provider_id=provider_id, invited_at=call.now))
            call.uow.emit(
                "tender.invitation_sent", event(call, tender, provider_id=provider_id), ocid(call.prefix, tender.id)
            )
        if new:
            record(call, tender, "invite", event(call, tender, provider_ids=new))
        call.uow.commit()
        return new


def get_tender(uow: UnitOfWork, tender_id: int, principal: Principal | None) -> Tender:
    with uow:
        tender = uow.session.get(Tender, tender_id)
        if tender is None or not publicly_readable(tender, principal):
            raise NotFound(f"tender {tender_id} does not exist")
        return tender


def cancel_tender(call: Call, tender_id: int, reason: str) -> Tender:
    """Cancel with a reason, at any stage before a contract; live awards fall with the tender."""
    with call.uow:
        tender = load_tender(call, tender_id)
        tender.status = tender_status.transition(tender.status, "cancel")
        tender.cancellation_reason = reason
        awards.cancel_live_awards(call, tender, f"tender cancelled: {reason}")
        record(call, tender, "cancel", event(call, tender, reason=reason), "tender.cancelled")
        call.uow.commit()
        return tender


def amend_tender(call: Call, tender_id: int, change: AmendTender) -> Amendment:
    """A material amendment: the deadline moves out, and every standing bid must be re-confirmed."""
    with call.uow:
        tender = load_tender(call, tender_id)
        previous = utc(tender.submission_deadline)
        if tender.status not in tender_status.BIDDING or call.now >= previous:
            raise InvalidTransition("tender", tender.status, "amend", ["amend during enquiries or tendering"])
        new_deadline = procedure.amended_deadline(call.rules, previous, change.submission_deadline)
        changes = _apply_changes(call, tender, change)
        tender.submission_deadline = new_deadline
        flagged = _flag_bids(call, tender)
        amendment = Amendment(
            tender_id=tender.id,
            rationale=change.rationale,
            changes=changes,
            previous_submission_deadline=previous,
            submission_deadline=new_deadline,
            created_by=call.principal.subject,
            created_at=call.now,
        )
        call.uow.session.add(amendment)
        moved = {"submission_deadline": new_deadline.isoformat(), "previous_submission_deadline": previous.isoformat()}
        amended = event(call, tender, rationale=change.rationale, changes=changes, reconfirm_provider_ids=flagged)
        record(call, tender, "amend", amended, "tender.amended")
        record(call, tender, "move_deadline", event(call, tender, **moved), "tender.deadline_moved")
        call.uow.commit()
        return amendment


def _apply_changes(call: Call, tender: Tender, change: AmendTender) -> dict:
    changes = {}
    for name in ("title", "description", "title_ru", "title_en", "description_ru", "description_en"):
        if getattr(change, name) is not None:
            setattr(tender, name, getattr(change, name))
            changes[name] = getattr(change, name)
    for lot_change in change.lots:
        lot = call.uow.session.get(Lot, lot_change.id)
        if lot is None or lot.tender_id != tender.id:
            raise Invalid("lots", f"lot {lot_change.id} is not a lot of this tender")
        named = given(lot_change)
        for name, value in named.items():
            if name != "id":
                setattr(lot, name, value)
        if lot.max_awards > lot.places:
            raise Invalid("lots", f"lot {lot.id}: max_awards ({lot.max_awards}) cannot exceed places ({lot.places})")
        changes.setdefault("lots", []).append({**named, "budget": money(lot_change.budget)})
    return changes


def _flag_bids(call: Call, tender: Tender) -> list[int]:
    standing = call.tenders.bids(tender.id, bid_rules.ACTIVE)
    for bid in standing:
        bid.needs_reconfirmation = True
    return sorted({bid.provider_id for bid in standing})
