"""Documents attached to a call and to what happens in it; their bytes live in the document store by SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.contracting.adapters.base import Base


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_owner", "kind", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    # What it is attached to (domain/documents.py KINDS) and that thing's id (none for the call itself)
    kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(Integer)
    document_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(10))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(2))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    confidentiality_reason: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80))
    author_provider_id: Mapped[int | None] = mapped_column(Integer)
    # active; replaced (a newer version points to it); removed (by its author, before the deadline)
    status: Mapped[str] = mapped_column(String(20))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
