"""What the renewal sweep decides per contract and how it summarises the continuity watch (no servers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.renewal_sweep import (
    AWAIT_AUTHORITY,
    PROPOSE,
    RETENDER,
    at_risk_rows,
    decision_for,
    overdue,
    summary_markdown,
)


def entry(contract_id, district, service, risk, days_left, covered=False, places=10, successor=None) -> dict:
    return {
        "contract_id": contract_id,
        "district_code": district,
        "service_type": service,
        "risk": risk,
        "days_left": days_left,
        "covered": covered,
        "places": places,
        "end_at": f"2027-01-{days_left:02d}T00:00:00+00:00",
        "successor": successor,
    }


def test_an_open_proposal_is_left_to_the_authority_otherwise_the_recommendation_is_followed():
    assert decision_for({"proposal": {"id": 4}, "recommendation": {"action": "renew"}}) == AWAIT_AUTHORITY
    assert decision_for({"proposal": None, "recommendation": {"action": "renew"}}) == PROPOSE
    assert decision_for({"proposal": None, "recommendation": {"action": "re-tender"}}) == RETENDER


def test_at_risk_groups_uncovered_contracts_by_district_and_service_worst_first():
    late = {"kind": "tender", "id": 9, "ready_at": "2027-02-01T00:00:00+00:00"}
    entries = [
        entry(1, "MD-CU", "home-care", "medium", 80),
        entry(2, "MD-CU", "home-care", "critical", 20, places=5, successor=late),
        entry(3, "MD-BA", "day-centre", "high", 45),
        entry(4, "MD-OR", "respite-care", "none", 10, covered=True),
        entry(5, "MD-IA", "home-care", "low", 120),
    ]
    rows = at_risk_rows(entries)
    assert [(r["district"], r["risk"], r["contracts"], r["places"], r["days_left"]) for r in rows] == [
        ("MD-CU", "critical", "1, 2", 15, 20),
        ("MD-BA", "high", "3", 10, 45),
    ]
    assert rows[0]["successor"] == "tender 9" and rows[1]["successor"] == "none"


def test_the_summary_names_every_decision_and_says_so_when_nothing_is_at_risk():
    decisions = [{"contract_id": 7, "district": "MD-CU", "service": "home-care", "outcome": "renewal proposed"}]
    text = summary_markdown("2027-01-01T06:00:00+00:00", {"expired": [3], "expiring": []}, decisions, [])
    assert "contract 7 (MD-CU home-care): renewal proposed" in text
    assert "contracts expired: 1" in text and "Every contract ending inside 90 days has a successor" in text
    table = summary_markdown(
        "now", {"expired": [], "expiring": []}, [], at_risk_rows([entry(1, "MD-CU", "x", "high", 40)])
    )
    assert "| district | service | risk |" in table and "| MD-CU | x | high | 1 |" in table


def test_only_calls_the_clock_should_have_moved_long_ago_are_caught_up():
    now = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)

    def call(status, minutes_ago):
        due = (now - timedelta(minutes=minutes_ago)).isoformat()
        return {"status": status, "next_check": {"action": "x", "due_at": due}}

    calls = [
        call("active.tendering", 90),
        call("active.standstill", 5),
        call("active.evaluation", 500),
        {"status": "active.enquiries", "next_check": None},
    ]
    assert overdue(calls, now, timedelta(minutes=30)) == [calls[0]]
