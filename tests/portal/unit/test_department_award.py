"""The department's view of an evaluation: committee progress, the score sheet against the quality floor, the
ranking preview and its capacity split, the decided lots."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain import department_award as award

CRITERIA = [
    {"id": 1, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
    {"id": 2, "number": 2, "kind": "quality", "name": "Calitate", "weight": 60, "minimum": "60.00"},
]
LOT = {"id": 5, "number": 1, "places": 10, "budget": "100000.00", "max_awards": 2}


def a_bid(bid_id, provider, price, places=5, eligible=True, at="2026-11-30T10:00:00+00:00"):
    return {
        "id": bid_id,
        "lot_id": 5,
        "provider_id": provider,
        "price": price,
        "places": places,
        "eligible": eligible,
        "submitted_at": at,
        "status": "active",
    }


def marks(bid_id, *values):
    return [
        {"bid_id": bid_id, "criterion_id": 2, "evaluator": 30 + i, "score": str(v), "justification": "ok"}
        for i, v in enumerate(values)
    ]


def test_committee_progress_counts_declarations_and_each_members_scores():
    committee = {
        "committee_size": 3,
        "sitting": 2,
        "members": [
            {"evaluator": 30, "declaration": "clear", "declared_at": "2026-12-01T10:00:00+00:00"},
            {"evaluator": 31, "declaration": "conflict", "declared_at": "2026-12-01T10:00:00+00:00"},
        ],
    }
    progress = award.committee_progress(committee, {"complete": True, "scores": marks(70, 80)}, {30: "Ana"})
    assert progress.declared == 2 and progress.seats_empty == 1
    assert [(m.name, m.scored) for m in progress.members] == [("Ana", 1), ("31", 0)]
    assert progress.scores_complete


def test_the_score_sheet_takes_the_mean_and_flags_a_bid_under_the_floor():
    bids = [a_bid(70, 3, "50000"), a_bid(71, 4, "40000"), a_bid(72, 6, "45000", eligible=False)]
    sheet = award.score_sheet(CRITERIA, bids, marks(70, 80, 91) + marks(71, 50, 65), {3: "Speranța"})
    assert [item.bid["id"] for item in sheet] == [70, 71]  # the ineligible bid was never scored
    assert sheet[0].criteria[0].mean == Decimal("85.50") and not sheet[0].below_floor
    assert sheet[1].criteria[0].mean == Decimal("57.50") and sheet[1].below_floor


def test_the_preview_ranks_after_the_floor_and_splits_places_up_to_max_awards():
    bids = [a_bid(70, 3, "50000"), a_bid(71, 4, "40000"), a_bid(72, 6, "45000", places=6), a_bid(73, 7, "30000")]
    scores = marks(70, 90) + marks(71, 50) + marks(72, 80) + marks(73, 70)
    (lot,) = award.rank_preview(CRITERIA, [LOT], bids, scores, {})
    ranked = [(e.bid["id"], e.result, e.rank) for e in lot.bids]
    # 71 is below the 60 floor, so the lowest price among the rest is 73's 30000 (not 71's 40000).
    assert ranked[-1] == (71, "disqualified", None)
    first = lot.bids[0]
    assert first.bid["id"] == 73 and first.total == Decimal("82.00")  # 70*0.6 + 100*0.4
    # Places by rank: 73 takes 5, 70 (rank 2, 5 places) fits; 72 would need 6 of the 0 left.
    assert [(e.bid["id"], e.proposed_places) for e in lot.winners] == [(73, 5), (70, 5)]
    assert lot.places_awarded == 10 and lot.value_awarded == Decimal("80000")


def test_a_bid_over_the_remaining_budget_is_passed_over():
    lot = {**LOT, "budget": "60000.00", "max_awards": 3}
    bids = [a_bid(70, 3, "50000", places=3), a_bid(71, 4, "20000", places=3), a_bid(72, 5, "10000", places=3)]
    scores = marks(70, 100) + marks(71, 61) + marks(72, 61)
    (preview,) = award.rank_preview(CRITERIA, [lot], bids, scores, {})
    assert sorted(e.bid["id"] for e in preview.winners) == [70, 72]


def test_decided_lots_sum_live_awards_and_keep_cancelled_ones_apart():
    awards = [
        {"id": 1, "lot_id": 5, "rank": 2, "places": 4, "value": "20000", "status": "pending"},
        {"id": 2, "lot_id": 5, "rank": 1, "places": 5, "value": "25000", "status": "active"},
        {"id": 3, "lot_id": 5, "rank": 3, "places": 5, "value": "25000", "status": "cancelled"},
    ]
    (lot,) = award.decided_lots([LOT], {"lots": [{"lot_id": 5, "bids": [{"bid_id": 9}]}]}, awards)
    assert [a["id"] for a in lot.awards] == [2, 1] and [a["id"] for a in lot.cancelled] == [3]
    assert (lot.places_awarded, lot.value_awarded, lot.places_left) == (9, Decimal("45000"), 1)


def test_a_ranked_bid_is_awarded_only_while_it_holds_a_live_award():
    awards = [
        {"id": 1, "lot_id": 5, "bid_id": 70, "rank": 1, "places": 5, "value": "1", "status": "pending"},
        {"id": 2, "lot_id": 5, "bid_id": 71, "rank": 2, "places": 5, "value": "1", "status": "cancelled"},
    ]
    (lot,) = award.decided_lots([LOT], None, awards)
    assert lot.result_of({"bid_id": 70, "result": "ranked"}) == "awarded"
    assert lot.result_of({"bid_id": 71, "result": "ranked"}) == "not_awarded"
    assert lot.result_of({"bid_id": 72, "result": "disqualified"}) == "disqualified"


def test_the_decision_waits_for_every_score():
    committee = {"committee_size": 3, "members": []}
    done = award.committee_progress(committee, {"complete": True, "scores": []}, {})
    waiting = award.committee_progress(committee, {"complete": False, "scores_missing": 2}, {})
    tender = {"status": "active.evaluation", "allowed_actions": ["rank", "cancel"]}
    assert award.may_decide(tender, done) and not award.may_decide(tender, waiting)
    assert not award.may_decide({**tender, "status": "active.standstill"}, done)
    assert award.decimal(None) is None and award.decimal("") is None and award.decimal("1.5") == Decimal("1.5")
