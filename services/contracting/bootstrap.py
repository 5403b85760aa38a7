"""Builds contracting's context: database, outbox, settings, and units of work that publish public changes."""

from __future__ import annotations

from services.common.bootstrap import ServiceContext
from services.contracting.adapters.orm import OutboxMessage, ProcessedEvent
from services.contracting.config import contracting_settings
from services.contracting.service_layer.publication import Publication, PublishingUnitOfWork


class ContractingContext(ServiceContext):
    """Every unit of work publishes its public events (OCDS release + feed row) in its own transaction."""

    # The consumer's ledger of the registry events already applied (what makes a redelivery harmless).
    processed_event_model = ProcessedEvent

    def uow(self) -> PublishingUnitOfWork:
        # The clock is read through the context at each use: tests and the demo replace it after bootstrap.
        publication = Publication(self.settings.extra["ocid_prefix"], lambda: self.clock())
        return PublishingUnitOfWork(self.session_factory, self.outbox_model, self.settings.name, publication)


def bootstrap(**overrides) -> ServiceContext:
    return ContractingContext(contracting_settings(**overrides), OutboxMessage)
