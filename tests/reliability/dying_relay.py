"""A real outbox relay process that dies by SIGKILL after the broker confirmed its Nth batch, before marking it sent.

    python -m tests.reliability.dying_relay SERVICE N

It is the platform's own relay (OutboxRelay on the service's context and bus connection, as `sscp relay` builds
it); the only difference is the ``after_publish`` hook OutboxRelay offers for this, so the crash lands exactly in
the window the design worries about. Prints the outbox row ids of the fatal batch first.
"""

from __future__ import annotations

import os
import signal
import sys

from services.common.bus import connection as bus
from services.common.bus.outbox import OutboxRelay
from services.processes import service_context


def main(service: str, fatal_batch: int) -> None:
    context = service_context(service)
    batches = 0

    def after_publish(row_ids: list[int]) -> None:
        nonlocal batches
        batches += 1
        if batches == fatal_batch:
            print(f"confirmed rows {row_ids[0]}..{row_ids[-1]}; dying before marking them sent", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    connection = bus.connect(context.settings.bus_url)
    relay = OutboxRelay(context.session_factory, context.outbox_model, connection, after_publish=after_publish)
    while relay.relay_once():
        pass
    print(f"relayed everything in {batches} batches without reaching batch {fatal_batch}", flush=True)
    sys.exit(3)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
