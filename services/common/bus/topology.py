"""Every exchange, queue and binding of the platform, declared in one place.

Every process declares all of it at start. On the broker-less ``sqla+sqlite`` transport the bindings live in
each process's memory, so a publisher that had not declared the consumers' queues would route to nowhere and
drop messages silently (DESIGN.md §9). Declaring the whole topology everywhere closes that trap.
"""

from __future__ import annotations

from kombu import Connection, Exchange, Queue, binding

EXCHANGE = Exchange("procurement", type="topic", durable=True)
DEAD_LETTER_EXCHANGE = Exchange("procurement.dlx", type="direct", durable=True)

# consumer queue -> routing keys it receives
CONSUMER_BINDINGS: dict[str, tuple[str, ...]] = {
    # contracting keeps a local replica of the registry's providers, accreditations, service types and reference
    # costs per beneficiary (its OCDS lots carry the one that applies)
    "contracting.registry-events": ("provider.#", "accreditation.#", "service_type.#", "reference_cost.#"),
    # notifications routes every event to its recipients
    "notifications.events": ("#",),
    # the flow bridge turns stage-starting events into Prefect flow runs
    "bridge.stage-events": (
        "tender.published",
        "tender.deadline_moved",
        "evaluation.scores_complete",
        "evaluation.completed",
        "complaint.upheld",
        "complaint.rejected",
    ),
}


def consumer_queue(name: str) -> Queue:
    return Queue(
        name,
        bindings=[binding(EXCHANGE, routing_key=key) for key in CONSUMER_BINDINGS[name]],
        durable=True,
        queue_arguments={
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE.name,
            "x-dead-letter-routing-key": name,
        },
    )


def parking_queue(name: str) -> Queue:
    """Where a consumer's poison messages wait for an operator."""
    return Queue(f"{name}.parked", exchange=DEAD_LETTER_EXCHANGE, routing_key=name, durable=True)


def all_queues() -> list[Queue]:
    queues = [consumer_queue(name) for name in CONSUMER_BINDINGS]
    queues += [parking_queue(name) for name in CONSUMER_BINDINGS]
    return queues


def declare_all(connection: Connection) -> None:
    channel = connection.default_channel
    EXCHANGE(channel).declare()
    DEAD_LETTER_EXCHANGE(channel).declare()
    for queue in all_queues():
        queue(channel).declare()
