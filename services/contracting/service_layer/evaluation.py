"""Committee use cases: assign evaluators, declare conflicts of interest, score independently."""

from __future__ import annotations

from sqlalchemy import select

from services.common.errors import Conflict, Forbidden, Invalid, InvalidTransition
from services.contracting.adapters.orm_evaluation import Bid, CommitteeMember, Score
from services.contracting.adapters.orm_replicas import ProviderReplica
from services.contracting.adapters.orm_tendering import Criterion, Tender
from services.contracting.domain import committee, tender_status
from services.contracting.domain.criteria import QUALITY
from services.contracting.service_layer.base import Call, event, load_tender, record

ASSIGNABLE = (tender_status.DRAFT, *tender_status.BIDDING, tender_status.EVALUATION)


def members(session, tender_id: int) -> list[CommitteeMember]:
    query = select(CommitteeMember).where(CommitteeMember.tender_id == tender_id).order_by(CommitteeMember.id)
    return list(session.scalars(query))


def as_members(rows: list[CommitteeMember]) -> list[committee.Member]:
    return [committee.Member(row.evaluator, row.declaration) for row in rows]


def eligible_bids(session, tender_id: int) -> list[Bid]:
    query = select(Bid).where(Bid.tender_id == tender_id, Bid.status == "active", Bid.eligible.is_(True))
    return list(session.scalars(query.order_by(Bid.id)))


def quality_criteria(session, tender_id: int) -> list[Criterion]:
    query = select(Criterion).where(Criterion.tender_id == tender_id, Criterion.kind == QUALITY)
    return list(session.scalars(query.order_by(Criterion.number)))


def assign_members(call: Call, tender_id: int, evaluators: list[int]) -> list[CommitteeMember]:
    """Seat the authority's evaluators (registry user ids) on the committee; already seated ones stay as they are."""
    with call.uow:
        tender = load_tender(call, tender_id)
        if tender.status not in ASSIGNABLE or tender.scores_complete_at:
            raise InvalidTransition("tender", tender.status, "assign evaluators", list(ASSIGNABLE))
        seated = {m.evaluator for m in members(call.uow.session, tender.id)}
        # Stored as the evaluator's token subject, which is the user id as a string.
        new = [e for e in dict.fromkeys(str(e) for e in evaluators) if e not in seated]
        for evaluator in new:
            call.uow.session.add(
                CommitteeMember(
                    tender_id=tender.id,
                    evaluator=evaluator,
                    assigned_by=call.principal.subject,
                    assigned_at=call.now,
                    declaration=committee.UNDECLARED,
                )
            )
        if new:
            record(
                call,
                tender,
                "assign_evaluators",
                event(call, tender, evaluators=[committee.member_id(e) for e in new]),
                "evaluation.members_assigned",
            )
        call.uow.commit()
        return members(call.uow.session, tender.id)


def member_of(call: Call, tender: Tender) -> CommitteeMember:
    row = call.uow.session.scalars(
        select(CommitteeMember).where(
            CommitteeMember.tender_id == tender.id, CommitteeMember.evaluator == call.principal.subject
        )
    ).first()
    if row is None:
        raise Forbidden("you are not on this tender's evaluation committee")
    return row


def declare(call: Call, tender_id: int, has_conflict: bool, statement: str | None) -> CommitteeMember:
    """A member's conflict-of-interest declaration against the bidders; a conflict removes them."""
    with call.uow:
        tender = load_tender(call, tender_id)
        member = member_of(call, tender)
        if tender.status != tender_status.EVALUATION:
            raise InvalidTransition(
                "tender", tender.status, "declare conflicts of interest", [tender_status.EVALUATION]
            )
        if member.declaration != committee.UNDECLARED:
            raise Conflict(f"you already declared: {member.declaration}", declaration=member.declaration)
        if has_conflict and not statement:
            raise Invalid("statement", "describe the conflict of interest")
        member.declaration = committee.CONFLICT if has_conflict else committee.CLEAR
        member.statement, member.declared_at = statement, call.now
        seated = as_members(members(call.uow.session, tender.id))
        blocker = committee.scoring_blocker(seated, tender.committee_size)
        evaluator = committee.member_id(member.evaluator)
        payload = event(call, tender, evaluator=evaluator, has_conflict=has_conflict, scoring_blocked=blocker)
        record(call, tender, "declare", payload, "evaluation.conflict_declared")
        check_scores_complete(call, tender)
        call.uow.commit()
        return member


def cleared_member(call: Call, tender: Tender) -> CommitteeMember:
    """The caller as a member who may read bids and score: declared, and without a conflict."""
    member = member_of(call, tender)
    if member.declaration == committee.UNDECLARED:
        raise Conflict("declare your conflicts of interest against the bidders before reading or scoring bids")
    if member.declaration == committee.CONFLICT:
        raise Forbidden("you declared a conflict of interest: you are off this tender's committee")
    return member


