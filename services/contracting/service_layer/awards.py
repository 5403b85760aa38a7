"""Award use cases: rank and decide, cascade when a winner falls away, activate at the standstill end."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.errors import Conflict, Forbidden, NotFound
from services.contracting.adapters.orm_evaluation import Award, Bid, Score
from services.contracting.adapters.orm_tendering import Criterion, Lot, Tender
from services.contracting.domain import awards as rules
from services.contracting.domain import bids as bid_rules
from services.contracting.domain import committee, eligibility, ranking, tender_status
from services.contracting.domain.contracts import TermRules
from services.contracting.domain.criteria import Criterion as CriterionFacts
from services.contracting.service_layer import evaluation
from services.contracting.service_layer.base import Call, event, load_tender, money, record, utc
from services.contracting.service_layer.eligibility import accreditations_of


def complete_evaluation(call: Call, tender_id: int, terms: TermRules | None = None) -> Tender:
    """Rank every lot, award by rank while places and budget remain; standstill, or unsuccessful if none.

    ``terms`` (how long a contract month is) dates the contract each award would make, for its accreditation check.
    """
    with call.uow:
        tender = load_tender(call, tender_id)
        tender_status.transition(tender.status, "rank")  # refuses with 409 outside evaluation
        _check_scoring_done(call, tender)
        new_awards = [a for lot in call.tenders.lots(tender.id) for a in _decide_lot(call, tender, lot, terms)]
        live = _live_awards(call, tender)
        bidders = bidder_results(call, tender)
        result = "awarded" if live else "unsuccessful"
        tender.status = tender_status.transition(tender.status, "rank" if live else "declare_unsuccessful")
        tender.decided_at = tender.decided_at or call.now
        tender.standstill_end = call.now + call.rules.standstill(tender.standstill_days) if live else None
        completed = event(call, tender, result=result, bidders=bidders)
        record(call, tender, "complete_evaluation", completed, "evaluation.completed")
        if live:
            decided = event(call, tender, **_decision(tender, new_awards, live, bidders))
            record(call, tender, "decide_awards", decided, "award.decided")
        else:
            # Its bidders are told each their result and why nobody won (a legal notice, like award.decided).
            reason = rules.unsuccessful_reason([bidder["result"] for bidder in bidders])
            unsuccessful = event(call, tender, reason=reason, bidders=bidders)
            record(call, tender, "declare_unsuccessful", unsuccessful, "tender.unsuccessful")
        _commit(call)
        return tender


def _check_scoring_done(call: Call, tender: Tender) -> None:
    if tender.scores_complete_at is None and evaluation.eligible_bids(call.uow.session, tender.id):
        blocker = committee.scoring_blocker(
            evaluation.as_members(evaluation.members(call.uow.session, tender.id)), tender.committee_size
        )
        still = evaluation.missing(call.uow.session, tender)
        raise Conflict(blocker or f"{still} score(s) are still missing from the committee", scores_missing=still)


def _decision(tender: Tender, new_awards: list[Award], live: list[Award], bidders: list[dict]) -> dict:
    return {
        "standstill_end": utc(tender.standstill_end).isoformat(),
        "awards": [award_view(a) for a in live],
        "new_award_ids": [a.id for a in new_awards],
        "bidders": bidders,
    }


def _commit(call: Call) -> None:
    try:
        call.uow.session.flush()
    except IntegrityError as exc:
        # The database's own guard: a second live award on the same lot slot or bid.
        raise Conflict("these places are already awarded (a concurrent decision won)") from exc
    call.uow.commit()


def rank_lot(call: Call, tender: Tender, lot: Lot) -> list[ranking.RankedBid]:
    session = call.uow.session
    criteria = [
        CriterionFacts(c.id, c.kind, c.name, c.weight, c.minimum)
        for c in session.scalars(select(Criterion).where(Criterion.tender_id == tender.id))
    ]
    bids = call.tenders.bids_on_lot(lot.id, bid_rules.ACTIVE)
    facts = [
        ranking.BidFacts(
            b.id, b.provider_id, b.price, b.places, utc(b.submitted_at), bool(b.eligible), b.eligibility_reason
        )
        for b in bids
    ]
    sitting = {m.subject for m in committee.sitting(evaluation.as_members(evaluation.members(session, tender.id)))}
    scores: dict[tuple[int, int], list] = {}
    for score in session.scalars(select(Score).where(Score.tender_id == tender.id)):
        if score.evaluator in sitting:
            scores.setdefault((score.bid_id, score.criterion_id), []).append(score.score)
    return ranking.rank_lot(criteria, facts, scores)


def _stored_ranking(call: Call, lot: Lot) -> list[ranking.RankedBid]:
    """The ranking the decision published: a cascade goes down it, it does not re-rank."""
    query = select(Bid).where(Bid.lot_id == lot.id, Bid.result == ranking.RANKED).order_by(Bid.rank)
    return [
        ranking.RankedBid(
            ranking.BidFacts(b.id, b.provider_id, b.price, b.places, utc(b.submitted_at), True), ranking.RANKED, b.rank
        )
        for b in call.uow.session.scalars(query)
    ]


def _decide_lot(call: Call, tender: Tender, lot: Lot, terms: TermRules | None) -> list[Award]:
    ranked = rank_lot(call, tender, lot)
    for entry in ranked:
        bid = call.uow.session.get(Bid, entry.bid.bid_id)
        bid.result, bid.rank, bid.result_reason = entry.result, entry.rank, entry.reason
        bid.total_score, bid.quality_total = entry.total, entry.quality_total
        bid.criterion_scores = {str(k): str(v) for k, v in entry.scores.items()}
    return _fill(call, tender, lot, ranked, terms)


def _fill(
    call: Call, tender: Tender, lot: Lot, ranked: list[ranking.RankedBid], terms: TermRules | None
) -> list[Award]:
    live = [a for a in _live_awards(call, tender) if a.lot_id == lot.id]
    capacity = rules.LotCapacity(lot.places, lot.budget, lot.max_awards)
    held = [rules.LiveAward(a.bid_id, a.places, a.value, a.slot) for a in live]
    choices = rules.fill_awards(ranked, capacity, held, _excluded(call, tender))
    new = [
        Award(
            tender_id=tender.id,
            lot_id=lot.id,
            bid_id=c.bid_id,
            provider_id=c.provider_id,
            slot=c.slot,
            rank=c.rank,
            places=c.places,
            value=c.value,
            status=rules.PENDING,
            created_at=call.now,
            accreditation_ends_before_contract=_term_warning(call, tender, lot, c.provider_id, terms),
        )
        for c in choices
    ]
    call.uow.session.add_all(new)
    call.uow.session.flush()
    return new


def _term_warning(call: Call, tender: Tender, lot: Lot, provider_id: int, terms: TermRules | None) -> dict | None:
    """Whether the winner's accreditation reaches the end of the contract this award would make.

    The contract starts the day after the standstill this decision opens (or at a re-tender's planned start) and
    runs the lot's months, as contract_making.create_contracts will date it; accreditation is counted from the deadline,
    where eligibility was checked.
    """
    terms = terms or TermRules()
    start = terms.default_start(call.now + call.rules.standstill(tender.standstill_days))
    link = call.tenders.succession(tender.id)
    planned = utc(link.planned_contract_start) if link else None
    end = terms.add_months(max(start, planned) if planned else start, lot.duration_months)
    accreditations = accreditations_of(call.uow.session, provider_id, tender.service_type)
    deadline = utc(tender.submission_deadline).date()
    return rules.term_warning(eligibility.term_gap(accreditations, provider_id, tender.service_type, deadline, end))


def _excluded(call: Call, tender: Tender) -> set[int]:
    """Bids that must not be awarded again: their award was cancelled (declined, disqualified, complained)."""
    return {award.bid_id for award in call.tenders.awards(tender.id, rules.CANCELLED)}


def _live_awards(call: Call, tender: Tender) -> list[Award]:
    return call.tenders.awards(tender.id, *rules.LIVE)


def bidder_results(call: Call, tender: Tender) -> list[dict]:
    """What each bidder learns: result, rank, total and per-criterion scores, and the reason when out."""
    session = call.uow.session
    session.flush()
    awarded = {a.bid_id for a in _live_awards(call, tender)}
    cancelled = _excluded(call, tender)
    bids = session.scalars(select(Bid).where(Bid.tender_id == tender.id, Bid.result.is_not(None)).order_by(Bid.id))
    out = []
    for bid in bids:
        result = rules.AWARDED if bid.id in awarded else bid.result
        if result == ranking.RANKED:
            result = "award_cancelled" if bid.id in cancelled else rules.NOT_AWARDED
        out.append(
            {
                "provider_id": bid.provider_id,
                "bid_id": bid.id,
                "lot_id": bid.lot_id,
                "result": result,
                "rank": bid.rank,
                "total_score": money(bid.total_score),
                "scores": bid.criterion_scores or {},
                "reason": bid.result_reason,
            }
        )
    return out


def award_view(award: Award) -> dict:
    return {
        "award_id": award.id,
        "lot_id": award.lot_id,
        "bid_id": award.bid_id,
        "provider_id": award.provider_id,
        "rank": award.rank,
        "places": award.places,
        "value": money(award.value),
        "status": award.status,
        "accreditation_ends_before_contract": award.accreditation_ends_before_contract,
    }


def cancel_award(
    call: Call, tender_id: int, award_id: int, reason: str, declined: bool, terms: TermRules | None = None
) -> Tender:
    """A winner declines or is disqualified: the award is cancelled and the next-ranked bid that fits gets one."""
    with call.uow:
        tender = load_tender(call, tender_id)
        award = call.uow.session.get(Award, award_id)
        if award is None or award.tender_id != tender.id:
            raise NotFound(f"award {award_id} does not exist")
        if declined and award.provider_id != call.principal.provider_id:
            raise Forbidden("only the winner may decline its award")
        if tender.status != tender_status.STANDSTILL or award.status not in rules.LIVE:
            raise Conflict(f"award {award_id} is {award.status} and the tender {tender.status}: it cannot be cancelled")
        _cancel(call, award, reason)
        if not declined:
            bid = call.uow.session.get(Bid, award.bid_id)
            bid.result, bid.result_reason = ranking.DISQUALIFIED, reason
        lot = call.uow.session.get(Lot, award.lot_id)
        replacement = _fill(call, tender, lot, _stored_ranking(call, lot), terms)
        cancelled = {**award_view(award), "reason": reason, "declined": declined}
        cancelled["replacement"] = award_view(replacement[0]) if replacement else None
        record(call, tender, "cancel_award", event(call, tender, **cancelled), "award.cancelled")
        _after_cascade(call, tender, replacement)
        _commit(call)
        return tender


def _after_cascade(call: Call, tender: Tender, replacement: list[Award]) -> None:
    live = _live_awards(call, tender)
    if not live:
        tender.status = tender_status.transition(tender.status, "declare_unsuccessful")
        tender.standstill_end = None
        unsuccessful = event(call, tender, reason=rules.AWARDS_CANCELLED, bidders=bidder_results(call, tender))
        record(call, tender, "declare_unsuccessful", unsuccessful, "tender.unsuccessful")
    elif replacement:
        # The new winner's award notice opens a fresh standstill for the others to complain in.
        tender.standstill_end = call.now + call.rules.standstill(tender.standstill_days)
        decided = event(call, tender, **_decision(tender, replacement, live, bidder_results(call, tender)))
        record(call, tender, "decide_awards", decided, "award.decided")


def _cancel(call: Call, award: Award, reason: str) -> None:
    award.status, award.cancelled_at, award.cancellation_reason = rules.CANCELLED, call.now, reason


def cancel_live_awards(call: Call, tender: Tender, reason: str) -> list[Award]:
    live = _live_awards(call, tender)
    for award in live:
        _cancel(call, award, reason)
    return live


def activate_awards(call: Call, tender: Tender) -> list[dict]:
    """At the standstill end the pending awards become active (contracts may then be prepared)."""
    live = _live_awards(call, tender)
    for award in live:
        award.status = rules.ACTIVE
    return [award_view(a) for a in live]


def live_awards(call: Call, tender: Tender) -> list[Award]:
    return _live_awards(call, tender)
