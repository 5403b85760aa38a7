"""Read-side use cases with their visibility rules: sealed bids, independent scores, the public ranking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import Session

from services.common.errors import Forbidden, NotFound
from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_evaluation import Award, Bid, Complaint, Score
from services.contracting.adapters.orm_replicas import ProviderReplica
from services.contracting.adapters.orm_tendering import Criterion, Lot, Tender
from services.contracting.domain import audit, committee, tender_status
from services.contracting.service_layer import evaluation
from services.contracting.service_layer.base import Call, as_entry, lifecycles_of, load_tender
from services.contracting.service_layer.bids import is_sealed

AFTER_OPENING_READERS = ("authority", "operator", "service")


def status_now(session: Session, tenders: list[Tender], now: datetime) -> dict[int, dict]:
    """Per tender id: the status that applies at ``now`` (the recorded one with every due transition applied, so a
    read agrees with what writes enforce by the clock before the stage run records it), the recorded status, and
    the next scheduled transition. Computed only: a read never records a transition."""
    lifecycles = lifecycles_of(session, tenders)
    shown = {}
    for tender in tenders:
        lifecycle = lifecycles[tender.id]
        upcoming = lifecycle.next_transition(now)
        shown[tender.id] = {
            "status": lifecycle.status_at(now),
            "applied_status": tender.status,
            "next_transition": {"status": upcoming.status, "at": upcoming.at} if upcoming else None,
        }
    return shown


def status_now_filter(status: str, now: datetime):
    """The SQL condition for "tenders at ``status`` now", recorded or reached by a transition not yet applied."""
    options = []
    for window in tender_status.windows(status):
        conditions = [Tender.status == window.recorded]
        if window.since:
            conditions.append(_passed(window.since, now))
        if window.until:
            conditions.append(not_(_passed(window.until, now)))
        options.append(and_(*conditions))
    return or_(*options) if options else false()


def _passed(deadline: str, now: datetime):
    column = getattr(Tender, deadline)
    passed = and_(column.is_not(None), column <= now)
    if tender_status.held_by_complaint(deadline):
        open_complaint = exists().where(Complaint.tender_id == Tender.id, Complaint.status == "pending")
        passed = and_(passed, not_(open_complaint))
    return passed


def visible_bids(call: Call, tender_id: int) -> tuple[int, list[Bid]]:
    """(count, bids): the author sees its own; the authority only a count until the opening; nobody else."""
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        session = call.uow.session
        query = select(Bid).where(Bid.tender_id == tender.id).order_by(Bid.id)
        if call.role == "cso":
            own = list(session.scalars(query.where(Bid.provider_id == call.principal.provider_id)))
            return len(own), own
        if call.role == "evaluator":
            if is_sealed(tender):
                raise Forbidden("bids are sealed until the submission deadline")
            evaluation.cleared_member(call, tender)
            eligible = evaluation.eligible_bids(session, tender.id)
            return len(eligible), eligible
        if is_sealed(tender):
            if call.role != "authority":
                raise Forbidden("bids are sealed until the submission deadline: only their authors may read them")
            count = session.scalar(select(func.count()).where(Bid.tender_id == tender.id, Bid.status == "active"))
            return count, []
        every = list(session.scalars(query))
        return len(every), every


def visible_bid(call: Call, tender_id: int, bid_id: int) -> Bid:
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        bid = call.uow.session.get(Bid, bid_id)
        if bid is None or bid.tender_id != tender.id or not _may_read(call, tender, bid):
            # A sealed bid is not confirmed to exist to anyone but its author.
            raise NotFound(f"bid {bid_id} does not exist")
        return bid


def _may_read(call: Call, tender: Tender, bid: Bid) -> bool:
    if call.role == "cso":
        return bid.provider_id == call.principal.provider_id
    if is_sealed(tender):
        return False
    if call.role == "evaluator":
        evaluation.cleared_member(call, tender)
        return bool(bid.eligible) and bid.status == "active"
    return call.role in AFTER_OPENING_READERS


def committee_view(call: Call, tender_id: int) -> dict:
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        if call.role == "evaluator":
            evaluation.member_of(call, tender)
        session = call.uow.session
        rows = evaluation.members(session, tender.id)
        seated = evaluation.as_members(rows)
        return {
            "tender_id": tender.id,
            "committee_size": tender.committee_size,
            "sitting": len(committee.sitting(seated)),
            "scoring_blocked": committee.scoring_blocker(seated, tender.committee_size),
            "members": rows,
            "bidders": [] if is_sealed(tender) else evaluation.bidders(session, tender.id),
        }


def scores_view(call: Call, tender_id: int) -> dict:
    """An evaluator sees only its own scores until every member has scored; then the committee sees all."""
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        session = call.uow.session
        query = select(Score).where(Score.tender_id == tender.id).order_by(Score.id)
        complete = tender.scores_complete_at is not None
        if call.role == "evaluator":
            member = evaluation.cleared_member(call, tender)
            if not complete:
                query = query.where(Score.evaluator == member.evaluator)
        elif not complete:
            query = query.where(false())
        return {
            "tender_id": tender.id,
            "complete": complete,
            "scores_missing": 0 if complete else evaluation.missing(session, tender),
            "scores": list(session.scalars(query)),
        }


def ranking_view(call: Call, tender_id: int) -> dict:
    """Public once the award decision is made: ranks, totals, per-criterion scores and every justification."""
    with call.uow:
        tender = load_tender(call, tender_id, lock=False, public=True)
        if tender.decided_at is None:
            raise NotFound("the ranking is published with the award decision; there is none yet")
        session = call.uow.session
        criteria = list(session.scalars(select(Criterion).where(Criterion.tender_id == tender.id)))
        lots = call.tenders.lots(tender.id)
        bids = list(session.scalars(select(Bid).where(Bid.tender_id == tender.id, Bid.result.is_not(None))))
        names = _names(session, {b.provider_id for b in bids})
        labels = {m.evaluator: f"evaluator {i}" for i, m in enumerate(evaluation.members(session, tender.id), 1)}
        scores = list(session.scalars(select(Score).where(Score.tender_id == tender.id).order_by(Score.id)))
        return {
            "tender_id": tender.id,
            "decided_at": tender.decided_at,
            "criteria": criteria,
            "lots": [_lot_ranking(lot, bids, scores, labels, names) for lot in lots],
        }


def _names(session, provider_ids: set[int]) -> dict[int, str]:
    rows = session.scalars(select(ProviderReplica).where(ProviderReplica.provider_id.in_(provider_ids)))
    return {p.provider_id: p.legal_name for p in rows}


def _lot_ranking(lot: Lot, bids: list[Bid], scores: list[Score], labels: dict, names: dict) -> dict:
    ours = sorted((b for b in bids if b.lot_id == lot.id), key=lambda b: (b.rank is None, b.rank or 0, b.id))
    return {
        "lot_id": lot.id,
        "number": lot.number,
        "title": lot.title,
        "bids": [
            {
                "bid_id": b.id,
                "provider_id": b.provider_id,
                "legal_name": names.get(b.provider_id),
                "rank": b.rank,
                "result": b.result,
                "reason": b.result_reason or b.eligibility_reason,
                "price": b.price,
                "places": b.places,
                "total_score": b.total_score,
                "quality_total": b.quality_total,
                "criterion_scores": b.criterion_scores or {},
                "evaluator_scores": [
                    {
                        "evaluator": labels.get(s.evaluator, "evaluator"),
                        "criterion_id": s.criterion_id,
                        "score": s.score,
                        "justification": s.justification,
                    }
                    for s in scores
                    if s.bid_id == b.id
                ],
            }
            for b in ours
        ],
    }


def awards_view(call: Call, tender_id: int) -> list[Award]:
    with call.uow:
        tender = load_tender(call, tender_id, lock=False, public=True)
        if tender.decided_at is None and tender.status != tender_status.CANCELLED:
            return []
        return list(call.uow.session.scalars(select(Award).where(Award.tender_id == tender.id).order_by(Award.id)))


def audit_view(call: Call, tender_id: int) -> dict:
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        query = select(AuditLogEntry).where(AuditLogEntry.tender_id == tender.id).order_by(AuditLogEntry.seq)
        entries = [as_entry(row) for row in call.uow.session.scalars(query)]
        broken = audit.first_break(entries)
        # Verified on the stored entries; served without what sealed entries withhold (see domain/audit.py).
        served = [audit.served(entry) for entry in entries]
        return {"tender_id": tender.id, "intact": broken is None, "first_break": broken, "entries": served}
