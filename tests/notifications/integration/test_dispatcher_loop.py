"""The long-running dispatcher loop: sends what the worker queued, survives an outage, stops when asked."""

from __future__ import annotations

import threading
import time

from services.notifications.entrypoints.dispatcher import run_dispatcher
from tests.notifications.conftest import deliveries, event, provider_registered, tender_payload


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_the_dispatcher_loop_sends_queued_mail_to_var_mail_and_stops_on_request(context, consumer, tmp_path):
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    stop = threading.Event()
    loop = threading.Thread(target=run_dispatcher, args=(stop.is_set, context), kwargs={"idle_sleep": 0.05})
    loop.start()
    try:
        wait_until(lambda: {d.status for d in deliveries(context)} == {"sent"})
    finally:
        stop.set()
        loop.join(timeout=5)
    assert not loop.is_alive()
    assert [path.name for path in (tmp_path / "var" / "mail").glob("*.eml")] == [
        f"delivery-{deliveries(context, channel='email')[0].id}.eml"
    ]


def test_the_dispatcher_loop_keeps_running_through_a_database_outage(context, consumer, tmp_path, monkeypatch):
    from services.notifications.entrypoints import dispatcher

    failures = iter([RuntimeError("database is away")])
    real = dispatcher.dispatch_due

    def flaky(*args, **kwargs):
        failure = next(failures, None)
        if failure:
            raise failure
        return real(*args, **kwargs)

    monkeypatch.setattr(dispatcher, "dispatch_due", flaky)
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    stop = threading.Event()
    loop = threading.Thread(target=run_dispatcher, args=(stop.is_set, context), kwargs={"idle_sleep": 0.05})
    loop.start()
    try:
        wait_until(lambda: {d.status for d in deliveries(context)} == {"sent"})
    finally:
        stop.set()
        loop.join(timeout=5)
    assert not loop.is_alive()
