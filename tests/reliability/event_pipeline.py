"""The event pipeline under fault: a unit of work commits a state change and its event, `sscp relay registry`
moves it to the bus, `sscp consume notifications` turns it into delivery records.

The producing side is the registry's database and UnitOfWork (its migrations are settled; contracting's are
being extended as these tests are written). Its state change is one row of ``reliability_invitations_sent``, a
stand-in for contracting's invitations, committed with a ``tender.invitation_sent`` event in one transaction.
The CSO it invites is registered first through the registry's real use case, so its ``provider.registered``
event feeds the notifications directory over the same pipeline. An invitation then gives one e-mail and one
inbox delivery (services/notifications/service_layer/deliveries.py: the invited CSO has an e-mail address, no
preferences and no webhooks).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Integer, String, delete, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.bus.connection import queue_depths
from services.common.call import Call
from services.common.db import make_engine, make_session_factory
from services.common.migrations import upgrade
from services.notifications.adapters.orm import Delivery, DirectoryProvider, ProcessedEvent
from services.registry.adapters.orm import OutboxMessage
from services.registry.bootstrap import bootstrap as registry_bootstrap
from services.registry.service_layer.commands import RegisterProvider
from services.registry.service_layer.handlers import register_provider

CONSUMER_QUEUE = "notifications.events"
DELIVERIES_PER_INVITATION = {("provider:{}", "email"), ("provider:{}", "inbox")}
INVITED_CSO = {
    "idno": "1003600099001",
    "legal_name": "AO Casa Speranței",
    "email": "casa@example.md",
    "districts_served": ["MD-CU"],
    "languages": ["ro"],
}


class ProducerBase(DeclarativeBase):
    pass


class SentInvitation(ProducerBase):
    """The producer's state change: committed with its event, or not at all."""

    __tablename__ = "reliability_invitations_sent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(Integer)
    provider_id: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)


def invitation_payload(tender_id: int, provider_id: int) -> dict:
    return {
        "tender_id": tender_id,
        "ocid": f"ocds-sscp01-{tender_id}",
        "district_code": "MD-CU",
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu",
        "status": "active.tendering",
        "enquiry_end": "2026-12-01T09:00:00+00:00",
        "submission_deadline": "2026-12-09T09:00:00+00:00",
        "provider_id": provider_id,
    }


