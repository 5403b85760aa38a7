"""Continuity rules without a database: what covers an end, how risky a gap is, and which alerts are due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.contracting.domain import continuity
from services.contracting.domain.contracts import TermRules

END = datetime(2027, 12, 16, tzinfo=UTC)


def test_a_successor_covers_only_if_in_place_by_the_end_and_still_running_after_it():
    late = continuity.Successor("tender", 1, END + timedelta(days=1))
    over = continuity.Successor("contract", 2, END - timedelta(days=300), END - timedelta(days=1))
    good = continuity.Successor("contract", 3, END, END + timedelta(days=365))
    assert continuity.covering(END, [late, over]) is None
    assert continuity.covering(END, [late, over, good]) == good


def test_risk_rises_as_the_uncovered_end_approaches():
    levels = [continuity.risk(END, END - timedelta(days=d), covered=False) for d in (120, 90, 45, 10)]
    assert levels == ["low", "medium", "high", "critical"]
    assert continuity.risk(END, END - timedelta(days=10), covered=True) == "none"


def test_each_threshold_alerts_once_and_the_tightest_new_one_is_announced():
    first = continuity.decide_alerts(False, continuity.crossed(END, END - timedelta(days=25)), set(), False)
    assert first.new_thresholds == [90, 60, 30] and first.emit_at_risk == 30
    again = continuity.decide_alerts(False, [90, 60, 30], {90, 60, 30}, True)
    assert again.emit_at_risk is None and not again.emit_restored


def test_cover_or_a_renewal_out_of_every_threshold_restores_open_alerts():
    assert continuity.decide_alerts(True, [90], {90}, True).emit_restored
    assert continuity.decide_alerts(False, [], {90}, True).emit_restored
    assert not continuity.decide_alerts(True, [90], {90}, False).emit_restored


def test_a_compressed_calendar_keeps_the_thresholds_in_proportion_to_its_month():
    terms = TermRules(month_override=timedelta(seconds=6))  # the demo's month: a day is 0.2 s
    assert terms.day == timedelta(seconds=0.2)
    assert continuity.crossed(END, END - timedelta(seconds=11), terms.day) == [90, 60]
    assert continuity.risk(END, END - timedelta(seconds=30), False, terms.day) == "low"
    assert TermRules().day == timedelta(days=1)
