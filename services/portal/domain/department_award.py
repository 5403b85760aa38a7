"""A department's view of a call's evaluation: the committee's progress (who declared, who scored), each bid's scores
against the quality floor, the ranking (a preview worked out from the scores before the decision, the published
one after) and how the lot's places are split among the winners.

Contracting decides the award (POST /tenders/<id>/evaluation/complete) and publishes the ranking; the preview here
follows its published rules (domain/ranking.py and domain/awards.py of contracting, read through its API docs):
a quality criterion's score is the mean over the sitting members; a bid below a criterion's minimum is out; price
scores 100 x lowest price / price among the bids still in; weighted totals rank, ties by quality then by the
earlier bid; awards go by rank while places and budget remain, up to the lot's max_awards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.portal.domain.deadlines import parse_moment

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

UNDECLARED = "undeclared"
CLEAR = "clear"
CONFLICT = "conflict"

RANKED = "ranked"
DISQUALIFIED = "disqualified"
INELIGIBLE = "ineligible"

EVALUATION = "active.evaluation"
STANDSTILL = "active.standstill"
CONTRACT_PENDING = "active.contract_pending"
DECIDED = (STANDSTILL, CONTRACT_PENDING, "complete")


def decimal(value: object) -> Decimal | None:
    text = "" if value is None else str(value)
    return Decimal(text) if text else None


# --- The committee ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    declaration: str
    declared_at: datetime | None
    scored: int  # scores given (known once everyone has scored; before that the API shows no one's)


@dataclass(frozen=True)
class CommitteeProgress:
    size: int
    members: list[Member]
    sitting: int
    declared: int
    scoring_blocked: str | None
    scores_complete: bool
    scores_missing: int

    @property
    def seats_empty(self) -> int:
        return max(0, self.size - len(self.members))


def committee_progress(committee: dict, scores: dict | None, names: dict[int, str]) -> CommitteeProgress:
    given: dict[int, int] = {}
    for entry in (scores or {}).get("scores") or []:
        evaluator = int(entry["evaluator"])
        given[evaluator] = given.get(evaluator, 0) + 1
    members = [
        Member(
            user_id=int(row["evaluator"]),
            name=names.get(int(row["evaluator"])) or str(row["evaluator"]),
            declaration=row.get("declaration") or UNDECLARED,
            declared_at=parse_moment(row["declared_at"]) if row.get("declared_at") else None,
            scored=given.get(int(row["evaluator"]), 0),
        )
        for row in committee.get("members") or []
    ]
    return CommitteeProgress(
        size=int(committee.get("committee_size") or 0),
        members=members,
        sitting=int(committee.get("sitting") or 0),
        declared=sum(1 for member in members if member.declaration != UNDECLARED),
        scoring_blocked=committee.get("scoring_blocked"),
        scores_complete=bool((scores or {}).get("complete")),
        scores_missing=int((scores or {}).get("scores_missing") or 0),
    )


# --- Scores and the quality floor --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    criterion: dict
    mean: Decimal | None
    marks: list[dict]  # each evaluator's score and justification
    below_floor: bool


@dataclass(frozen=True)
class BidScores:
    bid: dict
    name: str
    criteria: list[CriterionScore]

    @property
    def below_floor(self) -> bool:
        return any(item.below_floor for item in self.criteria)


def quality_criteria(criteria: list[dict]) -> list[dict]:
    return sorted((c for c in criteria if c.get("kind") == "quality"), key=lambda c: c.get("number") or 0)


def mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT) if values else None


def score_sheet(criteria: list[dict], bids: list[dict], scores: list[dict], names: dict[int, str]) -> list[BidScores]:
    """Each eligible bid's quality scores: every evaluator's mark, the committee's mean and the criterion's floor."""
    by_pair: dict[tuple[int, int], list[dict]] = {}
    for entry in scores:
        by_pair.setdefault((int(entry["bid_id"]), int(entry["criterion_id"])), []).append(entry)
    sheet = []
    for bid in sorted(bids, key=lambda b: (b.get("lot_id") or 0, b["id"])):
        if bid.get("eligible") is False or bid.get("status") == "withdrawn":
            continue
        rows = []
        for criterion in quality_criteria(criteria):
            marks = by_pair.get((int(bid["id"]), int(criterion["id"])), [])
            average = mean([Decimal(str(mark["score"])) for mark in marks])
            floor = decimal(criterion.get("minimum"))
            rows.append(
                CriterionScore(criterion, average, marks, average is not None and floor is not None and average < floor)
            )
        sheet.append(BidScores(bid, names.get(int(bid["provider_id"])) or str(bid["provider_id"]), rows))
    return sheet


# --- The ranking preview and the capacity split ------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    bid: dict
    name: str
    result: str
    rank: int | None = None
    total: Decimal | None = None
    quality_total: Decimal | None = None
    scores: dict[int, Decimal] = field(default_factory=dict)
    reason: str | None = None
    proposed_places: int | None = None  # set on a proposed winner


@dataclass(frozen=True)
class LotPreview:
    lot: dict
    bids: list[Ranked]

    @property
    def winners(self) -> list[Ranked]:
        return [entry for entry in self.bids if entry.proposed_places]

    @property
    def places_awarded(self) -> int:
        return sum(entry.proposed_places or 0 for entry in self.bids)

    @property
    def value_awarded(self) -> Decimal:
        return sum((Decimal(str(entry.bid["price"])) for entry in self.winners), Decimal(0))


def rank_preview(
    criteria: list[dict], lots: list[dict], bids: list[dict], scores: list[dict], names: dict[int, str]
) -> list[LotPreview]:
    """What the award decision will most likely be, worked out from the committee's scores (a preview)."""
    by_pair: dict[tuple[int, int], list[Decimal]] = {}
    for entry in scores:
        by_pair.setdefault((int(entry["bid_id"]), int(entry["criterion_id"])), []).append(Decimal(str(entry["score"])))
    previews = []
    for lot in sorted(lots, key=lambda item: item.get("number") or 0):
        ours = [b for b in bids if b.get("lot_id") == lot["id"] and b.get("status") != "withdrawn"]
        ranked = _rank_lot(criteria, ours, by_pair, names)
        previews.append(LotPreview(lot, _fill(ranked, lot)))
    return previews


