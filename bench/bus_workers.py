"""The bus benchmark's child processes: the raw kombu publisher and consumer (the baseline) and the pipeline's
producer (contracting's real invite use case: state change and outbox row in one transaction).

Each prints one JSON object per line on stdout; the last line is its result.

    python -m bench.bus_workers raw-publish --url URL --n N [--rate R]
    python -m bench.bus_workers raw-consume --url URL --n N
    python -m bench.bus_workers produce --first TENDER_ID --n N [--rate R] [--use-case]   (settings from env)
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from kombu import Consumer, Exchange, Producer, Queue

from bench.fixtures import PROVIDER_ID
from services.common.bus.connection import connect
from services.common.bus.envelope import Envelope

RAW_EXCHANGE = Exchange("bench.raw", type="topic", durable=True)
RAW_QUEUE = Queue("bench.raw.events", RAW_EXCHANGE, routing_key="#", durable=True)
ROUTING_KEY = "tender.invitation_sent"
IDLE_TIMEOUT = 30.0
# The relay's own publish arguments (services/common/bus/outbox.py), so the baseline keeps the same guarantees.
PUBLISH_OPTIONS = {
    "content_type": "application/json",
    "content_encoding": "utf-8",
    "delivery_mode": 2,
    "retry": True,
    "retry_policy": {"max_retries": 3, "interval_start": 0.5, "interval_step": 1},
}


def emit(result: dict) -> None:
    print(json.dumps(result), flush=True)


def pace(started: float, index: int, rate: float | None) -> None:
    """Sleep until event ``index`` is due at ``rate`` per second (no pacing when rate is None)."""
    if rate:
        delay = started + index / rate - time.time()
        if delay > 0:
            time.sleep(delay)


def invitation_body(i: int) -> Envelope:
    """An envelope shaped and sized like the pipeline's tender.invitation_sent."""
    payload = {
        "tender_id": i,
        "ocid": f"ocds-sscp01-{i}",
        "district_code": "MD-OR",
        "service_type": "personal-assistance",
        "title": f"Asistență personală — Orhei ({i})",
        "status": "active.tendering",
        "enquiry_end": "2026-11-20T09:00:00+00:00",
        "submission_deadline": "2026-12-20T09:00:00+00:00",
        "provider_id": 1,
    }
    return Envelope(type=ROUTING_KEY, payload=payload, producer="contracting", correlation_id=payload["ocid"])


def raw_publish(url: str, n: int, rate: float | None) -> dict:
    connection = connect(url, declare=False)  # the platform's transport options: publisher confirms on amqp
    channel = connection.default_channel
    RAW_QUEUE(channel).declare()
    producer = Producer(channel, exchange=RAW_EXCHANGE)
    bodies = [invitation_body(i) for i in range(n)]
    durations = []
    first = time.time()
    for i, envelope in enumerate(bodies):
        pace(first, i, rate)
        began = time.time()
        producer.publish(envelope.to_json(), routing_key=ROUTING_KEY, message_id=envelope.event_id, **PUBLISH_OPTIONS)
        durations.append((time.time() - began) * 1000.0)
    last = time.time()
    connection.release()
    return {"first": first, "last": last, "publish_ms": durations}


def raw_consume(url: str, n: int) -> dict:
    state = {"ids": set(), "received": 0, "last_ack": None, "errors": []}

    def on_message(body, message) -> None:
        message.ack()
        state["last_ack"] = time.time()
        state["ids"].add(body["event_id"])
        state["received"] += 1

    connection = connect(url, declare=False)
    channel = connection.default_channel
    RAW_QUEUE(channel).declare()
    with Consumer(channel, queues=[RAW_QUEUE], callbacks=[on_message], accept=["json"]) as consumer:
        consumer.qos(prefetch_count=10)  # as the platform's EventConsumer
        emit({"ready": True})
        start = time.time()
        _drain(connection, state, n)
    connection.release()
    return {"start": start, "last_ack": state["last_ack"], "received": state["received"]} | {
        "distinct": len(state["ids"]),
        "errors": state["errors"],
    }


