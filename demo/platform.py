"""The demo's plumbing: preparing the platform, talking to its APIs as people do, watching Prefect, progress."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

import click
import httpx

from services.common.settings import service_url


class StepFailed(RuntimeError):
    """A demo step did not reach its expected outcome; the message names the step."""


class Progress:
    """One line per meaningful change, with the time since the start: progress, not a log flood."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def done(self, message: str) -> None:
        click.echo(f"  [{self.elapsed():6.1f}s] ✓ {message}")

    def info(self, message: str) -> None:
        click.echo(f"  [{self.elapsed():6.1f}s]   {message}")


def wait_for(description: str, probe: Callable[[], object], timeout: float = 60, interval: float = 0.3):
    """Poll ``probe`` until it returns something truthy; StepFailed naming the step otherwise."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
        except httpx.HTTPError as exc:
            last_error = exc
        time.sleep(interval)
    detail = f" ({last_error})" if last_error else ""
    raise StepFailed(f"timed out after {timeout:.0f}s waiting for {description}{detail}")


# A process restarting under the supervisor refuses or drops connections, or (a gunicorn master between its
# workers) answers 502/503, for a few seconds; the demo waits for it as a person would retry, within bounds.
RESTART_PATIENCE_SECONDS = 120
RETRYABLE_STATUSES = frozenset({502, 503})


def retrying(what: str, attempt: Callable[[], httpx.Response], patience: float = RESTART_PATIENCE_SECONDS):
    """``attempt()`` again with backoff while the service is restarting; StepFailed naming it once patience ends."""
    deadline = time.monotonic() + patience
    pause, announced = 0.5, False
    while True:
        try:
            response = attempt()
            if response.status_code not in RETRYABLE_STATUSES:
                return response
            problem = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:  # refused, reset, timed out: nothing usable came back
            problem = f"{type(exc).__name__}: {exc}"
        if time.monotonic() + pause > deadline:
            raise StepFailed(f"{what}: no answer for {patience:.0f}s ({problem})")
        if not announced:
            click.echo(f"           … {what}: {problem}; the service may be restarting, retrying")
            announced = True
        time.sleep(pause)
        pause = min(pause * 2, 5)


class Api:
    """The actors' view: plain HTTP calls, each actor with its own token from the registry."""

    def __init__(self) -> None:
        self.http = httpx.Client(timeout=20)
        self.tokens: dict[str, dict] = {}

    def login(self, email: str, password: str) -> dict:
        if email not in self.tokens:
            url = f"{service_url('registry')}/api/v1/auth/token"

            def attempt() -> httpx.Response:
                return self.http.post(url, json={"email": email, "password": password})

            response = expect(retrying(f"log in as {email}", attempt), 200, f"log in as {email}")
            self.tokens[email] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self.tokens[email]

    def call(self, method: str, service: str, path: str, headers: dict | None = None, **kwargs) -> httpx.Response:
        url = f"{service_url(service)}/api/v1{path}"
        return retrying(f"{method} {service} {path}", lambda: self.http.request(method, url, headers=headers, **kwargs))

    def ok(self, method: str, service: str, path: str, headers: dict | None, what: str, status=(200, 201), **kwargs):
        return expect(self.call(method, service, path, headers, **kwargs), status, what).json()


def expect(response: httpx.Response, status: int | tuple[int, ...], what: str) -> httpx.Response:
    statuses = (status,) if isinstance(status, int) else status
    if response.status_code not in statuses:
        raise StepFailed(f"{what}: HTTP {response.status_code} {response.text[:400]}")
    return response


def flow_runs_of(tender_id: int, patience: float = RESTART_PATIENCE_SECONDS) -> list:
    """Every Prefect flow run tagged with this tender, oldest first (waiting out a Prefect server restart)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
    from prefect.client.schemas.sorting import FlowRunSort

    deadline = time.monotonic() + patience
    while True:
        try:
            with get_client(sync_client=True) as client:
                return client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[f"tender:{tender_id}"])),
                    sort=FlowRunSort.EXPECTED_START_TIME_ASC,
                    limit=50,
                )
        except (httpx.TransportError, httpx.HTTPStatusError, RuntimeError) as exc:
            if time.monotonic() > deadline:
                raise StepFailed(f"reading tender {tender_id}'s flow runs from Prefect: {exc}") from exc
            time.sleep(2)


def prepare_platform(production: bool, progress: Progress) -> dict[str, str]:
    """Databases, accounts and bus topology, before any process starts."""
    from deploy.supervisor import (
        PROCFILE,
        PRODUCTION_PROCFILE,
        embedded_environment,
        ensure_postgres_databases,
        platform_already_running,
        production_environment,
    )
    from services.common.bus.connection import connect
    from services.common.migrations import upgrade
    from services.common.settings import bus_url, database_url

    refusal = platform_already_running(PRODUCTION_PROCFILE if production else PROCFILE)
    if refusal:
        raise StepFailed(refusal)
    environment = production_environment() if production else embedded_environment()
    if production:
        created = ensure_postgres_databases()
        progress.done(f"PostgreSQL databases ready{' (created ' + ', '.join(created) + ')' if created else ''}")
    for name in ("registry", "contracting", "notifications"):
        upgrade(name, database_url(name))
    progress.done("databases migrated (one per service)")
    # As an operator would: `sscp create-accounts` (importing the CLI here would make the CLI and the demo, which
    # the CLI starts, import each other).
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "create-accounts"],
        env={**os.environ, "OPERATOR_PASSWORD": environment["OPERATOR_PASSWORD"]},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise StepFailed(f"creating accounts failed: {(result.stdout + result.stderr).strip()[-2000:]}")
    progress.done("operator and flows service account ready")
    connect(bus_url()).release()
    progress.done(f"bus topology declared on {'RabbitMQ' if production else 'the broker-less bus'}")
    return environment


SERVICES = ("registry", "contracting", "notifications")


def unpublished_events() -> dict[str, int]:
    from services.common.bus.outbox import count_unpublished
    from services.common.settings import database_url

    return {name: count_unpublished(database_url(name)) for name in SERVICES}


def drain_outboxes(progress: Progress, timeout: float = 60) -> None:
    """Wait until every committed event is on the bus: stopping sooner would leave them for the next start."""
    deadline = time.monotonic() + timeout
    while waiting := {name: count for name, count in unpublished_events().items() if count}:
        if time.monotonic() > deadline:
            left = ", ".join(f"{name} {count}" for name, count in waiting.items())
            raise StepFailed(f"events still unpublished after {timeout:.0f}s (is a relay down?): {left}")
        time.sleep(0.5)
    progress.done("every outbox drained: each committed event is on the bus")


def report_restarts(supervisor, progress: Progress) -> None:
    """Which processes died and were started again during the run, how often, and how each last ended."""
    restarts = supervisor.restarts()
    if not restarts:
        progress.done("no process died during the run")
        return
    progress.info(f"the supervisor restarted {len(restarts)} process(es) that died (log: {supervisor.log_path}):")
    for name, died in sorted(restarts.items()):
        click.echo(f"      {name:<26} restarted {died.restarts} time(s) (last exit: {died.last_exit})")