def _name(bid: dict, names: dict[int, str]) -> str:
    return names.get(int(bid["provider_id"])) or str(bid["provider_id"])


def _rank_lot(criteria, bids, by_pair, names) -> list[Ranked]:
    out = [
        Ranked(b, _name(b, names), INELIGIBLE, reason=b.get("eligibility_reason"))
        for b in bids
        if b.get("eligible") is False
    ]
    eligible = [b for b in bids if b.get("eligible") is not False]
    quality = {
        b["id"]: {c["id"]: mean(by_pair.get((int(b["id"]), int(c["id"])), [])) for c in quality_criteria(criteria)}
        for b in eligible
    }
    survivors = []
    for bid in eligible:
        failed = _below_floor(criteria, quality[bid["id"]])
        if failed:
            out.append(Ranked(bid, _name(bid, names), DISQUALIFIED, scores=quality[bid["id"]], reason=failed))
        else:
            survivors.append(bid)
    price_criteria = [c for c in criteria if c.get("kind") == "price"]
    lowest = min((Decimal(str(b["price"])) for b in survivors), default=None)
    ranked = []
    for bid in survivors:
        scores = dict(quality[bid["id"]])
        for criterion in price_criteria:
            scores[criterion["id"]] = (lowest / Decimal(str(bid["price"])) * HUNDRED).quantize(CENT)
        weighted = {c["id"]: (scores.get(c["id"]) or Decimal(0)) * int(c["weight"]) / HUNDRED for c in criteria}
        total = sum(weighted.values(), Decimal(0)).quantize(CENT)
        quality_total = sum((weighted[c["id"]] for c in quality_criteria(criteria)), Decimal(0)).quantize(CENT)
        ranked.append(Ranked(bid, _name(bid, names), RANKED, total=total, quality_total=quality_total, scores=scores))
    ranked.sort(key=lambda r: (-r.total, -r.quality_total, r.bid.get("submitted_at") or "", r.bid["id"]))
    numbered = [Ranked(r.bid, r.name, RANKED, i, r.total, r.quality_total, r.scores) for i, r in enumerate(ranked, 1)]
    return numbered + out


