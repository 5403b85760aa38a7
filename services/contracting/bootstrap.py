"""Builds contracting's context: database, outbox, settings, and units of work that publish public changes."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.bootstrap import ServiceContext
from services.contracting.adapters import read_versions
from services.contracting.adapters.document_store import DocumentStore
from services.contracting.adapters.orm import OutboxMessage, ProcessedEvent
from services.contracting.config import ContractingSettings, contracting_settings
from services.contracting.service_layer.documents import Storage
from services.contracting.service_layer.publication import Publication, PublishingUnitOfWork


@dataclass(kw_only=True)
class ContractingContext(ServiceContext):
    """Every unit of work publishes its public events (OCDS release + feed row) in its own transaction."""

    own_settings: ContractingSettings

    # The consumer's ledger of the registry events already applied (what makes a redelivery harmless).
    processed_event_model = ProcessedEvent

    def __post_init__(self) -> None:
        super().__post_init__()
        # Every session bumps the public views' version with the change (the read cache's contract).
        read_versions.track(self.session_factory)

    @property
    def document_store(self) -> DocumentStore:
        return DocumentStore(self.own_settings.documents_dir)

    @property
    def document_storage(self) -> Storage:
        own = self.own_settings
        return Storage(self.document_store, own.document_max_bytes, own.public_api_url)

    def uow(self) -> PublishingUnitOfWork:
        # The clock is read through the context at each use: tests and the demo replace it after bootstrap.
        publication = Publication(self.own_settings.ocid_prefix, lambda: self.clock())
        return PublishingUnitOfWork(self.session_factory, self.outbox_model, self.settings.name, publication)


def bootstrap(**overrides) -> ContractingContext:
    own_settings = ContractingSettings.from_env()
    return ContractingContext(contracting_settings(**overrides), OutboxMessage, own_settings=own_settings)
