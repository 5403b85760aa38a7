"""Fixtures for the notifications service: its migrated database and app, a movable clock, events fed through
the real idempotent consumer, a real SMTP server (aiosmtpd) and a real webhook receiver on loopback."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kombu
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.notifications.adapters.orm import Delivery, InboxMessage, OutboxMessage
from services.notifications.entrypoints.api import create_app
from services.notifications.entrypoints.consumer import build_consumer
from tests.clock import Clock
from tests.conftest import migrated_sqlite_url

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpInbox:
    """What a real SMTP server on loopback received, parsed."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.unknown_mailboxes: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd's hook
        if address in self.unknown_mailboxes:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port; yields (port, received)."""
    received = SmtpInbox()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


@dataclass
class WebhookReceiver:
    """A tiny real HTTP server on loopback recording every POST; answers with ``statuses`` in turn, then 200."""

    statuses: list[int] = field(default_factory=list)
    requests: list[tuple[dict, bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/sscp"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_app(tmp_path, brokerless_bus_url, token_mint, clock) -> Callable:
    """An app on a freshly migrated database; options are notifications settings (SMTP_HOST, …)."""
    url = migrated_sqlite_url("notifications", tmp_path)

    def make(**options):
        config = {"DATABASE_URL": url, "BUS_URL": brokerless_bus_url, **options}
        return create_app(config, token_verifier=token_mint.verifier, clock=clock)

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def context(app):
    return app.extensions["service_context"]


@pytest.fixture
def client(app):
    return app.test_client()


def consumer_for(context):
    """The real worker (IdempotentConsumer + handle_event); ``process`` is what the bus would call for a message.

    ``process`` never touches the connection, so an unopened in-memory one does."""
    return build_consumer(context, kombu.Connection("memory://"))


@pytest.fixture
def consumer(context):
    return consumer_for(context)


def event(event_type: str, payload: dict, correlation_id: str | None = None, **fields) -> Envelope:
    return Envelope(
        type=event_type,
        payload=payload,
        producer="contracting",
        correlation_id=correlation_id,
        occurred_at=START.isoformat(),
        **fields,
    )


def provider_registered(provider_id: int, email_address: str | None, languages=("ro",), districts=("MD-CU",)):
    payload = {
        "provider_id": provider_id,
        "idno": f"10036000{provider_id:05d}",
        "legal_name": f"AO Furnizor {provider_id}",
        "districts_served": list(districts),
        "languages": list(languages),
        "email": email_address,
        "status": "active",
        "version": 1,
    }
    return Envelope(type="provider.registered", payload=payload, producer="registry")


def accreditation_granted(accreditation_id: int, provider_id: int, service_type: str = "home-care"):
    payload = {
        "accreditation_id": accreditation_id,
        "provider_id": provider_id,
        "service_type": service_type,
        "accrediting_body": "ANAS",
        "certificate_number": f"A-{accreditation_id}",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
        "status": "active",
        "version": 1,
    }
    return Envelope(type="accreditation.granted", payload=payload, producer="registry")


def tender_payload(**changes) -> dict:
    payload = {
        "tender_id": 7,
        "ocid": "ocds-sscp01-7",
        "district_code": "MD-CU",
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, Chișinău",
        "status": "active.enquiries",
        "enquiry_end": "2026-11-29T09:00:00+00:00",
        "submission_deadline": "2026-12-09T09:00:00+00:00",
    }
    payload.update(changes)
    return payload


def deliveries(context, **filters) -> list[Delivery]:
    with context.session_factory() as session:
        query = select(Delivery).order_by(Delivery.id)
        for name, value in filters.items():
            query = query.where(getattr(Delivery, name) == value)
        return list(session.scalars(query))


def inbox_messages(context, recipient: str) -> list[InboxMessage]:
    with context.session_factory() as session:
        query = select(InboxMessage).where(InboxMessage.recipient == recipient).order_by(InboxMessage.id)
        return list(session.scalars(query))


def outbox_events(context, event_type: str) -> list[dict]:
    with context.session_factory() as session:
        bodies = session.scalars(select(OutboxMessage.body).where(OutboxMessage.event_type == event_type))
        return [json.loads(body)["payload"] for body in bodies]
