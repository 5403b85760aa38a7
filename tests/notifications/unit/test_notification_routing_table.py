"""The routing table: exact event types before families, legal notices, and silence for the rest."""

from __future__ import annotations

from services.notifications.domain.routing import (
    BIDDERS,
    DISTRICT_AUTHORITY,
    OPERATORS,
    PAYLOAD_PROVIDERS,
    audience_for,
    is_legal_notice,
    route_for,
)


def test_an_award_decision_goes_to_every_bidder_and_is_a_legal_notice():
    assert audience_for("award.decided") == (BIDDERS,)
    assert is_legal_notice("award.decided")


def test_a_submitted_report_goes_to_the_authority_while_other_report_events_go_to_the_cso():
    assert audience_for("report.submitted") == (DISTRICT_AUTHORITY,)
    assert audience_for("report.returned") == (PAYLOAD_PROVIDERS,)


def test_a_complaint_decision_is_legal_but_a_lodged_complaint_is_not():
    assert is_legal_notice("complaint.upheld") and is_legal_notice("complaint.rejected")
    assert not is_legal_notice("complaint.lodged")
    assert audience_for("complaint.lodged") == (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS)


def test_continuity_risks_reach_the_authority_and_the_operators():
    assert audience_for("continuity.at_risk") == (DISTRICT_AUTHORITY, OPERATORS)


def test_events_that_concern_nobody_have_no_route():
    assert route_for("evaluation.scores_complete") is None
    assert route_for("notification.delivered") is None
    assert route_for("contractual.thing") is None  # 'contract.*' is a family, not a prefix of any word


def test_an_unsuccessful_call_is_a_legal_notice_to_its_bidders_and_its_authority():
    assert audience_for("tender.unsuccessful") == (BIDDERS, DISTRICT_AUTHORITY)
    assert is_legal_notice("tender.unsuccessful")