def _drain(connection, state: dict, n: int) -> None:
    last_progress, seen = time.time(), 0
    while state["received"] < n:
        try:
            connection.drain_events(timeout=1.0)
        except TimeoutError:
            pass
        except Exception as exc:  # a transport failure is a finding: record it and stop
            state["errors"].append(f"{type(exc).__name__}: {exc}")
            return
        if state["received"] != seen:
            last_progress, seen = time.time(), state["received"]
        elif time.time() - last_progress > IDLE_TIMEOUT:
            return  # the parent's count check reports the shortfall


def produce(first_tender: int, n: int, rate: float | None, use_case: bool, start_at: float | None, step: int) -> dict:
    """One transaction per tender first_tender, first_tender+step, …: an Invitation row and its event.

    By default through the common UnitOfWork (the state change and the outbox row, nothing else),
    so the figure is the bus's; ``use_case`` runs the whole invite use case (eligibility, audit chain) instead.
    """
    from services.contracting.bootstrap import bootstrap

    context = bootstrap()
    write = _invite_use_case(context) if use_case else _invite_row(context)
    invited = 0
    if start_at:  # several producers start together, their imports and connections done
        time.sleep(max(0.0, start_at - time.time()))
    first = start_at or time.time()
    for i in range(n):
        pace(first, i, rate)
        invited += write(first_tender + i * step)
    last = time.time()
    context.engine.dispose()
    return {"first": first, "last": last, "invited": invited}


def _invite_row(context):
    from services.common.unit_of_work import UnitOfWork
    from services.contracting.adapters.orm_tendering import Invitation, Tender
    from services.contracting.service_layer.base import ocid, tender_payload

    prefix = context.own_settings.ocid_prefix

    def write(tender_id: int) -> int:
        # The platform's own UnitOfWork (contracting's adds OCDS publication, which is not the bus's cost).
        with UnitOfWork(context.session_factory, context.outbox_model, "contracting") as uow:
            tender = uow.session.get(Tender, tender_id)
            uow.session.add(Invitation(tender_id=tender_id, provider_id=PROVIDER_ID, invited_at=context.clock()))
            payload = tender_payload(tender, prefix) | {"provider_id": PROVIDER_ID}
            uow.emit(ROUTING_KEY, payload, ocid(prefix, tender_id))
            uow.commit()
        return 1

    return write


def _invite_use_case(context):
    from services.common.tokens import Principal
    from services.contracting.service_layer.base import Call, utc
    from services.contracting.service_layer.tenders import invite_eligible

    principal = Principal(subject="bench", role="service")
    prefix, rules = context.own_settings.ocid_prefix, context.own_settings.procedure

    def write(tender_id: int) -> int:
        call = Call(context.uow(), principal, utc(context.clock()), prefix=prefix, rules=rules)
        return len(invite_eligible(call, tender_id))

    return write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bus_workers")
    parser.add_argument("role", choices=["raw-publish", "raw-consume", "produce"])
    parser.add_argument("--url", help="bus URL (raw-publish, raw-consume)")
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--rate", type=float, default=None, help="events per second (default: as fast as possible)")
    parser.add_argument("--first", type=int, default=1, help="first tender id (produce)")
    parser.add_argument("--use-case", action="store_true", help="produce through the whole invite use case")
    parser.add_argument("--step", type=int, default=1, help="tender id stride, for producers side by side")
    parser.add_argument("--start-at", type=float, default=None, help="epoch seconds of the first event (produce)")
    args = parser.parse_args(argv)
    if args.role == "raw-publish":
        emit(raw_publish(args.url, args.n, args.rate))
    elif args.role == "raw-consume":
        emit(raw_consume(args.url, args.n))
    else:
        emit(produce(args.first, args.n, args.rate, args.use_case, args.start_at, args.step))
    return 0


if __name__ == "__main__":
    sys.exit(main())
