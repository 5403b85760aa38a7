"""The registry's reference_cost.set events reach notifications (it is bound to every event) and change nothing
there: no notice to anyone, no directory row, and the consumer records them as handled (issue 20)."""

from __future__ import annotations

from tests.notifications.conftest import deliveries, event, provider_registered

PAYLOAD = {
    "service_type": "home-care",
    "district_code": "MD-CU",
    "year": 2027,
    "amount": "9500.00",
    "currency": "MDL",
    "source": "Decizia Consiliului municipal Chișinău nr. 5/12 din 14.11.2026",
    "version": 1,
    "updated_at": "2026-11-20T10:00:00+00:00",
}


def test_a_reference_cost_event_sends_no_notice_and_is_consumed_like_any_other(context, consumer):
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("reference_cost.set", PAYLOAD))
    consumer.process(event("reference_cost.set", {**PAYLOAD, "district_code": "*", "version": 2}))
    assert deliveries(context) == []