def _below_floor(criteria: list[dict], scores: dict) -> str | None:
    for criterion in quality_criteria(criteria):
        floor = decimal(criterion.get("minimum"))
        got = scores.get(criterion["id"])
        if floor is not None and got is not None and got < floor:
            return criterion.get("name")
    return None


def _fill(ranked: list[Ranked], lot: dict) -> list[Ranked]:
    """Places by rank while places and budget remain, up to the lot's max_awards (a bid that does not fit is
    passed over)."""
    places_left = int(lot.get("places") or 0)
    budget_left = decimal(lot.get("budget"))
    slots = int(lot.get("max_awards") or 1)
    filled = []
    for entry in ranked:
        places, price = int(entry.bid.get("places") or 0), Decimal(str(entry.bid.get("price") or 0))
        fits = places <= places_left and (budget_left is None or price <= budget_left)
        if entry.result == RANKED and slots > 0 and fits:
            entry = Ranked(**{**entry.__dict__, "proposed_places": places})
            places_left -= places
            budget_left = None if budget_left is None else budget_left - price
            slots -= 1
        filled.append(entry)
    return filled


# --- After the decision: the published ranking and the awards -----------------------------------------------------


@dataclass(frozen=True)
class LotAwards:
    lot: dict
    ranking: list[dict]  # the published ranking's bids, best first
    awards: list[dict]  # live awards (pending in the standstill, active after), best rank first
    cancelled: list[dict]

    @property
    def places_awarded(self) -> int:
        return sum(int(a.get("places") or 0) for a in self.awards)

    @property
    def value_awarded(self) -> Decimal:
        return sum((Decimal(str(a.get("value") or 0)) for a in self.awards), Decimal(0))

    @property
    def awarded_bids(self) -> set[int]:
        return {int(a["bid_id"]) for a in self.awards if a.get("bid_id") is not None}

    def result_of(self, entry: dict) -> str:
        """A ranked bid is awarded (it holds a live award) or ranked but not awarded; other results as published."""
        if entry.get("bid_id") in self.awarded_bids:
            return "awarded"
        return "not_awarded" if entry.get("result") == RANKED else entry.get("result") or ""

    @property
    def places_left(self) -> int:
        return max(0, int(self.lot.get("places") or 0) - self.places_awarded)


def decided_lots(lots: list[dict], ranking: dict | None, awards: list[dict]) -> list[LotAwards]:
    by_lot = {entry["lot_id"]: entry.get("bids") or [] for entry in (ranking or {}).get("lots") or []}
    found = []
    for lot in sorted(lots, key=lambda item: item.get("number") or 0):
        ours = [a for a in awards if a.get("lot_id") == lot["id"]]
        live = sorted((a for a in ours if a.get("status") in ("pending", "active")), key=lambda a: a.get("rank") or 0)
        gone = [a for a in ours if a.get("status") not in ("pending", "active")]
        found.append(LotAwards(lot, by_lot.get(lot["id"], []), live, gone))
    return found


def may_decide(tender: dict, progress: CommitteeProgress) -> bool:
    """The decision is the department's once every sitting member has scored (the API refuses it before)."""
    return (
        tender.get("status") == EVALUATION
        and progress.scores_complete
        and "rank" in (tender.get("allowed_actions") or [])
    )


def may_make_contracts(tender: dict) -> bool:
    return tender.get("status") == CONTRACT_PENDING
