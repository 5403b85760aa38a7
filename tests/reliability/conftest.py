"""Fault injection harness: stop and start the shared RabbitMQ and PostgreSQL, run the platform's real processes.

These tests briefly stop servers other people on this machine use (RabbitMQ's app for ~10 s, PostgreSQL for a
few seconds). Every outage is bounded, undone in a ``finally`` and, should a test die half-way, undone again by a
session finalizer, so the servers are always up when the run ends.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ISOLATED_VARIABLES, POSTGRES_HOST, RABBITMQ_HOST, ROOT, port_open

SSCP = Path(sys.executable).parent / "sscp"
GUNICORN = Path(sys.executable).parent / "gunicorn"
POSTGRES_CLUSTER = "$(ls /etc/postgresql) main"
PG_CTL = f"pg_ctlcluster --skip-systemctl-redirect {POSTGRES_CLUSTER}"
# One fault injection at a time on this machine, even across concurrent pytest runs (each would read the
# other's outage as its own result).
MACHINE_LOCK = Path("/tmp/sscp-reliability.lock")
LOCK_WAIT_SECONDS = 300


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "reliability: fault injection against the real RabbitMQ and PostgreSQL (stops them briefly)"
    )


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    interval: float = 0.2,
    progress: Callable[[], object] | None = None,
    stall_after: float | None = None,
) -> float:
    """Poll ``condition`` until it holds; fail naming ``what`` at the deadline, or sooner when ``progress()``
    has not changed for ``stall_after`` seconds. Returns the seconds it took."""
    started = time.monotonic()
    deadline = started + timeout
    last_seen, last_change = (progress() if progress else None), started
    while not condition():
        now = time.monotonic()
        if now > deadline:
            raise AssertionError(f"{what}: not reached within {timeout:.0f} s (progress: {last_seen})")
        if progress is not None:
            seen = progress()
            if seen != last_seen:
                last_seen, last_change = seen, now
            elif stall_after is not None and now - last_change > stall_after:
                raise AssertionError(f"{what}: no progress for {stall_after:.0f} s (stuck at {last_seen})")
        time.sleep(interval)
    return time.monotonic() - started


# --- the servers -------------------------------------------------------------------------------------------


def _run(command: str, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=timeout, check=False)


def stop_rabbitmq() -> None:
    """Stop RabbitMQ's application (the node stays up, so it comes back in seconds with its durable queues)."""
    result = _run("rabbitmqctl stop_app")
    assert result.returncode == 0, f"rabbitmqctl stop_app failed: {result.stderr}"
    wait_until(lambda: not port_open(RABBITMQ_HOST, 0.5), 30, "RabbitMQ stops listening")


def start_rabbitmq() -> None:
    """Bring RabbitMQ back: its application if the node is up, else the node itself."""
    if port_open(RABBITMQ_HOST):
        return
    _run("rabbitmqctl start_app", timeout=120)
    try:
        wait_until(lambda: port_open(RABBITMQ_HOST, 0.5), 30, "RabbitMQ listens again after start_app")
    except AssertionError:
        _run("rabbitmq-server -detached")
        wait_until(lambda: port_open(RABBITMQ_HOST, 0.5), 90, "RabbitMQ listens again after rabbitmq-server")


def stop_postgres() -> None:
    result = _run(f"{PG_CTL} stop -m fast")
    assert result.returncode == 0, f"pg_ctlcluster stop failed: {result.stderr}"
    wait_until(lambda: not port_open(POSTGRES_HOST, 0.5), 30, "PostgreSQL stops listening")


def start_postgres() -> None:
    if port_open(POSTGRES_HOST):
        return
    _run(f"{PG_CTL} start")
    wait_until(lambda: port_open(POSTGRES_HOST, 0.5), 60, "PostgreSQL listens again")


@contextmanager
def rabbitmq_stopped() -> Iterator[None]:
    try:
        stop_rabbitmq()
        yield
    finally:
        start_rabbitmq()


@contextmanager
def postgres_stopped() -> Iterator[None]:
    try:
        stop_postgres()
        yield
    finally:
        start_postgres()


