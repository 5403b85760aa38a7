"""The notifications dispatcher process: sends due deliveries and bundles digests until asked to stop.

Run as `sscp dispatch notifications`. Several may run against one database: each claims different rows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from services.notifications.bootstrap import NotificationsContext, bootstrap
from services.notifications.service_layer.digests import send_digests
from services.notifications.service_layer.dispatch import dispatch_due

log = logging.getLogger(__name__)


def run_dispatcher(
    should_stop: Callable[[], bool],
    context: NotificationsContext | None = None,
    idle_sleep: float = 1.0,
    digest_every: float = 60.0,
) -> None:
    """Dispatch until ``should_stop()``; a database or relay outage is logged and retried with backoff."""
    context = context or bootstrap()
    channels = context.channels()
    delay = idle_sleep
    next_digest = 0.0
    log.info("notifications dispatcher: sending e-mail via %s", type(channels["email"]).__name__)
    while not should_stop():
        try:
            if time.monotonic() >= next_digest:
                send_digests(context, context.clock())
                next_digest = time.monotonic() + digest_every
            outcomes = dispatch_due(context, context.clock(), channels)
            if outcomes:
                log.info("dispatched: %s", dict(outcomes))
            delay = idle_sleep
            if not outcomes:
                _pause(should_stop, idle_sleep)
        except Exception as exc:  # an outage: keep the process, back off, try again
            log.warning("dispatcher: %s; retrying in %.1fs", exc, delay)
            _pause(should_stop, delay)
            delay = min(delay * 2, 30.0)


def _pause(should_stop: Callable[[], bool], seconds: float) -> None:
    # StopFlag can wake early on SIGTERM; a plain callable is polled in short steps.
    wait = getattr(should_stop, "wait", None)
    if wait is not None:
        wait(seconds)
        return
    deadline = time.monotonic() + seconds
    while not should_stop() and time.monotonic() < deadline:
        time.sleep(min(0.05, seconds))
