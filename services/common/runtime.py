"""What every long-running process needs: logging in the configured format, a clean stop on SIGTERM and a heartbeat."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, so logs are searchable by event, tender/ocid and flow run."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": who_logged(record) or record.processName,
        }
        for key in ("event_id", "event_type", "ocid", "flow_run_id"):
            if getattr(record, key, None) is not None:
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    if os.environ.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        # Every process writes into one log in the embedded mode: its name says whose line it is.
        handler.addFilter(_name_the_writer)
        handler.setFormatter(logging.Formatter("%(asctime)s %(who)s%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), handlers=[handler], force=True)


# Threads named after a long-running loop (``sscp background``: a service's relay, consumer and dispatcher in one
# process) sign their own log lines, so a line says which loop wrote it, as it did when each was a process.
_COMPONENT_THREADS: set[str] = set()


def name_component_thread(thread: threading.Thread, name: str) -> None:
    thread.name = name
    _COMPONENT_THREADS.add(name)


def who_logged(record: logging.LogRecord) -> str | None:
    if record.threadName in _COMPONENT_THREADS:
        return record.threadName
    return os.environ.get("PROCESS_NAME")


def _name_the_writer(record: logging.LogRecord) -> bool:
    who = who_logged(record)
    record.who = f"{who} " if who else ""
    return True


class Heartbeat:
    """A file whose modification time says when the process's loop last went round.

    A container healthcheck (`sscp health heartbeat NAME`) reads it: a process that is up but stuck (a hung
    connection, a deadlock) stops beating, which neither its exit code nor its pid would show.
    """

    def __init__(self, name: str, every: float | None = None) -> None:
        self.path = heartbeat_path(name)
        self.every = every if every is not None else float(os.environ.get("HEARTBEAT_SECONDS", "5"))
        self._next = 0.0

    def beat(self) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.every
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()
        os.utime(self.path)


def heartbeat_path(name: str) -> Path:
    from services.common.settings import var_dir

    directory = os.environ.get("HEARTBEAT_DIR") or var_dir() / "run" / "heartbeat"
    return Path(directory) / name


# The background processes that serve each service (their heartbeat names), for its /readyz warnings.
BACKGROUND_PROCESSES = {
    "registry": ("registry-relay",),
    "contracting": ("contracting-relay", "contracting-consumer"),
    "notifications": ("notifications-relay", "notifications-worker", "notifications-dispatcher"),
}


def stale_heartbeat(name: str, max_age: float) -> str | None:
    """A sentence for /readyz when NAME has not beaten for MAX_AGE seconds; None when it beats or never did here
    (on another host, or not started yet: its own healthcheck watches it there)."""
    age = heartbeat_age(name)
    if age is None or age <= max_age:
        return None
    return (
        f"{name} last went round {age:.0f} s ago: it is stopped or stuck (a supervisor restarts a dead process; "
        "its log says why)"
    )


def heartbeat_age(name: str) -> float | None:
    """Seconds since NAME last beat; None if it never has."""
    try:
        return max(0.0, time.time() - heartbeat_path(name).stat().st_mtime)
    except FileNotFoundError:
        return None


class StopFlag:
    """Set by SIGTERM/SIGINT; long loops check it between units of work so nothing is cut in half.

    Each check is also the loop's heartbeat, when it has one: a loop that checks is a loop that turns.
    """

    def __init__(self, heartbeat: Heartbeat | None = None, _shared: threading.Event | None = None) -> None:
        self._heartbeat = heartbeat
        if _shared is not None:
            self._event = _shared
            return
        self._event = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def for_loop(self, heartbeat: Heartbeat) -> StopFlag:
        """The same flag for another loop of this process, beating that loop's own heartbeat (one signal stops
        every loop; each loop's heartbeat says whether that loop still turns)."""
        return StopFlag(heartbeat, _shared=self._event)

    def set(self) -> None:
        self._event.set()

    def _on_signal(self, signum, _frame) -> None:
        logging.getLogger(__name__).info("received %s, stopping after the current unit of work", signum)
        self._event.set()

    def __call__(self) -> bool:
        if self._heartbeat is not None:
            self._heartbeat.beat()
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)
