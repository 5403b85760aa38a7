"""The in-app inbox (unread counts, mark-read, scoping) and preferences (channels, language, legal notices)."""

from __future__ import annotations

import pytest

from services.notifications.service_layer.dispatch import dispatch_due
from tests.notifications.conftest import (
    accreditation_granted,
    deliveries,
    event,
    provider_registered,
    tender_payload,
)


@pytest.fixture
def cso(token_mint):
    return token_mint.headers("cso", "u-1", provider_id=1)


@pytest.fixture
def authority(token_mint):
    return token_mint.headers("authority", "a-1", district_code="MD-CU")


@pytest.fixture
def notified(context, consumer, clock):
    """CSO 1 got an invitation and a returned report; the Chișinău authority got a submitted report."""
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    consumer.process(event("report.returned", {"provider_id": 1, "contract_id": 3, "reason": "lipsesc KPI"}))
    consumer.process(event("report.submitted", {"provider_id": 1, "contract_id": 3, "district_code": "MD-CU"}))
    dispatch_due(context, clock())


def test_a_cso_reads_its_inbox_newest_first_and_marks_notices_read(client, cso, notified):
    assert client.get("/api/v1/inbox/unread-count", headers=cso).json == {"recipient": "provider:1", "unread": 2}
    messages = client.get("/api/v1/inbox", headers=cso).json
    assert [m["event_type"] for m in messages] == ["report.returned", "tender.invitation_sent"]
    assert "lipsesc KPI" in messages[0]["body"]
    read = client.post(f"/api/v1/inbox/{messages[0]['id']}/read", headers=cso)
    assert read.status_code == 200 and read.json["read_at"] == "2026-11-24T09:00:00+00:00"
    assert client.get("/api/v1/inbox/unread-count", headers=cso).json["unread"] == 1
    unread = client.get("/api/v1/inbox", query_string={"unread": "true"}, headers=cso).json
    assert [m["event_type"] for m in unread] == ["tender.invitation_sent"]
    assert client.post("/api/v1/inbox/read-all", headers=cso).json == {"marked": 1}
    assert client.get("/api/v1/inbox/unread-count", headers=cso).json["unread"] == 0


def test_an_authority_reads_its_district_inbox_and_nobody_reads_anothers(client, authority, cso, notified, token_mint):
    district = client.get("/api/v1/inbox", headers=authority).json
    assert [m["event_type"] for m in district] == ["report.submitted"]
    other_cso = token_mint.headers("cso", "u-2", provider_id=2)
    assert client.get("/api/v1/inbox", headers=other_cso).json == []
    cso_message = client.get("/api/v1/inbox", headers=cso).json[0]
    assert client.post(f"/api/v1/inbox/{cso_message['id']}/read", headers=authority).status_code == 404
    assert client.get("/api/v1/inbox", headers=token_mint.headers("evaluator", "e-1")).status_code == 403
    assert client.get("/api/v1/inbox").status_code == 401


def test_a_language_preference_changes_the_language_of_the_next_notices(client, context, consumer, cso):
    consumer.process(provider_registered(1, "casa@example.md"))
    assert client.put("/api/v1/preferences", json={"language": "en"}, headers=cso).json["language"] == "en"
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    (mail,) = deliveries(context, channel="email")
    assert mail.language == "en" and mail.subject == "Invitation to bid: Îngrijire la domiciliu, Chișinău"


def test_an_unknown_language_is_refused_with_422_naming_the_field(client, cso):
    response = client.put("/api/v1/preferences", json={"language": "de"}, headers=cso)
    assert response.status_code == 422
    assert "unknown language 'de'" in response.json["errors"]["language"][0]


def test_switching_off_a_legal_notice_is_refused_naming_the_event_and_nothing_changes(client, cso):
    body = {"digest": True, "events": {"award.decided": {"email": False}}}
    response = client.put("/api/v1/preferences", json=body, headers=cso)
    assert response.status_code == 422
    assert response.json["errors"] == {
        "events.award.decided": ["award.decided is a legal notice and cannot be turned off"]
    }
    assert client.get("/api/v1/preferences", headers=cso).json["digest"] is False


def test_email_switched_off_stops_ordinary_email_but_legal_notices_still_arrive(client, context, consumer, cso):
    consumer.process(provider_registered(1, "casa@example.md"))
    saved = client.put("/api/v1/preferences", json={"channels": {"email": False}}, headers=cso).json
    assert saved["channels"] == {"email": False, "inbox": True, "webhook": True}
    assert "award.decided" in saved["legal_notices"]
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    bidders = [{"provider_id": 1, "result": "awarded", "rank": 1, "total_score": "90", "scores": {}}]
    consumer.process(event("award.decided", {"district_code": "MD-CU", "bidders": bidders}, "ocds-sscp01-7"))
    assert [d.event_type for d in deliveries(context, channel="email")] == ["award.decided"]
    assert len(deliveries(context, channel="inbox")) == 2


def test_one_event_type_can_be_switched_off_on_one_channel(client, context, consumer, cso):
    consumer.process(provider_registered(1, "casa@example.md"))
    body = {"events": {"tender.invitation_sent": {"inbox": False}}}
    assert client.put("/api/v1/preferences", json=body, headers=cso).status_code == 200
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    assert [d.channel for d in deliveries(context)] == ["email"]


def test_preferences_for_unknown_channels_or_events_are_refused(client, cso):
    unknown_channel = client.put("/api/v1/preferences", json={"channels": {"sms": True}}, headers=cso)
    assert unknown_channel.status_code == 422 and "sms" in str(unknown_channel.json["errors"])
    unknown_event = client.put(
        "/api/v1/preferences", json={"events": {"tender.exploded": {"email": False}}}, headers=cso
    )
    assert unknown_event.status_code == 422
    assert unknown_event.json["errors"] == {"events.tender.exploded": ["no notifications are sent for tender.exploded"]}


def test_turning_the_digest_off_releases_held_email_at_once(client, context, consumer, cso, clock):
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(accreditation_granted(11, 1))
    client.put("/api/v1/preferences", json={"digest": True}, headers=cso)
    consumer.process(event("tender.published", tender_payload(), "ocds-sscp01-7"))
    assert [d.status for d in deliveries(context, channel="email")] == ["held"]
    client.put("/api/v1/preferences", json={"digest": False}, headers=cso)
    assert dispatch_due(context, clock())["sent"] == 2
    assert [d.status for d in deliveries(context, channel="email")] == ["sent"]
