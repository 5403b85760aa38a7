"""Every contracting table, imported together so Base.metadata (and Alembic) sees all of them."""

from services.contracting.adapters import (
    orm,
    orm_audit,
    orm_contracts,
    orm_documents,
    orm_evaluation,
    orm_public,
    orm_replicas,
    orm_tendering,
    read_versions,
)
from services.contracting.adapters.base import Base

__all__ = [
    "Base",
    "orm",
    "orm_audit",
    "orm_contracts",
    "orm_documents",
    "orm_evaluation",
    "orm_public",
    "orm_replicas",
    "orm_tendering",
    "read_versions",
]
