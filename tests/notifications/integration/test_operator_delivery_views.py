"""Operators' views: deliveries by status, retrying, authority contacts; bad input answered with clear 4xx."""

from __future__ import annotations

import pytest

from services.notifications.service_layer.dispatch import dispatch_due
from tests.notifications.conftest import deliveries, event, provider_registered, tender_payload


@pytest.fixture
def operator(token_mint):
    return token_mint.headers("operator", "op-1")


@pytest.fixture
def sent_invitation(context, consumer, clock):
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    dispatch_due(context, clock())
    return deliveries(context, channel="email")[0]


def test_operators_filter_deliveries_by_status_channel_and_ocid(client, operator, sent_invitation):
    listed = client.get(
        "/api/v1/deliveries",
        query_string={"status": "sent", "channel": "email", "correlation_id": "ocds-sscp01-7"},
        headers=operator,
    )
    assert listed.status_code == 200
    assert [(d["id"], d["address"], d["attempts"]) for d in listed.json] == [(sent_invitation.id, "casa@example.md", 1)]
    assert listed.json[0]["sent_at"] == "2026-11-24T09:00:00+00:00"
    assert client.get("/api/v1/deliveries", query_string={"status": "dead"}, headers=operator).json == []


def test_retrying_a_sent_delivery_is_refused_with_409_naming_its_status(client, operator, sent_invitation):
    response = client.post(f"/api/v1/deliveries/{sent_invitation.id}/retry", headers=operator)
    assert response.status_code == 409
    assert response.json["current_status"] == "sent" and response.json["allowed_transitions"] == []
    assert client.post("/api/v1/deliveries/999/retry", headers=operator).status_code == 404


def test_only_operators_may_retry_and_a_cso_may_not_list_deliveries(client, token_mint, sent_invitation):
    cso = token_mint.headers("cso", "u-1", provider_id=1)
    assert client.post(f"/api/v1/deliveries/{sent_invitation.id}/retry", headers=cso).status_code == 403
    assert client.get("/api/v1/deliveries", headers=cso).status_code == 403
    service = token_mint.headers("service", "flows")
    assert client.get("/api/v1/deliveries", query_string={"event_type": "tender.invitation_sent"}, headers=service).json


def test_an_unknown_status_filter_is_refused_with_422(client, operator):
    response = client.get("/api/v1/deliveries", query_string={"status": "lost"}, headers=operator)
    assert response.status_code == 422 and "status" in response.json["errors"]


def test_an_oversize_payload_is_refused_with_a_json_413(client, token_mint):
    cso = token_mint.headers("cso", "u-1", provider_id=1)
    huge = {"url": "https://93.184.215.14/hooks", "description": "x" * (2 * 1024 * 1024)}
    response = client.post("/api/v1/webhooks", json=huge, headers=cso)
    assert response.status_code == 413 and response.json["code"] == 413


def test_an_operator_sets_reads_and_removes_a_district_contact(client, operator):
    saved = client.put("/api/v1/authority-contacts/MD-BA", json={"email": "social@balti.md"}, headers=operator)
    assert saved.status_code == 200 and saved.json["language"] == "ro" and saved.json["updated_by"] == "op-1"
    assert [c["district_code"] for c in client.get("/api/v1/authority-contacts", headers=operator).json] == ["MD-BA"]
    assert client.delete("/api/v1/authority-contacts/MD-BA", headers=operator).status_code == 204
    assert client.get("/api/v1/authority-contacts/MD-BA", headers=operator).status_code == 404


def test_contact_input_is_checked_field_by_field(client, operator, token_mint):
    bad_code = client.put("/api/v1/authority-contacts/chisinau", json={"email": "a@b.md"}, headers=operator)
    assert bad_code.status_code == 422 and "district_code" in bad_code.json["errors"]
    bad_email = client.put("/api/v1/authority-contacts/MD-CU", json={"email": "nope"}, headers=operator)
    assert bad_email.status_code == 422 and "email" in bad_email.json["errors"]
    authority = token_mint.headers("authority", "a-1", district_code="MD-CU")
    assert (
        client.put("/api/v1/authority-contacts/MD-CU", json={"email": "a@b.md"}, headers=authority).status_code == 403
    )


def test_the_openapi_document_lists_every_notifications_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/inbox",
        "/api/v1/inbox/unread-count",
        "/api/v1/preferences",
        "/api/v1/webhooks/{webhook_id}/ping",
        "/api/v1/deliveries/{delivery_id}/retry",
        "/api/v1/authority-contacts/{district_code}",
    ):
        assert path in paths
