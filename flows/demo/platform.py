"""The demo's plumbing: preparing the platform, talking to its APIs as people do, watching Prefect, progress."""

from __future__ import annotations

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


class Api:
    """The actors' view: plain HTTP calls, each actor with its own token from the registry."""

    def __init__(self) -> None:
        self.http = httpx.Client(timeout=20)
        self.tokens: dict[str, dict] = {}

    def login(self, email: str, password: str) -> dict:
        if email not in self.tokens:
            url = f"{service_url('registry')}/api/v1/auth/token"
            response = expect(
                self.http.post(url, json={"email": email, "password": password}), 200, f"log in as {email}"
            )
            self.tokens[email] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self.tokens[email]

    def call(self, method: str, service: str, path: str, headers: dict | None = None, **kwargs) -> httpx.Response:
        return self.http.request(method, f"{service_url(service)}/api/v1{path}", headers=headers, **kwargs)

    def ok(self, method: str, service: str, path: str, headers: dict | None, what: str, status=(200, 201), **kwargs):
        return expect(self.call(method, service, path, headers, **kwargs), status, what).json()


def expect(response: httpx.Response, status: int | tuple[int, ...], what: str) -> httpx.Response:
    statuses = (status,) if isinstance(status, int) else status
    if response.status_code not in statuses:
        raise StepFailed(f"{what}: HTTP {response.status_code} {response.text[:400]}")
    return response


def flow_runs_of(tender_id: int) -> list:
    """Every Prefect flow run tagged with this tender, oldest first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[f"tender:{tender_id}"])),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            limit=50,
        )


def prepare_platform(production: bool, progress: Progress) -> dict[str, str]:
    """Databases, accounts and bus topology, before any process starts."""
    from click.testing import CliRunner

    from deploy.supervisor import embedded_environment, ensure_postgres_databases, production_environment
    from services.cli import create_accounts
    from services.common.bus.connection import connect
    from services.common.migrations import upgrade
    from services.common.settings import bus_url, database_url

    environment = production_environment() if production else embedded_environment()
    if production:
        created = ensure_postgres_databases()
        progress.done(f"PostgreSQL databases ready{' (created ' + ', '.join(created) + ')' if created else ''}")
    for name in ("registry", "contracting", "notifications"):
        upgrade(name, database_url(name))
    progress.done("databases migrated (one per service)")
    result = CliRunner().invoke(create_accounts, [], env={"OPERATOR_PASSWORD": environment["OPERATOR_PASSWORD"]})
    if result.exit_code != 0:
        raise StepFailed(f"creating accounts failed: {result.output or repr(result.exception)}")
    progress.done("operator and flows service account ready")
    connect(bus_url()).release()
    progress.done(f"bus topology declared on {'RabbitMQ' if production else 'the broker-less bus'}")
    return environment
