"""What waits for the department on its contracts, a call's complaints, and a call's history as a timeline."""

from __future__ import annotations

from services.portal.domain import call_history
from services.portal.domain import department_award_contracts as contracts


def a_contract(contract_id, status="active", allowed=(), signed=None):
    return {
        "id": contract_id,
        "status": status,
        "allowed_actions": list(allowed),
        "signatures": {"authority": {"signed_at": signed} if signed else None},
    }


def test_the_department_signs_only_what_it_has_not_signed():
    assert contracts.awaits_our_signature(a_contract(1, "pending", ["sign"]))
    assert not contracts.awaits_our_signature(a_contract(1, "pending", ["sign"], signed="2026-12-01T10:00:00+00:00"))
    assert not contracts.awaits_our_signature(a_contract(1, "active", ["amend"]))


def test_reports_to_review_come_oldest_first_and_the_rest_newest_first():
    reports = [
        {"id": 1, "status": "accepted", "submitted_at": "2026-01-01"},
        {"id": 2, "status": "submitted", "submitted_at": "2026-03-01"},
        {"id": 3, "status": "submitted", "submitted_at": "2026-02-01"},
        {"id": 4, "status": "returned", "submitted_at": "2026-02-15"},
    ]
    assert [r["id"] for r in contracts.reports_to_review(reports)] == [3, 2]
    assert [r["id"] for r in contracts.reviewed_reports(reports)] == [4, 1]


def test_the_list_puts_signatures_and_renewal_proposals_first():
    due = [{"contract": {"id": 3}, "proposal": {"status": "proposed", "months": 12}}]
    listed = [a_contract(1), a_contract(2, "pending", ["sign"]), a_contract(3), a_contract(4, "expired")]
    order = [s.contract["id"] for s in contracts.summaries(listed, due)]
    assert order == [3, 2, 1, 4]
    assert contracts.open_proposal({"proposal": {"status": "confirmed"}}) is None


def test_the_successor_comes_from_the_coverage_view():
    coverage = [{"contract_id": 5, "successor": None}, {"contract_id": 6, "successor": {"kind": "tender", "id": 9}}]
    assert contracts.successor(coverage, 6) == {"kind": "tender", "id": 9}
    assert contracts.successor(coverage, 5) is None and contracts.successor(coverage, 7) is None


def test_pending_complaints_come_first():
    found = [{"id": 1, "status": "rejected", "filed_at": "a"}, {"id": 2, "status": "pending", "filed_at": "b"}]
    assert [c["id"] for c in contracts.pending_complaints_first(found)] == [2, 1]


def test_an_indicator_code_is_made_from_its_name():
    assert contracts.kpi_code("Vizite la domiciliu", set()) == "vizite_la_domiciliu"
    assert contracts.kpi_code("Vizite la domiciliu", {"vizite_la_domiciliu"}) == "vizite_la_domiciliu_2"
    assert contracts.kpi_code("Посещения", set()) == "kpi"
    assert contracts.kpi_code("24/7 line", set()) == "kpi_24_7_line"


def test_the_timeline_reads_actors_and_marks_the_break():
    audit = {
        "first_break": 2,
        "entries": [
            {"seq": 2, "actor": "bidder (sealed)", "action": "sealed_bid", "at": None, "sealed": True},
            {"seq": 1, "actor": "authority:21", "action": "create", "at": "2026-11-20T10:00:00+00:00", "sealed": False},
            {"seq": 3, "actor": "service:flows", "action": "close_submissions", "at": "2026-11-21T10:00:00+00:00"},
            {"seq": 4, "actor": "asker (anonymous)", "action": "ask", "at": "2026-11-21T11:00:00+00:00"},
        ],
    }
    moments = call_history.timeline(audit)
    assert [m.seq for m in moments] == [1, 2, 3, 4]
    assert [m.actor.kind for m in moments] == ["authority", "sealed", "service", "anonymous"]
    assert call_history.user_ids(moments) == {21}
    assert call_history.sealed_count(moments) == 1 and moments[1].broken and moments[1].at is None


def test_the_verification_is_read_from_the_answer():
    broken = call_history.verification(
        {
            "intact": False,
            "entries": 4,
            "first_broken": {"seq": 3, "action": "score", "problem": "x"},
            "unanchored": [{}],
        }
    )
    assert (broken.intact, broken.broken_seq, broken.unanchored) == (False, 3, 1)
    assert call_history.verification({"intact": True, "entries": 4, "head_hash": "ab"}).head_hash == "ab"
