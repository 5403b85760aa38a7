"""`sscp`: the platform's command line (migrate, run processes, manage accounts, run the demo)."""

from __future__ import annotations

import click

from services.common.runtime import configure_logging
from services.processes import SERVICE_NAMES


@click.group()
def main() -> None:
    """Social services contracting platform."""
    configure_logging()


@main.command()
@click.argument("services", nargs=-1, type=click.Choice(SERVICE_NAMES))
def migrate(services: tuple[str, ...]) -> None:
    """Upgrade each service's own database to its newest migration (all by default)."""
    from services.common.migrations import upgrade
    from services.common.settings import database_url

    for name in services or SERVICE_NAMES:
        click.echo(f"migrating {name} …")
        upgrade(name, database_url(name))
    if "registry" in (services or SERVICE_NAMES):
        from services.registry.bootstrap import bootstrap

        click.echo(f"signing key: {bootstrap().key_ring.signing_key().kid}")


@main.command()
@click.argument("service", type=click.Choice(SERVICE_NAMES))
def relay(service: str) -> None:
    """Run SERVICE's outbox relay: committed events to the bus, with confirms."""
    from services.processes import run_relay

    run_relay(service)


@main.command()
@click.argument("service", type=click.Choice(["contracting", "notifications"]))
def consume(service: str) -> None:
    """Run SERVICE's bus consumer (contracting's registry replica, or the notifications worker)."""
    from services.processes import run_consumer

    run_consumer(service)


@main.command()
@click.argument("service", type=click.Choice(["notifications"]))
def dispatch(service: str) -> None:
    """Run SERVICE's dispatcher: send due e-mail, inbox notices and webhooks, and bundle digests."""
    from services.processes import run_dispatcher

    run_dispatcher(service)


@main.command()
@click.argument("service", type=click.Choice(SERVICE_NAMES))
def background(service: str) -> None:
    """Run all of SERVICE's loops in one process: its relay, its consumer and (notifications) its dispatcher."""
    from services.processes import run_background

    run_background(service)


@main.command()
def bridge() -> None:
    """Run the flow bridge: stage events to Prefect flow runs."""
    from services.processes import run_bridge

    run_bridge()


@main.group()
def health() -> None:
    """Probes for container healthchecks."""


@health.command("heartbeat")
@click.argument("name")
@click.option("--max-age", default=60.0, show_default=True, help="Seconds since the last beat still counted healthy.")
def health_heartbeat(name: str, max_age: float) -> None:
    """Exit 0 if process NAME's loop went round within MAX_AGE seconds; exit 1 saying when it last did otherwise."""
    from services.common.runtime import heartbeat_age, heartbeat_path

    age = heartbeat_age(name)
    if age is None:
        raise click.ClickException(f"{name} has not beaten yet (no {heartbeat_path(name)})")
    if age > max_age:
        raise click.ClickException(f"{name} last beat {age:.0f}s ago (more than {max_age:.0f}s): stuck or down")
    click.echo(f"{name} beat {age:.1f}s ago")


@main.group()
def flows() -> None:
    """Prefect deployments of the stage flows."""


@flows.command("server", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def flows_server(arguments: tuple[str, ...]) -> None:
    """Start the Prefect server (`prefect server start ARGUMENTS`) with the scheduler fix for SQLAlchemy 2.1."""
    from deploy.prefect_server import start

    start(arguments)


@flows.command("serve")
def flows_serve() -> None:
    """Register the deployments and run their flow runs in this process (embedded mode)."""
    from deploy.prefect_deployments import serve_all

    serve_all()


@flows.command("deploy")
@click.option("--pool", default="sscp-pool", show_default=True, help="Process work pool the workers poll.")
def flows_deploy(pool: str) -> None:
    """Register the deployments on a work pool (production: workers run them)."""
    from deploy.prefect_deployments import register_on_pool

    for deployment_id in register_on_pool(pool):
        click.echo(f"registered deployment {deployment_id} on {pool}")


@flows.command("worker")
@click.option("--pool", default="sscp-pool", show_default=True)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    envvar="PREFECT_RUNNER_PROCESS_LIMIT",
    help="Flow runs at once (default: $PREFECT_RUNNER_PROCESS_LIMIT, the embedded runner's limit; none if unset).",
)
def flows_worker(pool: str, limit: int | None) -> None:
    """Wait for the Prefect server, then become a process worker of POOL (production)."""
    import os
    import shutil

    from deploy.prefect_deployments import wait_for_prefect_server

    wait_for_prefect_server()
    prefect = shutil.which("prefect") or "prefect"
    # Without a limit a process worker starts every due run at once: at a national deadline that is one
    # interpreter per call (~1.4 s of CPU and ~100 MB each) all starting together on the same cores.
    extra = ["--limit", str(limit)] if limit else []
    os.execvp(prefect, [prefect, "worker", "start", "--pool", pool, "--type", "process", *extra])


