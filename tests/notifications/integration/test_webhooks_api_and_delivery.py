"""Webhooks: registration rules, signed POSTs a real loopback receiver verifies, retries, ping, ownership."""

from __future__ import annotations

import json

import pytest

from services.notifications.domain.signatures import verify
from services.notifications.service_layer.dispatch import dispatch_due
from tests.notifications.conftest import consumer_for, deliveries, event, provider_registered


@pytest.fixture
def private_app(make_app):
    """Webhooks on loopback are our test receiver's only address: an operator setting allows them here."""
    return make_app(NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS=True)


@pytest.fixture
def cso(token_mint):
    return token_mint.headers("cso", "u-1", provider_id=1)


def register(client, headers, url, **fields):
    return client.post("/api/v1/webhooks", json={"url": url, **fields}, headers=headers)


def test_a_registered_webhook_receives_the_bid_receipt_signed_with_its_secret(
    private_app, webhook_receiver, cso, clock
):
    client = private_app.test_client()
    context = private_app.extensions["service_context"]
    created = register(client, cso, webhook_receiver.url, event_types=["bid.submitted"])
    assert created.status_code == 201 and len(created.json["secret"]) == 64
    assert "secret" not in client.get(f"/api/v1/webhooks/{created.json['id']}", headers=cso).json
    consumer = consumer_for(context)
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("bid.submitted", {"provider_id": 1, "receipt_hash": "ab" * 32}, "ocds-sscp01-7"))
    consumer.process(event("tender.invitation_sent", {"provider_id": 1}, "ocds-sscp01-7"))  # not subscribed

    assert dispatch_due(context, clock())["sent"] == 5  # bid: e-mail, inbox, webhook; invitation: e-mail, inbox
    ((headers, body),) = webhook_receiver.requests
    timestamp = int(headers["x-sscp-timestamp"])
    assert timestamp == int(clock.now.timestamp())
    assert verify(created.json["secret"], timestamp, body, headers["x-sscp-signature"], now=timestamp)
    assert not verify("another-secret", timestamp, body, headers["x-sscp-signature"], now=timestamp)
    document = json.loads(body)
    assert document["type"] == "bid.submitted" and document["payload"]["receipt_hash"] == "ab" * 32
    assert document["correlation_id"] == "ocds-sscp01-7"


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(private_app, webhook_receiver, cso, clock):
    client = private_app.test_client()
    context = private_app.extensions["service_context"]
    register(client, cso, webhook_receiver.url)
    webhook_receiver.statuses = [500, 503]
    consumer_for(context).process(event("tender.invitation_sent", {"provider_id": 1}, "ocds-sscp01-7"))
    webhook_only = {"webhook": context.channels()["webhook"]}

    dispatch_due(context, clock(), webhook_only)
    (hook,) = deliveries(context, channel="webhook")
    assert (hook.status, hook.attempts, hook.last_error) == ("failed", 1, "the receiver answered HTTP 500")
    dispatch_due(context, clock.advance(seconds=30), webhook_only)
    assert dispatch_due(context, clock.advance(seconds=59), webhook_only).total() == 0  # 60 s after the 2nd
    assert dispatch_due(context, clock.advance(seconds=1), webhook_only)["sent"] == 1
    assert len(webhook_receiver.requests) == 3
    signatures = {headers["x-sscp-signature"] for headers, _ in webhook_receiver.requests}
    assert len(signatures) == 3  # each attempt carries a fresh timestamp, signed anew


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hooks.example.org/x", "only http and https"),
        ("http://127.0.0.1:8080/x", "private or reserved"),
        ("http://localhost/x", "loopback"),
        ("https://10.1.2.3/x", "private or reserved"),
        ("https://[::1]/x", "private or reserved"),
        ("https://169.254.169.254/latest/meta-data", "private or reserved"),
        ("https://user:pw@hooks.example.org/x", "credentials"),
        ("not a url", "only http and https"),
    ],
)
def test_unsafe_webhook_urls_are_refused_with_422_naming_the_url(client, cso, url, reason):
    response = register(client, cso, url)
    assert response.status_code == 422
    assert reason in response.json["errors"]["url"][0]


