"""`make demo`: start every process, seed accounts and data, drive a tender through the real pipeline.

The path proved end to end (each step waits for the effect in the next process):
registry publishes accreditation.granted -> contracting's eligibility replica has it -> an authority publishes a
call -> notifications records a delivery for tender.published -> the bridge starts the tender-stage flow run
(named after the ocid, visible in the Prefect UI) -> the flow invites the eligible CSO through contracting's
API -> notifications records the invitation delivery.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import click
import httpx

from services.common.settings import prefect_api_url, service_url

DEMO_DISTRICT = "MD-CU"
DEMO_SERVICE = "home-care"


class StepFailed(RuntimeError):
    pass


class Progress:
    """One line per step with the time since the start: progress, not a log flood."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def done(self, message: str) -> None:
        click.echo(f"  [{time.monotonic() - self.started:6.1f}s] ✓ {message}")

    def info(self, message: str) -> None:
        click.echo(f"  [{time.monotonic() - self.started:6.1f}s]   {message}")


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
    raise StepFailed(
        f"timed out after {timeout:.0f}s waiting for {description}" + (f" ({last_error})" if last_error else "")
    )


class Api:
    """The actors' view: plain HTTP calls with their own tokens."""

    def __init__(self) -> None:
        self.http = httpx.Client(timeout=15)

    def login(self, email: str, password: str) -> dict:
        response = self.http.post(
            f"{service_url('registry')}/api/v1/auth/token", json={"email": email, "password": password}
        )
        _expect(response, 200, f"log in as {email}")
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def call(self, method: str, service: str, path: str, headers: dict | None = None, **kwargs) -> httpx.Response:
        return self.http.request(method, f"{service_url(service)}/api/v1{path}", headers=headers, **kwargs)


def _expect(response: httpx.Response, status: int | tuple[int, ...], what: str) -> httpx.Response:
    statuses = (status,) if isinstance(status, int) else status
    if response.status_code not in statuses:
        raise StepFailed(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response


def ensure_provider(api: Api, operator: dict, idno: str, name: str, email: str) -> dict:
    found = _expect(api.call("GET", "registry", "/providers", operator, params={"idno": idno}), 200, "find provider")
    if found.json():
        return found.json()[0]
    body = {
        "idno": idno,
        "legal_name": name,
        "email": email,
        "districts_served": [DEMO_DISTRICT],
        "languages": ["ro"],
    }
    return _expect(api.call("POST", "registry", "/providers", operator, json=body), 201, "register provider").json()


def ensure_accreditation(api: Api, operator: dict, provider: dict) -> dict:
    for accreditation in provider.get("accreditations", []):
        if accreditation["service_type"] == DEMO_SERVICE:
            return accreditation
    today = datetime.now(UTC).date()
    body = {
        "service_type": DEMO_SERVICE,
        "accrediting_body": "Agenția Națională pentru Asistență Socială",
        "certificate_number": f"ANAS-{provider['idno'][-6:]}",
        "valid_from": (today - timedelta(days=30)).isoformat(),
        "valid_to": (today + timedelta(days=5 * 365)).isoformat(),
    }
    path = f"/providers/{provider['id']}/accreditations"
    return _expect(api.call("POST", "registry", path, operator, json=body), 201, "grant accreditation").json()


def ensure_user(api: Api, operator: dict, body: dict) -> None:
    _expect(
        api.call("POST", "registry", "/users", operator, json=body),
        (201, 409),
        f"create user {body['email']}",
    )


def flow_run_state(flow_run_name: str) -> str | None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[flow_run_name])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=5,
        )
    return runs[0].state.type.value if runs and runs[0].state else None