@main.command("create-accounts")
@click.option("--operator-email", default="operator@sscp.md", show_default=True)
@click.option("--operator-password", envvar="OPERATOR_PASSWORD", required=True)
def create_accounts(operator_email: str, operator_password: str) -> None:
    """Create the first operator and the flows' service account (skips those that exist)."""
    from flows.client import SERVICE_ACCOUNT_EMAIL, service_account_password
    from services.common.errors import Conflict
    from services.registry.bootstrap import bootstrap
    from services.registry.service_layer.commands import CreateUser
    from services.registry.service_layer.handlers import create_user

    context = bootstrap()
    accounts = [
        CreateUser(email=operator_email, password=operator_password, role="operator"),
        CreateUser(email=SERVICE_ACCOUNT_EMAIL, password=service_account_password(), role="service"),
    ]
    for account in accounts:
        try:
            # No principal: the platform itself creates its first accounts, bound by no caller's district.
            create_user(context.system_call(), account)
            click.echo(f"created {account.role} {account.email}")
        except Conflict:
            click.echo(f"{account.role} {account.email} exists")


@main.group()
def keys() -> None:
    """The registry's token signing keys."""


@keys.command("rotate")
def keys_rotate() -> None:
    """Start signing with a new key; old keys stay published until you remove them."""
    from services.registry.bootstrap import bootstrap

    key = bootstrap().key_ring.rotate()
    click.echo(f"new signing key {key.kid}")


@keys.command("remove")
@click.argument("kid")
def keys_remove(kid: str) -> None:
    """Stop publishing an old key once its last token has expired (its tokens are refused from then on)."""
    from services.registry.bootstrap import bootstrap

    try:
        bootstrap().key_ring.remove(kid)
    except (KeyError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"removed signing key {kid}")


@main.group()
def accreditations() -> None:
    """The registry's accreditations."""


@accreditations.command("expire")
def accreditations_expire() -> None:
    """Expire accreditations whose term ended before today in Chișinău (daily; running it twice changes nothing)."""
    from services.registry.bootstrap import bootstrap
    from services.registry.domain.rules import local_date
    from services.registry.service_layer.accreditations import expire_accreditations

    context = bootstrap()
    call = context.system_call()
    expired = expire_accreditations(call, local_date(call.now))
    click.echo(f"expired {len(expired)} accreditation(s)" + (f": {', '.join(map(str, expired))}" if expired else ""))


@main.group()
def audit() -> None:
    """Tenders' hash-chained audit logs."""


@audit.command("verify")
@click.argument("tender_id", type=int)
def audit_verify(tender_id: int) -> None:
    """Recompute a tender's audit chain; exit 1 naming the first broken entry if it does not hold."""
    from services.common.errors import NotFound
    from services.contracting.bootstrap import bootstrap
    from services.contracting.service_layer.audit_verification import verify_audit_chain

    try:
        result = verify_audit_chain(bootstrap(), tender_id)
    except NotFound as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(result.summary())
    if not result.intact:
        raise SystemExit(1)


@main.group()
def documents() -> None:
    """Documents' stored files (DOCUMENTS_DIR)."""


@documents.command("sweep")
@click.option("--older-than-minutes", default=60.0, show_default=True, help="Grace for uploads still in flight.")
def documents_sweep(older_than_minutes: float) -> None:
    """Remove stored files no document points to (left by a crash between an upload's write and its commit)."""
    from services.contracting.bootstrap import bootstrap
    from services.contracting.service_layer.documents import sweep_orphans

    context = bootstrap()
    removed = sweep_orphans(context.session_factory, context.document_store, older_than_minutes * 60)
    click.echo(f"removed {len(removed)} orphan file(s) from {context.own_settings.documents_dir}")


