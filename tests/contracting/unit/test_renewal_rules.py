"""Renewal policy without a database: the recommendation and its reasons, limits, and the re-tender timetable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.contracting.domain import renewal

POLICY = renewal.RenewalPolicy()
NOW = datetime(2027, 9, 27, tzinfo=UTC)


def facts(**changes) -> renewal.Performance:
    base = {
        "reports_due": 8,
        "reports_due_accepted": 8,
        "kpis": [renewal.Kpi("beneficiaries_served", Decimal(40)), renewal.Kpi("visits", Decimal(100))],
        "accepted_values": [{"beneficiaries_served": Decimal(38), "visits": Decimal(120)}],
        "renewals_done": 0,
        "total_months": 12,
        "extension_months": 12,
    }
    base.update(changes)
    return renewal.Performance(**base)


def test_good_performance_with_limits_left_is_recommended_for_renewal():
    advice = renewal.recommend(POLICY, facts())
    assert advice.action == renewal.RENEW and advice.kpi_attainment_percent == Decimal("95.00")
    assert advice.renewals_left == 2 and advice.months_left == 48


def test_the_weakest_kpi_decides_and_a_missing_report_means_re_tender():
    weak = renewal.recommend(
        POLICY, facts(accepted_values=[{"beneficiaries_served": Decimal(40), "visits": Decimal(80)}])
    )
    assert weak.action == renewal.RETENDER and "below threshold: KPI attainment 80.00%" in weak.reasons[1]
    missing = renewal.recommend(POLICY, facts(reports_due_accepted=7))
    assert missing.action == renewal.RETENDER and missing.reasons[0].startswith("not all due reports accepted")
    nothing = renewal.recommend(POLICY, facts(accepted_values=[]))
    assert nothing.kpi_attainment_percent is None and not nothing.checks["kpi_threshold_met"]


def test_renewals_stop_at_the_maximum_count_and_total_duration():
    assert renewal.recommend(POLICY, facts(renewals_done=2)).action == renewal.RETENDER
    assert renewal.hard_limits(POLICY, 2, 36, 12).startswith("the contract has been renewed 2")
    assert "maximum of 60" in renewal.hard_limits(POLICY, 1, 54, 12)
    assert renewal.extension_months(POLICY, None, 12, 54) == 6


def test_the_re_tender_timetable_adds_every_period_and_says_whether_it_is_in_time():
    standstill = timedelta(days=6)
    plan = renewal.retender_plan(
        POLICY, timedelta(days=5), timedelta(days=10), standstill, NOW, NOW + timedelta(days=80)
    )
    assert plan.lead_time == timedelta(days=5 + 10 + 15 + 6 + 10) and plan.on_time
    late = renewal.retender_plan(
        POLICY, timedelta(days=5), timedelta(days=10), standstill, NOW, NOW + timedelta(days=40)
    )
    assert not late.on_time and late.planned_contract_start == NOW + timedelta(days=40)


def test_the_notice_window_opens_90_days_before_the_end():
    assert renewal.in_notice_window(POLICY, NOW + timedelta(days=90), NOW)
    assert not renewal.in_notice_window(POLICY, NOW + timedelta(days=91), NOW)
    assert not renewal.in_notice_window(POLICY, NOW, NOW)
