"""Local read replicas fed by events: converge on the owner's truth whatever the delivery order."""

from __future__ import annotations

from sqlalchemy.orm import Session


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