class EventPipeline:
    """Both ends' databases, migrated with their real histories, and the questions the tests ask of them."""

    def __init__(self, producer_url: str, consumer_url: str, bus_url: str) -> None:
        upgrade("registry", producer_url)
        upgrade("notifications", consumer_url)
        # The registry's migrations stage the nomenclature's announcements; these tests count only their own events.
        engine = make_engine(producer_url)
        with engine.begin() as connection:
            connection.execute(delete(OutboxMessage))
        engine.dispose()
        self.urls = {"REGISTRY_DATABASE_URL": producer_url, "NOTIFICATIONS_DATABASE_URL": consumer_url}
        self.bus_url = bus_url
        self.registry = registry_bootstrap(database_url=producer_url, bus_url=bus_url)
        ProducerBase.metadata.create_all(self.registry.engine)
        self.consumer_engine = make_engine(consumer_url)
        self.consumer_sessions = make_session_factory(self.consumer_engine)
        self.provider_id: int | None = None
        self.invitation_event_ids: list[str] = []
        self.directory_event_ids: list[str] = []

    def settings(self) -> dict[str, str]:
        """What the relay and consumer processes need in their environment."""
        return {**self.urls, "BUS_URL": self.bus_url}

    def dispose(self) -> None:
        self.registry.engine.dispose()
        self.consumer_engine.dispose()

    # --- producing ---

    def register_invited_cso(self) -> int:
        """Through the registry's own use case: its provider.registered event feeds the notifications directory."""
        call = Call(self.registry.uow(), None, self.registry.clock())
        provider = register_provider(call, RegisterProvider(**INVITED_CSO))
        self.provider_id = provider.id
        with self.registry.session_factory() as session:
            self.directory_event_ids = list(session.scalars(select(OutboxMessage.event_id)))
        return provider.id

    def invite(self, count: int, per_transaction: int = 1) -> list[str]:
        """Commit ``count`` invitations, each with its event, ``per_transaction`` to a unit of work."""
        event_ids: list[str] = []
        while len(event_ids) < count:
            event_ids += self._invite_batch(min(per_transaction, count - len(event_ids)))
        return event_ids

    def _invite_batch(self, size: int) -> list[str]:
        assert self.provider_id is not None, "register the invited CSO first"
        event_ids = []
        with self.registry.uow() as uow:
            for _ in range(size):
                tender_id = len(self.invitation_event_ids) + len(event_ids) + 1
                payload = invitation_payload(tender_id, self.provider_id)
                envelope = uow.emit("tender.invitation_sent", payload, payload["ocid"])
                uow.session.add(
                    SentInvitation(tender_id=tender_id, provider_id=payload["provider_id"], event_id=envelope.event_id)
                )
                event_ids.append(envelope.event_id)
            uow.commit()
        self.invitation_event_ids += event_ids
        return event_ids

    @contextmanager
    def inviting_in_background(self, count: int, per_second: float) -> Iterator[threading.Thread]:
        """Commit ``count`` invitations at a steady rate from another thread, as an API under load would."""
        errors: list[BaseException] = []

        def produce() -> None:
            started = time.monotonic()
            try:
                for done in range(count):
                    ahead = started + done / per_second - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)  # pacing the producer, not waiting for a result
                    self._invite_batch(1)
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=produce, name="producer", daemon=True)
        thread.start()
        try:
            yield thread
        finally:
            thread.join(timeout=count / per_second + 60)
        assert not thread.is_alive(), "the producer did not finish"
        assert errors == [], f"the producer failed: {errors!r}"

    # --- observing ---

    def committed_invitations(self) -> int:
        with self.registry.session_factory() as session:
            return session.scalar(select(func.count()).select_from(SentInvitation))

    def unpublished(self) -> int:
        with self.registry.session_factory() as session:
            return session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))
            )

    def published(self) -> int:
        with self.registry.session_factory() as session:
            return session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_not(None))
            )

    def directory_knows_the_cso(self) -> bool:
        with self.consumer_sessions() as session:
            return session.get(DirectoryProvider, self.provider_id) is not None

    def deliveries_by_event(self) -> dict[str, set[tuple[str, str]]]:
        """event_id → its (recipient, channel) pairs, from the notifications database."""
        found: dict[str, set[tuple[str, str]]] = {}
        with self.consumer_sessions() as session:
            for event_id, recipient, channel in session.execute(
                select(Delivery.event_id, Delivery.recipient, Delivery.channel)
            ):
                found.setdefault(event_id, set()).add((recipient, channel))
        return found

    def delivery_rows_by_event(self) -> Counter:
        with self.consumer_sessions() as session:
            rows = session.execute(select(Delivery.event_id, func.count()).group_by(Delivery.event_id))
            return Counter(dict(rows.all()))

    def processed_event_ids(self) -> Counter:
        """The worker's ledger: how often each event_id was recorded as processed."""
        with self.consumer_sessions() as session:
            return Counter(session.scalars(select(ProcessedEvent.event_id)))

    def processed_count(self) -> int:
        with self.consumer_sessions() as session:
            return session.scalar(select(func.count()).select_from(ProcessedEvent))

    def waiting_messages(self) -> dict[str, float]:
        """Messages waiting in the worker's queue and in its parking queue."""
        return queue_depths(self.bus_url, [CONSUMER_QUEUE, f"{CONSUMER_QUEUE}.parked"])

    def everything_delivered(self) -> bool:
        return self.processed_count() >= len(self.invitation_event_ids) + len(self.directory_event_ids)

    def expected_deliveries(self) -> set[tuple[str, str]]:
        return {(recipient.format(self.provider_id), channel) for recipient, channel in DELIVERIES_PER_INVITATION}

    def exactly_once_problems(self) -> list[str]:
        """Every way the notifications database differs from 'each event applied exactly once' (empty: none)."""
        problems = []
        expected = self.expected_deliveries()
        by_event = self.deliveries_by_event()
        rows = self.delivery_rows_by_event()
        missing = [event_id for event_id in self.invitation_event_ids if event_id not in by_event]
        if missing:
            problems.append(f"{len(missing)} of {len(self.invitation_event_ids)} invitations have no delivery")
        wrong = [
            event_id
            for event_id in self.invitation_event_ids
            if event_id in by_event and (by_event[event_id] != expected or rows[event_id] != len(expected))
        ]
        if wrong:
            problems.append(f"{len(wrong)} invitations have other deliveries than {sorted(expected)}")
        strangers = set(by_event) - set(self.invitation_event_ids)
        if strangers:
            problems.append(f"{len(strangers)} deliveries belong to no committed event")
        ledger = self.processed_event_ids()
        produced = set(self.invitation_event_ids) | set(self.directory_event_ids)
        if set(ledger) != produced:
            problems.append(f"ledger holds {len(ledger)} events, {len(produced)} were committed")
        twice = [event_id for event_id, times in ledger.items() if times > 1]
        if twice:
            problems.append(f"{len(twice)} events processed more than once")
        return problems