@pytest.fixture(scope="module", autouse=True)
def no_other_fault_injection_at_the_same_time() -> Iterator[None]:
    """Hold the machine-wide lock for the module: another run's outage must not land inside this one's."""
    with MACHINE_LOCK.open("a") as lock:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another run held {MACHINE_LOCK} for {LOCK_WAIT_SECONDS} s", pytrace=False)
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session", autouse=True)
def servers_are_up_when_the_run_ends() -> Iterator[None]:
    """Whatever happened in a test, leave RabbitMQ and PostgreSQL running for everyone else."""
    yield
    start_postgres()
    start_rabbitmq()


# --- private databases and virtual hosts for module-scoped scenarios -----------------------------------------


@contextmanager
def private_databases(admin_url: str, names: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Fresh PostgreSQL databases (the postgres_databases fixture's way, for a module-scoped scenario)."""
    import psycopg

    prefix = f"sscp_test_{uuid.uuid4().hex[:10]}"
    base = admin_url.rsplit("/", 1)[0]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{prefix}_{name}"')
    try:
        yield {name: f"{base}/{prefix}_{name}" for name in names}
    finally:
        start_postgres()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)')


@contextmanager
def private_vhost(server_url: str) -> Iterator[str]:
    """A RabbitMQ virtual host of its own (the rabbitmq_url fixture's way, for a module-scoped scenario)."""
    ctl = shutil.which("rabbitmqctl")
    assert ctl, "rabbitmqctl not found"
    vhost = f"sscp_test_{uuid.uuid4().hex[:10]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True, timeout=60)
    subprocess.run([ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True, timeout=60)
    try:
        yield f"{server_url}/{vhost}"
    finally:
        start_rabbitmq()
        subprocess.run([ctl, "delete_vhost", vhost], check=False, capture_output=True, timeout=60)


def process_environment(var_dir: Path, **settings: str) -> dict[str, str]:
    """The caller's environment without any service setting of its own, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if key not in ISOLATED_VARIABLES}
    env.update(VAR_DIR=str(var_dir), PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONUNBUFFERED="1", **settings)
    return env


# --- the platform's processes --------------------------------------------------------------------------------


class Processes:
    """Real platform processes (``sscp relay``, ``sscp consume``, gunicorn), each logging to its own file."""

    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.log_dir = log_dir
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}
        self.started = 0
        log_dir.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, *args: str, **extra_env: str) -> subprocess.Popen:
        self.started += 1
        log = (self.log_dir / f"{self.started:02d}-{name}.log").open("w")
        process = subprocess.Popen(
            [str(arg) for arg in args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a SIGKILL of this process reaches only it, never the test run
        )
        log.close()
        self.running[name] = process
        return process

    def sscp(self, name: str, *args: str) -> subprocess.Popen:
        return self.start(name, SSCP, *args)

    def kill(self, name: str) -> int:
        """SIGKILL, the way an OOM killer or a pulled plug ends a process: no handler runs."""
        process = self.running.pop(name)
        process.send_signal(signal.SIGKILL)
        return process.wait(timeout=10)

    def terminate(self, name: str, timeout: float = 20) -> int:
        """SIGTERM and wait; SIGKILL if it does not stop in time. Returns the exit code."""
        process = self.running.pop(name)
        if process.poll() is None:
            process.terminate()
            try:
                return process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
                return -signal.SIGKILL
        return process.returncode

    def alive(self, name: str) -> bool:
        return name in self.running and self.running[name].poll() is None

    def log_tail(self, name: str, characters: int = 3000) -> str:
        logs = sorted(self.log_dir.glob(f"*-{name}.log"))
        return "\n".join(f"--- {path.name} ---\n{path.read_text()[-characters:]}" for path in logs)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.terminate(name, timeout=10)


@pytest.fixture
def processes(tmp_path) -> Iterator[Callable[[dict[str, str]], Processes]]:
    """Start platform processes with a given environment; every one still running is stopped afterwards."""
    groups: list[Processes] = []

    def with_environment(env: dict[str, str]) -> Processes:
        groups.append(Processes(tmp_path / "logs", env))
        return groups[-1]

    yield with_environment
    for group in groups:
        group.stop_all()
