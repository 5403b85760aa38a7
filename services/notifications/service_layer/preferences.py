"""Reading and changing a recipient's notification preferences."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.common.call import Call
from services.common.errors import Invalid
from services.common.unit_of_work import UnitOfWork
from services.notifications.adapters.orm import Delivery, RecipientPreference
from services.notifications.domain import delivery_status as status
from services.notifications.domain.preferences import PreferenceError, Preferences
from services.notifications.service_layer.commands import UpdatePreferences, given


def load_preferences(session: Session, recipient: str) -> Preferences:
    row = session.get(RecipientPreference, recipient)
    if row is None:
        return Preferences()
    return Preferences(
        language=row.language, digest=row.digest, channels=dict(row.channels or {}), events=dict(row.events or {})
    )


def get_preferences(uow: UnitOfWork, recipient: str) -> Preferences:
    with uow:
        return load_preferences(uow.session, recipient)


def update_preferences(call: Call, recipient: str, command: UpdatePreferences) -> Preferences:
    """Apply the fields given (a partial update); refused whole with 422 if any breaks a rule."""
    uow, now = call.uow, call.now
    with uow:
        current = load_preferences(uow.session, recipient)
        wanted = Preferences(
            language=command.language if given(command.language) else current.language,
            digest=command.digest if given(command.digest) else current.digest,
            channels={**current.channels, **command.channels},
            events=_merge_events(current.events, command.events),
        )
        try:
            wanted.validate()
        except PreferenceError as exc:
            raise Invalid(exc.field, str(exc)) from exc
        if current.digest and not wanted.digest:
            _release_held(uow.session, recipient, now)
        row = uow.session.get(RecipientPreference, recipient) or RecipientPreference(recipient=recipient)
        row.language, row.digest = wanted.language, wanted.digest
        row.channels, row.events = wanted.channels, wanted.events
        row.updated_at = now
        uow.session.add(row)
        uow.commit()
        return wanted


def _merge_events(current: dict, changes: Mapping) -> dict:
    """Per event type, the channels given change and the others stay; an empty object clears the overrides."""
    merged = {event_type: dict(switches) for event_type, switches in current.items()}
    for event_type, switches in changes.items():
        if switches:
            merged[event_type] = {**merged.get(event_type, {}), **switches}
        else:
            merged.pop(event_type, None)
    return merged


def _release_held(session: Session, recipient: str, now: datetime) -> None:
    """The recipient stopped wanting digests: what was held goes out as ordinary e-mail."""
    session.execute(
        update(Delivery)
        .where(Delivery.recipient == recipient, Delivery.status == status.HELD)
        .values(status=status.transition(status.HELD, "release"), next_attempt_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
