"""Local read replicas fed by events: converge on the owner's truth whatever the delivery order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column


class AccreditationColumns:
    """An accreditation as the registry's accreditation.* events publish it; each consuming service mixes this into
    its own table, so the replica's shape is written once."""

    accreditation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    service_type: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)


class ServiceTypeColumns:
    """A service type of the registry's nomenclature with its names, as its service_type.* events publish it."""

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_ro: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)


def upsert_by_version(session: Session, model, key, values: dict) -> bool:
    """Insert, or overwrite when ``values['version']`` is newer; a replayed or older event changes nothing."""
    row = session.get(model, key)
    if row is None:
        session.add(model(**values, **{model.__mapper__.primary_key[0].name: key}))
        return True
    if values["version"] > row.version:
        for name, value in values.items():
            setattr(row, name, value)
        return True
    return False
