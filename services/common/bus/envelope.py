"""The event envelope of DESIGN.md §3: the one JSON shape every event travels in.

Envelope version 1 fields: event_id (UUID), type (past tense, dotted: ``tender.published``), version (of the
payload schema for that type), occurred_at (UTC ISO-8601), producer (service name), correlation_id (the
tender's ocid where there is one), payload (a JSON object).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

EVENT_TYPE = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")


class InvalidEnvelope(ValueError):
    """A message that is not a well-formed event; it is parked, never retried."""


@dataclass(frozen=True)
class Envelope:
    type: str
    payload: dict[str, Any]
    producer: str
    correlation_id: str | None = None
    version: int = 1
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def __post_init__(self) -> None:
        if not isinstance(self.type, str) or not EVENT_TYPE.fullmatch(self.type):
            raise InvalidEnvelope(f"event type {self.type!r} must look like 'aggregate.happened'")
        if not isinstance(self.payload, dict):
            raise InvalidEnvelope("payload must be a JSON object")

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "type": self.type,
            "version": self.version,
            "occurred_at": self.occurred_at,
            "producer": self.producer,
            "correlation_id": self.correlation_id,
            "payload": self.payload,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, default=str)

    @classmethod
    def from_dict(cls, body: Any) -> Envelope:
        if isinstance(body, (bytes, str)):
            try:
                body = json.loads(body)
            except ValueError as exc:
                raise InvalidEnvelope(f"not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise InvalidEnvelope("an envelope is a JSON object")
        missing = {"event_id", "type", "occurred_at", "producer", "payload"} - body.keys()
        if missing:
            raise InvalidEnvelope(f"missing fields: {', '.join(sorted(missing))}")
        try:
            uuid.UUID(str(body["event_id"]))
            datetime.fromisoformat(body["occurred_at"])
            version = int(body.get("version", 1))
        except (TypeError, ValueError) as exc:
            raise InvalidEnvelope(f"{type(exc).__name__}: {exc}") from exc
        return cls(
            event_id=str(body["event_id"]),
            type=body["type"],
            version=version,
            occurred_at=body["occurred_at"],
            producer=body["producer"],
            correlation_id=body.get("correlation_id"),
            payload=body["payload"],
        )
