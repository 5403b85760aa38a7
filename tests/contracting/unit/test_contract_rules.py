"""Contract rules without a database: the state machine, terms in months, milestones that add up, change limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.common.errors import Conflict, Invalid, InvalidTransition
from services.contracting.domain import contracts, milestones

START = datetime(2026, 12, 16, tzinfo=UTC)


def test_a_contract_month_ends_on_the_same_day_or_the_month_s_last_day():
    terms = contracts.TermRules()
    assert terms.add_months(START, 12) == datetime(2027, 12, 16, tzinfo=UTC)
    assert terms.add_months(datetime(2027, 1, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)


def test_the_demo_s_short_month_compresses_the_whole_term():
    terms = contracts.TermRules(month_override=timedelta(minutes=2))
    assert terms.add_months(START, 12) == START + timedelta(minutes=24)
    assert terms.default_start(START) == START


def test_a_contract_drawn_up_after_the_standstill_starts_when_it_is_drawn_up_never_in_the_past():
    late = START + timedelta(days=3, hours=15)
    assert contracts.TermRules().default_start(START, drawn_up_at=START + timedelta(hours=2)) == START + timedelta(
        days=1
    )
    assert contracts.TermRules().default_start(START, drawn_up_at=late) == START + timedelta(days=4)
    compressed = contracts.TermRules(month_override=timedelta(seconds=5))
    # the demo's standstill-end run delayed two minutes by a killed Prefect server: the 60 s contract still runs
    assert compressed.default_start(START, drawn_up_at=START + timedelta(minutes=2)) == START + timedelta(minutes=2)
    assert compressed.default_start(START, drawn_up_at=START - timedelta(seconds=1)) == START


def test_milestone_amounts_add_up_to_the_value_to_the_ban():
    plan = milestones.generate(contracts.TermRules(), START, START.replace(year=2027), Decimal("1000.00"), "quarterly")
    assert [p.amount for p in plan] == [Decimal("250.00")] * 4
    odd = milestones.split(Decimal("100.00"), 3)
    assert odd == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")] and sum(odd) == Decimal("100.00")


def test_a_hand_written_schedule_must_add_up_and_stay_inside_the_term():
    end = START + timedelta(days=60)
    good = [milestones.Period(1, START, end, Decimal("10.00"))]
    milestones.check_schedule(good, START, end, Decimal("10.00"))
    with pytest.raises(Invalid, match="add up"):
        milestones.check_schedule(good, START, end, Decimal("11.00"))
    with pytest.raises(Invalid, match="ends after"):
        milestones.check_schedule(good, START, end - timedelta(days=1), Decimal("10.00"))


def test_a_value_change_is_spread_over_open_milestones_exactly():
    assert milestones.spread(Decimal("-10.00"), [Decimal("100.00"), Decimal("100.00"), Decimal("100.00")]) == [
        Decimal("96.67"),
        Decimal("96.67"),
        Decimal("96.66"),
    ]
    with pytest.raises(Invalid):
        milestones.spread(Decimal("5.00"), [])


def test_signing_twice_for_the_same_side_is_refused_and_both_sides_make_it_whole():
    signed = contracts.sign(contracts.AUTHORITY, set())
    assert not contracts.fully_signed(signed)
    assert contracts.fully_signed(contracts.sign(contracts.PROVIDER, signed))
    with pytest.raises(Conflict):
        contracts.sign(contracts.AUTHORITY, signed)


def test_illegal_contract_transitions_name_the_current_status_and_what_is_allowed():
    with pytest.raises(InvalidTransition) as refused:
        contracts.transition(contracts.CANCELLED, "sign")
    assert refused.value.details == {"current_status": "cancelled", "allowed_transitions": []}
    assert contracts.allowed_actions(contracts.ACTIVE) == ["amend", "expire", "report", "retender", "terminate"]


def test_changes_beyond_the_configured_share_are_refused():
    contracts.check_change("value", Decimal("100.00"), Decimal("120.00"), Decimal(20))
    with pytest.raises(Invalid, match="at most 20%"):
        contracts.check_change("places", Decimal(40), Decimal(49), Decimal(20))


def test_a_report_is_late_after_its_due_time_whether_filed_or_not():
    due = START + timedelta(days=15)
    assert not milestones.is_late(due, due, due + timedelta(days=3))
    assert milestones.is_late(due, None, due + timedelta(seconds=1))
    assert not milestones.is_late(due, None, due - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("call_title", "lot_title", "title"),
    [
        ("Îngrijire la domiciliu, Ciocana", "Îngrijire la domiciliu, Ciocana", "Îngrijire la domiciliu, Ciocana"),
        ("Îngrijire la domiciliu, Ciocana", "Lotul 2: satele", "Îngrijire la domiciliu, Ciocana — Lotul 2: satele"),
        ("Centru de zi", " centru de zi ", "Centru de zi"),
    ],
)
def test_a_contract_is_named_after_its_call_and_its_lot_only_when_the_lot_has_a_name_of_its_own(
    call_title, lot_title, title
):
    assert contracts.contract_title(call_title, lot_title) == title