def drive_tender_path(api: Api, operator_password: str, demo_password: str, progress: Progress) -> dict:
    operator = api.login("operator@sscp.md", operator_password)
    provider = ensure_provider(api, operator, "1003600012345", "AO Casa Speranței", "contact@casa-sperantei.md")
    accreditation = ensure_accreditation(api, operator, provider)
    progress.done(f"registry: provider {provider['id']} accredited for {DEMO_SERVICE} (accreditation.granted)")

    def replica_has_it():
        body = api.call("GET", "contracting", f"/replica/providers/{provider['id']}", operator).json()
        return any(a["accreditation_id"] == accreditation["id"] for a in body.get("accreditations", []))

    wait_for("contracting's eligibility replica to receive accreditation.granted", replica_has_it)
    progress.done("contracting: eligibility replica received accreditation.granted over the bus")

    authority_email = "asistenta.sociala@chisinau.md"
    ensure_user(
        api,
        operator,
        {
            "email": authority_email,
            "password": demo_password,
            "role": "authority",
            "district_code": DEMO_DISTRICT,
        },
    )
    authority = api.login(authority_email, demo_password)
    now = datetime.now(UTC)
    draft = {
        "district_code": DEMO_DISTRICT,
        "service_type": DEMO_SERVICE,
        "title": "Îngrijire socială la domiciliu, sectorul Centru",
        "description": "Servicii de îngrijire la domiciliu pentru 40 de beneficiari.",
        "enquiry_end": (now + timedelta(minutes=10)).isoformat(),
        "submission_deadline": (now + timedelta(minutes=20)).isoformat(),
    }
    tender = _expect(api.call("POST", "contracting", "/tenders", authority, json=draft), 201, "create draft").json()
    tender = _expect(
        api.call("POST", "contracting", f"/tenders/{tender['id']}/publish", authority), 200, "publish"
    ).json()
    ocid = tender["ocid"]
    progress.done(f"contracting: {ocid} published (tender.published)")

    def deliveries(event_type: str):
        params = {"correlation_id": ocid, "event_type": event_type}
        return api.call("GET", "notifications", "/deliveries", operator, params=params).json()

    wait_for("notifications to record a delivery for tender.published", lambda: deliveries("tender.published"))
    progress.done("notifications: delivery recorded for tender.published")

    run_name = f"{ocid}/tender-stage"
    state = wait_for(
        f"flow run {run_name} to complete",
        lambda: (s := flow_run_state(run_name)) in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") and s,
        timeout=120,
        interval=1,
    )
    if state != "COMPLETED":
        raise StepFailed(f"flow run {run_name} ended {state}; see the Prefect UI")
    progress.done(f"prefect: flow run {run_name} completed (bridge -> run_deployment -> flow runner)")

    invited = wait_for("the invitation delivery", lambda: deliveries("tender.invitation_sent"))
    recipients = {delivery["recipient"] for delivery in invited}
    progress.done(f"contracting + notifications: {len(recipients)} eligible CSO(s) invited by the flow")
    return {"ocid": ocid, "tender_id": tender["id"], "flow_run": run_name, "invited": len(recipients)}


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


def run_demo(once: bool, production: bool = False) -> int:
    from deploy.supervisor import PROCFILE, PRODUCTION_PROCFILE, Supervisor, _embedded_secret, wait_until_ready
    from services.common.settings import var_dir

    progress = Progress()
    mode = "production shape (PostgreSQL, RabbitMQ, Prefect work pool)" if production else "embedded"
    click.echo(f"Social services contracting platform — demo round ({mode})")
    try:
        environment = prepare_platform(production, progress)
    except Exception as exc:  # a clear message, not a traceback, for a user at a terminal
        click.echo(f"  ✗ preparing the platform failed: {exc}", err=True)
        return 1
    supervisor = Supervisor(PRODUCTION_PROCFILE if production else PROCFILE)
    supervisor.start()
    try:
        wait_until_ready(supervisor, lambda name: progress.done(f"{name} is ready"))
        if production:
            from deploy.prefect_deployments import register_on_pool

            register_on_pool(environment.get("PREFECT_WORK_POOL", "sscp-pool"))
            progress.done("deployments registered on the work pool")
        demo_password = _embedded_secret(var_dir(), "demo-user-password")
        summary = drive_tender_path(Api(), environment["OPERATOR_PASSWORD"], demo_password, progress)
        click.echo("")
        click.echo(
            f"  tender {summary['ocid']}: published, notified, flow run {summary['flow_run']} completed, "
            f"{summary['invited']} invitation(s)"
        )
        click.echo(f"  Prefect UI: {prefect_api_url().removesuffix('/api')}/runs")
        click.echo(
            f"  APIs: {service_url('registry')}/api/v1/docs · {service_url('contracting')}/api/v1/docs · "
            f"{service_url('notifications')}/api/v1/docs"
        )
        if once:
            return 0
        click.echo(f"  Every process keeps running (logs: {supervisor.log_path}). Ctrl-C stops them all.")
        while supervisor.alive():
            time.sleep(1)
        click.echo(f"  a process exited; last log lines:\n{supervisor.log_tail()}", err=True)
        return 1
    except (StepFailed, RuntimeError) as exc:
        click.echo(f"\n  ✗ demo failed: {exc}\n  process log: {supervisor.log_path}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("\n  stopping every process …")
        return 0
    finally:
        supervisor.stop()
        progress.done("all processes stopped")
