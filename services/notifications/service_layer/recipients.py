"""Who an event concerns, resolved locally: the directory, the payload's fields, authority contacts, operators.

Recipient keys: ``provider:<id>`` (a CSO; its users share its inbox), ``district:<code>`` (the district's
social assistance department), ``operators`` (platform staff). A district with no contact e-mail is also
served through the operators' inbox, so a notice meant for it is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from services.common.bus.envelope import Envelope
from services.common.replica import eligible_provider_ids
from services.notifications.adapters.orm import DIRECTORY_TABLES, AuthorityContact, DirectoryProvider
from services.notifications.domain import routing

OPERATORS_KEY = "operators"
# Payload lists naming CSOs an event concerns (besides provider_id).
PROVIDER_LISTS = ("provider_ids", "reconfirm_provider_ids")


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str
    email: str | None = None
    language: str | None = None  # the directory's choice; the recipient's preference wins
    provider_id: int | None = None
    context: dict = field(default_factory=dict)  # what this recipient alone sees (its own bid's result)
    channels: tuple[str, ...] = routing.CHANNELS

    def merged_with(self, other: Recipient) -> Recipient:
        channels = tuple(channel for channel in routing.CHANNELS if channel in (*self.channels, *other.channels))
        return replace(
            self,
            email=self.email or other.email,
            language=self.language or other.language,
            context={**other.context, **self.context},
            channels=channels,
        )


def provider_key(provider_id: int) -> str:
    return f"provider:{provider_id}"


def district_key(district_code: str) -> str:
    return f"district:{district_code}"


def resolve(session: Session, envelope: Envelope, operator_email: str | None) -> list[Recipient]:
    """Every recipient of the event, each once (named twice, it gets the channels and context of both)."""
    found: dict[str, Recipient] = {}
    for audience in routing.audience_for(envelope.type):
        for recipient in _RESOLVERS[audience](session, envelope, operator_email):
            known = found.get(recipient.key)
            found[recipient.key] = known.merged_with(recipient) if known else recipient
    return list(found.values())


def _provider(session: Session, provider_id: int, context: dict | None = None) -> Recipient:
    row = session.get(DirectoryProvider, provider_id)
    name = row.legal_name if row else f"provider {provider_id}"
    language = (row.languages or [None])[0] if row else None
    return Recipient(provider_key(provider_id), name, row.email if row else None, language, provider_id, context or {})


def _accredited_in_district(session: Session, envelope: Envelope, _operator_email) -> list[Recipient]:
    payload = envelope.payload
    if not payload.get("service_type") or not payload.get("district_code"):
        return []
    # The event's own day, not today: a redelivery next week reaches the same CSOs.
    on = datetime.fromisoformat(envelope.occurred_at).date()
    eligible = eligible_provider_ids(session, DIRECTORY_TABLES, payload["service_type"], payload["district_code"], on)
    return [_provider(session, provider_id) for provider_id in eligible]


def _payload_providers(session: Session, envelope: Envelope, _operator_email) -> list[Recipient]:
    payload = envelope.payload
    ids = [payload.get("provider_id")]
    for name in PROVIDER_LISTS:
        ids += payload.get(name) or []
    unique = dict.fromkeys(int(i) for i in ids if isinstance(i, int) or (isinstance(i, str) and i.isdigit()))
    return [_provider(session, provider_id) for provider_id in unique]


def _bidders(session: Session, envelope: Envelope, _operator_email) -> list[Recipient]:
    bidders = envelope.payload.get("bidders") or []
    return [
        _provider(session, int(bidder["provider_id"]), {"bidder": bidder})
        for bidder in bidders
        if isinstance(bidder, dict) and str(bidder.get("provider_id", "")).isdigit()
    ]


def _district_authority(session: Session, envelope: Envelope, operator_email) -> list[Recipient]:
    code = envelope.payload.get("district_code")
    if not code:
        return []
    contact = session.get(AuthorityContact, code)
    authority = Recipient(
        district_key(code),
        f"district {code}",
        contact.email if contact else None,
        contact.language if contact else None,
        context={"district_code": code},
    )
    if contact:
        return [authority]
    fallback = Recipient(
        OPERATORS_KEY, "operators", context={"fallback_for": authority.key, "district_code": code}, channels=("inbox",)
    )
    return [authority, fallback]


def _operators(_session: Session, _envelope: Envelope, operator_email) -> list[Recipient]:
    return [Recipient(OPERATORS_KEY, "operators", operator_email, None, channels=("email", "inbox"))]


_RESOLVERS = {
    routing.ACCREDITED_IN_DISTRICT: _accredited_in_district,
    routing.PAYLOAD_PROVIDERS: _payload_providers,
    routing.BIDDERS: _bidders,
    routing.DISTRICT_AUTHORITY: _district_authority,
    routing.OPERATORS: _operators,
}
