"""Each notice links to the portal page where its recipient acts on it."""

from __future__ import annotations

import pytest

from services.notifications.domain.portal_links import portal_link, portal_path


@pytest.mark.parametrize(
    ("event_type", "payload", "recipient", "path"),
    [
        ("tender.published", {"tender_id": 7}, "provider:3", "/calls/7"),
        ("award.decided", {"tender_id": 7}, "provider:3", "/calls/7"),
        ("bid.submitted", {"tender_id": 7, "bid_id": 11}, "provider:3", "/cso/calls/7/bids/11/receipt"),
        ("report.returned", {"tender_id": 7, "contract_id": 5}, "provider:3", "/cso/contracts/5"),
        ("contract.renewal_proposed", {"tender_id": 7, "contract_id": 5}, "district:MD-CU", "/department/contracts/5"),
        ("report.submitted", {"contract_id": 5}, "district:MD-CU", "/department/contracts/5"),
        ("complaint.lodged", {"tender_id": 7}, "district:MD-CU", "/department/calls/7/complaints"),
        ("award.cancelled", {"tender_id": 7}, "district:MD-CU", "/department/calls/7/evaluation"),
        ("tender.unsuccessful", {"tender_id": 7}, "district:MD-CU", "/department/calls/7"),
        ("continuity.at_risk", {"tender_id": 7, "contract_id": 5}, "operators", "/operator/"),
        ("continuity.at_risk", {"district_code": "MD-CU"}, "district:MD-CU", "/department/"),
        ("document.added", {}, "provider:3", "/cso/"),
    ],
)
def test_a_notice_opens_the_page_of_its_call_contract_or_receipt_for_that_recipient(
    event_type, payload, recipient, path
):
    assert portal_path(event_type, payload, recipient) == path


def test_the_link_joins_the_portal_address_and_the_path_without_a_double_slash():
    assert portal_link("https://portal.md/", "tender.published", {"tender_id": 1}, "provider:1") == (
        "https://portal.md/calls/1"
    )
