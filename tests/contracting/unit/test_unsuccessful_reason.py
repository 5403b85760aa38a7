"""Why a call ended without a winner, read from its bidders' results at the decision."""

from __future__ import annotations

from services.contracting.domain.awards import unsuccessful_reason


def test_no_bidder_means_nobody_bid():
    assert unsuccessful_reason([]) == "no_bids"


def test_only_ineligible_bids_mean_no_eligible_bid():
    assert unsuccessful_reason(["ineligible", "ineligible"]) == "no_eligible_bid"


def test_eligible_bids_all_out_on_a_minimum_mean_below_the_quality_floor():
    assert unsuccessful_reason(["disqualified", "ineligible", "disqualified"]) == "below_quality_floor"


def test_ranked_bids_that_fit_no_lot_mean_no_bid_fits_the_places_or_budget():
    assert unsuccessful_reason(["not_awarded", "disqualified"]) == "no_bid_fits"