def test_an_operator_setting_allows_private_webhooks(private_app, cso):
    response = register(private_app.test_client(), cso, "http://127.0.0.1:8080/hooks")
    assert response.status_code == 201


def test_unknown_event_types_are_refused_and_families_accepted(client, cso):
    refused = register(client, cso, "https://93.184.215.14/hooks", event_types=["tender.exploded"])
    assert refused.status_code == 422 and "tender.exploded" in refused.json["errors"]["event_types"][0]
    accepted = register(client, cso, "https://93.184.215.14/hooks", event_types=["complaint.*", "award.decided"])
    assert accepted.status_code == 201 and accepted.json["event_types"] == ["award.decided", "complaint.*"]


def test_a_cso_sees_changes_and_deletes_only_its_own_webhooks(client, cso, token_mint):
    other = token_mint.headers("cso", "u-9", provider_id=9)
    hook = register(client, cso, "https://93.184.215.14/hooks").json
    assert client.get(f"/api/v1/webhooks/{hook['id']}", headers=other).status_code == 404
    assert client.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False}, headers=other).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/webhooks", headers=other).json == []
    changed = client.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False}, headers=cso)
    assert changed.status_code == 200 and changed.json["active"] is False
    operator = token_mint.headers("operator", "op-1")
    assert [h["id"] for h in client.get("/api/v1/webhooks", headers=operator).json] == [hook["id"]]
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=cso).status_code == 204
    assert client.get("/api/v1/webhooks", headers=cso).json == []


def test_a_ping_posts_a_signed_test_event_and_reports_the_answer(private_app, webhook_receiver, cso):
    client = private_app.test_client()
    hook = register(client, cso, webhook_receiver.url).json
    answer = client.post(f"/api/v1/webhooks/{hook['id']}/ping", headers=cso)
    assert answer.status_code == 200 and answer.json == {"ok": True, "status_code": 200, "error": None}
    ((headers, body),) = webhook_receiver.requests
    timestamp = int(headers["x-sscp-timestamp"])
    assert verify(hook["secret"], timestamp, body, headers["x-sscp-signature"], now=timestamp)
    assert json.loads(body)["type"] == "notification.ping"
    webhook_receiver.statuses = [401]
    refused = client.post(f"/api/v1/webhooks/{hook['id']}/ping", headers=cso).json
    assert refused == {"ok": False, "status_code": 401, "error": "the receiver answered HTTP 401"}


def test_rotating_the_secret_signs_the_next_post_with_the_new_one(private_app, webhook_receiver, cso):
    client = private_app.test_client()
    hook = register(client, cso, webhook_receiver.url).json
    rotated = client.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret", headers=cso).json
    assert rotated["secret"] != hook["secret"]
    client.post(f"/api/v1/webhooks/{hook['id']}/ping", headers=cso)
    ((headers, body),) = webhook_receiver.requests
    timestamp = int(headers["x-sscp-timestamp"])
    assert verify(rotated["secret"], timestamp, body, headers["x-sscp-signature"], now=timestamp)


def test_a_delivery_to_a_deleted_webhook_is_dead_with_the_reason(private_app, webhook_receiver, cso, clock):
    client = private_app.test_client()
    context = private_app.extensions["service_context"]
    hook = register(client, cso, webhook_receiver.url).json
    consumer_for(context).process(event("tender.invitation_sent", {"provider_id": 1}, "ocds-sscp01-7"))
    client.delete(f"/api/v1/webhooks/{hook['id']}", headers=cso)
    dispatch_due(context, clock())
    (dead,) = deliveries(context, channel="webhook")
    assert dead.status == "dead" and "deleted" in dead.last_error
    assert webhook_receiver.requests == []
