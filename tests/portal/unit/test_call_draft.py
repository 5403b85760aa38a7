"""A new call's rules as the department's form checks them before contracting does: periods, weights, lots, the
body sent, and a draft copied into a new form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.portal.domain import call_draft
from services.portal.domain.call_draft import Draft, PeriodRules

ZONE = "Europe/Chisinau"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday
RULES = PeriodRules()


def test_the_rules_come_from_contracting_variables_or_its_defaults():
    assert PeriodRules.from_environment({}) == PeriodRules()
    short = PeriodRules.from_environment(
        {
            "CONTRACTING_MIN_ENQUIRY_SECONDS": "5",
            "CONTRACTING_MIN_TENDERING_SECONDS": "6",
            "CONTRACTING_NO_WEEKEND_DEADLINE": "yes",
        }
    )
    assert short.min_enquiry == timedelta(seconds=5) and short.min_tendering == timedelta(seconds=6)
    assert short.min_amendment_extension == timedelta(days=4) and short.no_weekend_deadline


def test_periods_that_meet_the_minimums_pass():
    enquiry_end = NOW + timedelta(days=5)
    assert call_draft.period_problems(RULES, NOW, enquiry_end, enquiry_end + timedelta(days=10), ZONE) == {}


def test_each_period_rule_names_its_field():
    problems = call_draft.period_problems
    assert problems(RULES, NOW, NOW - timedelta(minutes=1), None, ZONE) == {"enquiry_end": call_draft.IN_THE_PAST}
    assert problems(RULES, NOW, NOW + timedelta(days=4, hours=23), None, ZONE) == {
        "enquiry_end": call_draft.ENQUIRY_TOO_SHORT
    }
    enquiry_end = NOW + timedelta(days=6)
    assert problems(RULES, NOW, enquiry_end, enquiry_end, ZONE) == {"submission_deadline": call_draft.NOT_AFTER_ENQUIRY}
    assert problems(RULES, NOW, enquiry_end, enquiry_end + timedelta(days=9), ZONE) == {
        "submission_deadline": call_draft.TENDERING_TOO_SHORT
    }


def test_a_weekend_deadline_is_refused_only_when_the_rules_say_so():
    enquiry_end = NOW + timedelta(days=5)
    saturday = datetime(2026, 12, 26, 10, 0, tzinfo=UTC)
    assert call_draft.period_problems(RULES, NOW, enquiry_end, saturday, ZONE) == {}
    strict = PeriodRules(no_weekend_deadline=True)
    assert call_draft.period_problems(strict, NOW, enquiry_end, saturday, ZONE) == {
        "submission_deadline": call_draft.WEEKEND_DEADLINE
    }
    # Friday 23:30 UTC is already Saturday in Chișinău
    late_friday = datetime(2026, 12, 25, 23, 30, tzinfo=UTC)
    assert call_draft.on_a_weekend(late_friday, ZONE)


def test_an_amendment_moves_the_deadline_by_at_least_the_extension():
    current = NOW + timedelta(days=10)
    assert call_draft.amendment_problem(RULES, current, None, ZONE) is None
    assert call_draft.amendment_problem(RULES, current, current + timedelta(days=4), ZONE) is None
    assert call_draft.amendment_problem(RULES, current, current + timedelta(days=3), ZONE) == (
        call_draft.EXTENSION_TOO_SHORT
    )


def test_criteria_weights_sum_to_100_with_one_price_at_most():
    assert call_draft.criteria_problems([{"kind": "price", "weight": 40}, {"kind": "quality", "weight": 60}]) == []
    assert call_draft.criteria_problems([{"kind": "quality", "weight": 90}]) == [call_draft.WEIGHTS_NOT_100]
    assert call_draft.criteria_problems([{"kind": "price", "weight": 50}, {"kind": "price", "weight": 50}]) == [
        call_draft.TWO_PRICES
    ]
    assert call_draft.criteria_problems([]) == [call_draft.NO_CRITERION]
    assert call_draft.weight_total([40, None, 30]) == 70


def test_a_lot_has_no_more_winners_than_places():
    assert call_draft.lot_problem({"places": 2, "max_awards": 2}) is None
    assert call_draft.lot_problem({"places": 1, "max_awards": 2}) == call_draft.MORE_WINNERS_THAN_PLACES


def test_the_wall_clock_of_chisinau_is_sent_in_utc():
    local = datetime(2026, 7, 1, 12, 0)  # summer: UTC+3
    assert call_draft.to_utc(local, ZONE) == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert call_draft.to_local("2026-12-01T10:00:00+00:00", ZONE) == datetime(2026, 12, 1, 12, 0)


def test_the_payload_has_money_as_strings_and_leaves_blank_translations_out():
    draft = Draft(
        district_code="MD-CU",
        service_type="home-care",
        title=" Îngrijire ",
        title_ru="  ",
        title_en="Home care",
        enquiry_end=NOW + timedelta(days=5),
        submission_deadline=NOW + timedelta(days=15),
        lots=[{"title": "Lot", "places": 3, "budget": Decimal("1000"), "duration_months": 12, "max_awards": None}],
        criteria=[{"kind": "quality", "name": "Calitate", "weight": 100, "minimum": Decimal("50")}],
    )
    body = draft.payload()
    assert body["title"] == "Îngrijire" and "title_ru" not in body and body["title_en"] == "Home care"
    assert body["lots"][0]["budget"] == "1000.00" and body["lots"][0]["max_awards"] == 1
    assert body["criteria"][0]["minimum"] == "50.00"
    assert body["enquiry_end"] == "2026-12-12T09:00:00+00:00"


def test_a_draft_is_copied_into_the_form_values_with_local_times():
    tender = {
        "service_type": "home-care",
        "title": "T",
        "committee_size": 5,
        "enquiry_end": "2026-12-20T10:00:00+00:00",
        "submission_deadline": "2026-12-30T10:00:00+00:00",
        "lots": [
            {"number": 2, "title": "B", "places": 1, "budget": "5.00", "duration_months": 1, "max_awards": 1},
            {"number": 1, "title": "A", "places": 1, "budget": None, "duration_months": 1, "max_awards": 1},
        ],
        "criteria": [{"number": 1, "kind": "quality", "name": "Q", "weight": 100, "minimum": "40.00"}],
    }
    values = call_draft.copied_from(tender, ZONE)
    assert [lot["title"] for lot in values["lots"]] == ["A", "B"]
    assert values["lots"][1]["budget"] == Decimal("5.00") and values["criteria"][0]["minimum"] == Decimal("40.00")
    assert values["enquiry_end"] == datetime(2026, 12, 20, 12, 0) and values["committee_size"] == 5


def test_suggested_periods_meet_the_rules():
    enquiry_end, deadline = call_draft.suggested_periods(RULES, NOW, ZONE)
    as_utc = call_draft.to_utc(enquiry_end, ZONE), call_draft.to_utc(deadline, ZONE)
    assert call_draft.period_problems(RULES, NOW, *as_utc, ZONE) == {}
    assert enquiry_end.minute == 0
