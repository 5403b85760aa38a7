"""The event envelope: the one JSON shape every event travels in (DESIGN.md §3)."""

from __future__ import annotations

import json
import pickle
import uuid

import pytest

from services.common.bus.envelope import Envelope, InvalidEnvelope

REQUIRED_FIELDS = ("event_id", "type", "occurred_at", "producer", "payload")


def an_envelope() -> Envelope:
    return Envelope(
        type="tender.published",
        payload={"title": "Îngrijire la domiciliu", "budget_bani": 125_000_00},
        producer="contracting",
        correlation_id="ocds-abc123-0001",
    )


def test_envelope_round_trips_through_json_unchanged():
    envelope = an_envelope()

    wire = envelope.to_json()

    assert Envelope.from_dict(json.loads(wire)) == envelope
    assert Envelope.from_dict(wire) == envelope
    assert Envelope.from_dict(wire.encode()) == envelope


def test_envelope_carries_every_documented_field_with_a_uuid_id_and_utc_time():
    body = json.loads(an_envelope().to_json())

    assert set(body) == {"event_id", "type", "version", "occurred_at", "producer", "correlation_id", "payload"}
    assert str(uuid.UUID(body["event_id"])) == body["event_id"]
    assert body["occurred_at"].endswith("+00:00")
    assert body["version"] == 1


def test_each_new_envelope_gets_its_own_event_id():
    assert an_envelope().event_id != an_envelope().event_id


@pytest.mark.parametrize("missing", REQUIRED_FIELDS)
def test_envelope_missing_a_required_field_is_rejected_naming_the_field(missing):
    body = an_envelope().to_dict()
    del body[missing]

    with pytest.raises(InvalidEnvelope, match=missing):
        Envelope.from_dict(body)


@pytest.mark.parametrize("event_id", ["42", "not-a-uuid", "", "123e4567-e89b-12d3-a456-42661417400"])
def test_envelope_with_an_event_id_that_is_not_a_uuid_is_rejected(event_id):
    body = dict(an_envelope().to_dict(), event_id=event_id)

    with pytest.raises(InvalidEnvelope):
        Envelope.from_dict(body)


@pytest.mark.parametrize("payload", [["a", "list"], "a string", 42, None])
def test_envelope_whose_payload_is_not_a_json_object_is_rejected(payload):
    body = dict(an_envelope().to_dict(), payload=payload)

    with pytest.raises(InvalidEnvelope, match="payload"):
        Envelope.from_dict(body)
    with pytest.raises(InvalidEnvelope, match="payload"):
        Envelope(type="tender.published", payload=payload, producer="contracting")


@pytest.mark.parametrize(
    "event_type",
    ["TenderPublished", "tender", "tender.", ".published", "Tender.published", "tender published", "tender.pub-lished"],
)
def test_envelope_with_a_type_that_is_not_dotted_lowercase_is_rejected(event_type):
    body = dict(an_envelope().to_dict(), type=event_type)

    with pytest.raises(InvalidEnvelope, match="event type"):
        Envelope.from_dict(body)
    with pytest.raises(InvalidEnvelope, match="event type"):
        Envelope(type=event_type, payload={}, producer="contracting")


def test_envelope_with_a_time_that_is_not_iso_8601_is_rejected():
    body = dict(an_envelope().to_dict(), occurred_at="yesterday at noon")

    with pytest.raises(InvalidEnvelope):
        Envelope.from_dict(body)


def test_envelope_is_json_only_and_a_pickled_body_is_rejected_not_unpickled():
    pickled = pickle.dumps(an_envelope().to_dict())

    with pytest.raises(InvalidEnvelope, match="not JSON"):
        Envelope.from_dict(pickled)
    with pytest.raises(InvalidEnvelope, match="JSON object"):
        Envelope.from_dict(json.dumps([an_envelope().to_dict()]))


@pytest.mark.parametrize(
    ("field", "value"),
    [("version", "two"), ("occurred_at", 1_700_000_000), ("type", None)],
)
def test_envelope_with_a_wrongly_typed_field_is_rejected_as_invalid(field, value):
    body = dict(an_envelope().to_dict(), **{field: value})

    with pytest.raises(InvalidEnvelope):
        Envelope.from_dict(body)


def test_envelope_type_with_a_trailing_newline_is_rejected():
    with pytest.raises(InvalidEnvelope):
        Envelope(type="tender.published\n", payload={}, producer="contracting")
