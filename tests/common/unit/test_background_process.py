"""`sscp background SERVICE`: a service's loops (relay, consumer, dispatcher) as threads of one process.

The loops are stand-ins here (the real ones run in the demo round, tests/e2e); what is proven is the process's
own contract: each loop beats its own heartbeat, one SIGTERM stops them all, and a loop that ends on its own takes
the process down (exit 1) so that the supervisor starts every loop again.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import pytest

from services import processes
from services.common import runtime


@pytest.fixture
def loops_of_a_service(monkeypatch, tmp_path):
    """'svc' with two loops, 'svc-relay' and 'svc-consumer'; returns what each loop saw, by name."""
    monkeypatch.setenv("HEARTBEAT_DIR", str(tmp_path))
    monkeypatch.setenv("HEARTBEAT_SECONDS", "0")
    monkeypatch.setattr(processes, "service_context", lambda name: f"context of {name}")
    monkeypatch.setitem(runtime.BACKGROUND_PROCESSES, "svc", ("svc-relay", "svc-consumer"))
    # StopFlag installs its own handlers in this (pytest's) process: put pytest's back afterwards.
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    seen: dict[str, dict] = {}
    yield seen, tmp_path
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def turning_loop(seen: dict, name: str):
    def loop(service, context, stop):
        seen[name] = {"service": service, "context": context, "turns": 0}
        while not stop():
            seen[name]["turns"] += 1
            time.sleep(0.01)
        seen[name]["stopped"] = True

    return loop


def test_one_sigterm_stops_every_loop_each_having_beaten_its_own_heartbeat(loops_of_a_service, monkeypatch):
    seen, heartbeats = loops_of_a_service
    monkeypatch.setattr(
        processes, "_LOOPS", {"relay": turning_loop(seen, "relay"), "consumer": turning_loop(seen, "consumer")}
    )
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()

    processes.run_background("svc")  # returns: a clean stop, exit 0

    assert seen["relay"]["stopped"] and seen["consumer"]["stopped"]
    assert seen["relay"]["turns"] > 1 and seen["consumer"]["turns"] > 1
    assert seen["relay"]["context"] == seen["consumer"]["context"] == "context of svc"  # one service context
    assert (heartbeats / "svc-relay").exists() and (heartbeats / "svc-consumer").exists()


def test_a_loop_that_ends_on_its_own_stops_the_others_and_exits_1_for_the_supervisor(loops_of_a_service, monkeypatch):
    seen, _ = loops_of_a_service

    def crashing_relay(service, context, stop):
        raise RuntimeError("the relay's bug")

    monkeypatch.setattr(processes, "_LOOPS", {"relay": crashing_relay, "consumer": turning_loop(seen, "consumer")})

    with pytest.raises(SystemExit) as exit_:
        processes.run_background("svc")

    assert exit_.value.code == 1
    assert seen["consumer"]["stopped"]  # not left running half-alive beside a dead relay


def test_each_loop_signs_its_own_log_lines(loops_of_a_service, monkeypatch):
    seen, _ = loops_of_a_service
    monkeypatch.setenv("PROCESS_NAME", "svc-background")
    lines: list[str] = []

    def logging_loop(service, context, stop):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        lines.append(runtime.who_logged(record))
        while not stop():
            time.sleep(0.01)

    monkeypatch.setattr(processes, "_LOOPS", {"relay": logging_loop, "consumer": turning_loop(seen, "consumer")})
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()

    processes.run_background("svc")

    assert lines == ["svc-relay"]
    main_thread_line = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    assert runtime.who_logged(main_thread_line) == "svc-background"
