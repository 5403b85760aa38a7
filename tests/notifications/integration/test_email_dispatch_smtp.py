"""E-mail through a real SMTP server on loopback (aiosmtpd), the .eml outbox, and the delivery state machine."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from services.notifications.service_layer.digests import send_digests
from services.notifications.service_layer.dispatch import dispatch_due
from tests.notifications.conftest import (
    accreditation_granted,
    consumer_for,
    deliveries,
    event,
    free_port,
    inbox_messages,
    outbox_events,
    provider_registered,
    tender_payload,
)


def seed_two_csos(consumer) -> None:
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(provider_registered(2, "ajutor@example.md", languages=("ru",)))
    consumer.process(accreditation_granted(11, 1))
    consumer.process(accreditation_granted(12, 2))


@pytest.fixture
def smtp_app(make_app, smtp_server):
    port, _received = smtp_server
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="notificari@sscp.md")


def test_published_tender_emails_arrive_at_the_smtp_server_in_each_cso_language(smtp_app, smtp_server, clock):
    context = smtp_app.extensions["service_context"]
    _port, received = smtp_server
    consumer = consumer_for(context)
    seed_two_csos(consumer)
    consumer.process(event("tender.published", tender_payload(), "ocds-sscp01-7"))
    outcomes = dispatch_due(context, clock())
    assert outcomes["sent"] == 4  # two e-mails, two inbox notices
    (romanian,) = received.to("casa@example.md")
    (russian,) = received.to("ajutor@example.md")
    assert romanian["Subject"] == "Licitație nouă: Îngrijire la domiciliu, Chișinău"
    assert romanian["Content-Language"] == "ro" and russian["Content-Language"] == "ru"
    assert russian["Subject"].startswith("Новый тендер")
    assert "Срок подачи предложений: 09.12.2026 11:00 (EET)" in russian.get_content()
    assert romanian["From"] == "notificari@sscp.md"
    assert {d.status for d in deliveries(context, event_type="tender.published")} == {"sent"}
    delivered = outbox_events(context, "notification.delivered")
    assert len(delivered) == 4 and {d["channel"] for d in delivered} == {"email", "inbox"}
    assert [m.subject for m in inbox_messages(context, "provider:2")] == [russian["Subject"]]


def test_a_second_dispatch_sends_nothing_again(smtp_app, smtp_server, clock):
    context = smtp_app.extensions["service_context"]
    _port, received = smtp_server
    consumer = consumer_for(context)
    seed_two_csos(consumer)
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    dispatch_due(context, clock())
    assert sum(dispatch_due(context, clock.advance(hours=1)).values()) == 0
    assert len(received.messages) == 1


def test_without_smtp_host_mail_is_written_as_eml_files_under_var_mail(context, consumer, clock, tmp_path):
    seed_two_csos(consumer)
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=2), "ocds-sscp01-7"))
    assert dispatch_due(context, clock())["sent"] == 2
    (mail_file,) = (tmp_path / "var" / "mail").glob("*.eml")
    mail = email.message_from_bytes(mail_file.read_bytes(), policy=email.policy.default)
    assert mail["To"] == "ajutor@example.md" and mail["Subject"].startswith("Приглашение к участию")
    (delivery,) = deliveries(context, channel="email")
    assert delivery.status == "sent" and delivery.sent_at is not None


def test_an_unreachable_smtp_server_backs_off_exponentially_then_dead_letters_and_an_operator_retry_sends_it(
    make_app, clock, smtp_server, token_mint
):
    port, received = smtp_server
    down = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), NOTIFICATIONS_MAX_ATTEMPTS=3)
    context = down.extensions["service_context"]
    consumer = consumer_for(context)
    seed_two_csos(consumer)
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    channels = {"email": context.channels()["email"]}

    dispatch_due(context, clock(), channels)
    (mail,) = deliveries(context, channel="email")
    assert (mail.status, mail.attempts) == ("failed", 1) and "unreachable" in mail.last_error
    assert _utc(mail.next_attempt_at) == clock.now.replace(second=30)  # base 30 s
    assert sum(dispatch_due(context, clock.advance(seconds=29), channels).values()) == 0  # not due yet
    dispatch_due(context, clock.advance(seconds=1), channels)
    (mail,) = deliveries(context, channel="email")
    assert mail.attempts == 2 and (_utc(mail.next_attempt_at) - clock.now).total_seconds() == 60  # doubled
    dispatch_due(context, clock.advance(seconds=60), channels)
    (mail,) = deliveries(context, channel="email")
    assert (mail.status, mail.attempts, mail.next_attempt_at) == ("dead", 3, None)
    failed = outbox_events(context, "notification.failed")
    assert [f["status"] for f in failed] == ["failed", "failed", "dead"]

    client = down.test_client()
    operator = token_mint.headers("operator", "op-1")
    dead = client.get("/api/v1/deliveries", query_string={"status": "dead"}, headers=operator).json
    assert [d["id"] for d in dead] == [mail.id]
    context.own_settings = replace(context.own_settings, smtp_port=port)  # the relay is back
    retried = client.post(f"/api/v1/deliveries/{mail.id}/retry", headers=operator)
    assert retried.status_code == 200 and retried.json["status"] == "queued"
    assert dispatch_due(context, clock(), {"email": context.channels()["email"]})["sent"] == 1
    assert [m["To"] for m in received.messages] == ["casa@example.md"]


def test_a_mailbox_the_relay_refuses_for_good_is_dead_at_once_without_retries(smtp_app, smtp_server, clock):
    context = smtp_app.extensions["service_context"]
    _port, received = smtp_server
    received.unknown_mailboxes.add("casa@example.md")
    consumer = consumer_for(context)
    seed_two_csos(consumer)
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    assert dispatch_due(context, clock(), {"email": context.channels()["email"]})["dead"] == 1
    (mail,) = deliveries(context, channel="email")
    assert (mail.status, mail.attempts) == ("dead", 1) and "550" in mail.last_error
    assert received.messages == []


def test_a_digest_holds_low_priority_email_until_the_digest_send(context, consumer, clock, client, token_mint):
    seed_two_csos(consumer)
    cso = token_mint.headers("cso", "u-1", provider_id=1)
    assert client.put("/api/v1/preferences", json={"digest": True}, headers=cso).status_code == 200
    consumer.process(event("tender.published", tender_payload(), "ocds-sscp01-7"))
    consumer.process(event("tender.published", tender_payload(tender_id=8, title="Centru de zi"), "ocds-sscp01-8"))
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    dispatch_due(context, clock())
    held = deliveries(context, recipient="provider:1", channel="email", status="held")
    assert len(held) == 2  # the invitation is not low priority: it went at once
    assert send_digests(context, clock.advance(hours=23)) == 0
    assert send_digests(context, clock.advance(hours=1)) == 1
    dispatch_due(context, clock())
    (digest,) = deliveries(context, event_type="notification.digest")
    assert digest.status == "sent" and digest.subject == "Rezumat: 2 notificări noi"
    assert "Centru de zi" in digest.body and "Îngrijire la domiciliu, Chișinău" in digest.body
    assert {d.status for d in deliveries(context, recipient="provider:1", event_type="tender.published")} == {
        "digested",
        "sent",  # the inbox notices were never held
    }


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