def submit_scores(call: Call, tender_id: int, scores: list[dict]) -> list[Score]:
    """The caller's own quality scores (0-100, each with its justification); revisable until all are in."""
    with call.uow:
        tender = load_tender(call, tender_id)
        member = cleared_member(call, tender)
        if tender.status != tender_status.EVALUATION:
            raise InvalidTransition("tender", tender.status, "score", [tender_status.EVALUATION])
        blocker = committee.scoring_blocker(as_members(members(call.uow.session, tender.id)), tender.committee_size)
        if blocker:
            raise Conflict(blocker)
        if tender.scores_complete_at:
            raise Conflict("every member has scored: scores are final and open to the committee")
        _check_targets(call, tender, scores)
        for entry in scores:
            _upsert(call, tender, member.evaluator, entry)
        scored = event(call, tender, evaluator=committee.member_id(member.evaluator), count=len(scores))
        record(call, tender, "score", scored)
        check_scores_complete(call, tender)
        call.uow.commit()
        return _own_scores(call, tender, member.evaluator)


def _check_targets(call: Call, tender: Tender, scores: list[dict]) -> None:
    bid_ids = {b.id for b in eligible_bids(call.uow.session, tender.id)}
    criterion_ids = {c.id for c in quality_criteria(call.uow.session, tender.id)}
    for entry in scores:
        if entry["bid_id"] not in bid_ids:
            raise Invalid("scores", f"bid {entry['bid_id']} is not an eligible bid of this tender")
        if entry["criterion_id"] not in criterion_ids:
            raise Invalid("scores", f"criterion {entry['criterion_id']} is not a quality criterion of this tender")


def _upsert(call: Call, tender: Tender, evaluator: str, entry: dict) -> None:
    row = call.uow.session.scalars(
        select(Score).where(
            Score.bid_id == entry["bid_id"], Score.criterion_id == entry["criterion_id"], Score.evaluator == evaluator
        )
    ).first()
    if row is None:
        row = Score(
            tender_id=tender.id, evaluator=evaluator, bid_id=entry["bid_id"], criterion_id=entry["criterion_id"]
        )
        call.uow.session.add(row)
    row.score, row.justification, row.scored_at = entry["score"], entry["justification"], call.now


def _own_scores(call: Call, tender: Tender, evaluator: str) -> list[Score]:
    query = select(Score).where(Score.tender_id == tender.id, Score.evaluator == evaluator).order_by(Score.id)
    return list(call.uow.session.scalars(query))


def scored_keys(session, tender_id: int) -> set[tuple[str, int, int]]:
    rows = session.execute(
        select(Score.evaluator, Score.bid_id, Score.criterion_id).where(Score.tender_id == tender_id)
    )
    return {tuple(row) for row in rows}


def missing(session, tender: Tender) -> int:
    bids = {b.id for b in eligible_bids(session, tender.id)}
    criteria = {c.id for c in quality_criteria(session, tender.id)}
    return committee.missing_scores(
        as_members(members(session, tender.id)), bids, criteria, scored_keys(session, tender.id)
    )


def check_scores_complete(call: Call, tender: Tender) -> None:
    """Emit evaluation.scores_complete once, when the last needed score is in (at once for price-only criteria).

    With no eligible bid there is nothing to score and no event: the award decision may be taken at once
    (and finds the call unsuccessful).
    """
    session = call.uow.session
    session.flush()
    if tender.scores_complete_at or tender.status != tender_status.EVALUATION:
        return
    bids = {b.id for b in eligible_bids(session, tender.id)}
    if not bids:
        return
    criteria = {c.id for c in quality_criteria(session, tender.id)}
    seated = as_members(members(session, tender.id))
    if not criteria or committee.all_scored(
        seated, tender.committee_size, bids, criteria, scored_keys(session, tender.id)
    ):
        tender.scores_complete_at = call.now
        sitting = [committee.member_id(m.subject) for m in committee.sitting(seated)]
        payload = event(call, tender, bids_eligible=len(bids), evaluators=sitting)
        record(call, tender, "scores_complete", payload, "evaluation.scores_complete")


def bidders(session, tender_id: int) -> list[dict]:
    """Who bid (for the conflict-of-interest declaration), with names from the replica."""
    ids = set(session.scalars(select(Bid.provider_id).where(Bid.tender_id == tender_id, Bid.status == "active")))
    replica = session.scalars(select(ProviderReplica).where(ProviderReplica.provider_id.in_(ids)))
    names = {p.provider_id: p.legal_name for p in replica}
    return [{"provider_id": p, "legal_name": names.get(p)} for p in sorted(ids)]