@main.command()
@click.option("--contracting-url", help="Contracting's base URL [default: CONTRACTING_URL, else 127.0.0.1:5002].")
@click.option("--from-file", type=click.Path(exists=True, dir_okay=False), help="OCDS records (or compiled releases).")
@click.option(
    "--reference-costs",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON rows as the registry's GET /api/v1/reference-costs gives them [default: read from the registry when "
    "the releases come from the API].",
)
@click.option("--registry-url", help="The registry's base URL [default: REGISTRY_URL, else 127.0.0.1:5001].")
@click.option("--as-of", help="The moment coverage is judged at (ISO-8601, UTC) [default: now].")
@click.option("--year", type=int, help="Only calls published in this year.")
@click.option("--district", help="Only this district (ISO 3166-2:MD code, e.g. MD-CU).")
@click.option("--service", help="Only this service type (e.g. home-care).")
@click.option("--min-submission-days", multiple=True, help="R003's minimum per method, e.g. selective=15.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts as exact decimal strings).")
def indicators(
    contracting_url,
    from_file,
    reference_costs,
    registry_url,
    as_of,
    year,
    district,
    service,
    min_submission_days,
    as_json,
) -> None:
    """Print the observatory's indicators, computed from the published OCDS records."""
    import json
    from datetime import UTC, datetime
    from decimal import Decimal
    from pathlib import Path

    from services.common.settings import service_url
    from services.portal.domain.observatory import report, source, tables
    from services.portal.domain.observatory.red_flags import FlagRules
    from services.portal.domain.observatory.reference import reference_costs as read_costs

    try:
        moment = datetime.fromisoformat(as_of.replace("Z", "+00:00")) if as_of else datetime.now(UTC)
        if reference_costs:
            costs = read_costs(json.loads(Path(reference_costs).read_text("utf-8")))
        elif from_file:
            costs = read_costs([])
        else:
            costs = read_costs(_get_json(f"{registry_url or service_url('registry')}/api/v1/reference-costs"))
        if from_file:
            releases = source.compiled_releases(json.loads(Path(from_file).read_text("utf-8")))
        else:
            releases = source.compiled_from_api(_get_json, f"{contracting_url or service_url('contracting')}/api/v1")
        minimums = {method: Decimal(days) for method, _, days in (m.partition("=") for m in min_submission_days)}
    except (ValueError, KeyError, OSError, ArithmeticError) as exc:
        raise click.ClickException(f"cannot compute the indicators: {exc}") from exc
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    rules = FlagRules(min_submission_days=minimums) if minimums else FlagRules()
    found = report.indicators(releases, moment, costs, report.Filters(year, district, service), rules)
    if as_json:
        click.echo(json.dumps(report.plain(found), ensure_ascii=False, indent=2))
        return
    click.echo("\n\n".join(tables.render(table) for table in tables.tables(found)))


def _get_json(url: str) -> dict:
    """GET a public JSON document; a refusal or an unreachable service stops the command with a message."""
    import httpx

    try:
        response = httpx.get(url, timeout=30.0)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise click.ClickException(f"cannot read {url}: {exc}") from exc
    return response.json()


@main.command()
@click.option("--once", is_flag=True, help="Run the demo round, then stop everything and exit 0 on success.")
@click.option(
    "--production",
    is_flag=True,
    help="Production shape on this machine: PostgreSQL, RabbitMQ, Prefect server on PostgreSQL, a work pool.",
)
def demo(once: bool, production: bool) -> None:
    """Start every process, seed data and drive a demo tender round through them."""
    import logging

    from demo import run_demo

    # The demo prints its own progress; the processes' logs go to var/log/processes.log.
    logging.getLogger().setLevel(logging.WARNING)
    raise SystemExit(run_demo(once=once, production=production))


if __name__ == "__main__":  # `python -m services.cli …`: how the demo runs `create-accounts` (demo/platform.py)
    main()
