"""Runs the demo round: start the platform, seed it, publish the calls, let the flows work, check every outcome."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table

from demo.cast import cso
from demo.documents import check_public_documents, listed
from demo.observatory_check import check_observatory
from demo.platform import (
    Api,
    Progress,
    StepFailed,
    drain_outboxes,
    flow_runs_of,
    prepare_platform,
    report_restarts,
)
from demo.portal_check import check_portal
from demo.run_check import check_flow_runs
from demo.scenarios import Scenario, national_round
from demo.seed import Cast, seed
from services.common.settings import prefect_api_url, service_url

# A bound that catches a stuck round, not a target: a round takes 2-3 minutes on a quiet 2-core machine; with
# every kind of process SIGKILLed once (tests/e2e) on a machine at half speed, over five (a stage run revived after
# its worker and the Prefect server died comes up to two minutes late).
ROUND_TIMEOUT_SECONDS = 600


def run_demo(once: bool, production: bool = False) -> int:
    from deploy.supervisor import PROCFILE, PRODUCTION_PROCFILE, Supervisor, _embedded_secret, wait_until_ready
    from services.common.settings import var_dir

    # A supervisor's SIGTERM must stop the children too, exactly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    progress = Progress()
    mode = "production shape (PostgreSQL, RabbitMQ, Prefect work pool)" if production else "embedded"
    click.echo(f"Social services contracting platform — demo round ({mode})")
    try:
        environment = prepare_platform(production, progress)
    except Exception as exc:  # a clear message, not a traceback, for a person at a terminal
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
        api = Api()
        cast = seed(api, environment["OPERATOR_PASSWORD"], _embedded_secret(var_dir(), "demo-user-password"), progress)
        round_started = datetime.now(UTC)
        scenarios = play_round(api, cast, progress, supervisor)
        print_summary(api, cast, scenarios, progress)
        check_portal(scenarios, progress)
        check_observatory(progress)
        print_sign_ins(cast, production)
        check_flow_runs(round_started, progress)  # a red run in the Prefect UI fails the round, outcomes or not
        if once:
            supervisor.quiesce()  # nothing new is committed after the drain
            drain_outboxes(progress)
            return 0
        drain_outboxes(progress)
        click.echo(f"  Every process keeps running (logs: {supervisor.log_path}). Ctrl-C stops them all.")
        while supervisor.alive():
            time.sleep(1)
        click.echo(f"  a process kept dying; last log lines:\n{supervisor.log_tail()}", err=True)
        return 1
    except (StepFailed, RuntimeError) as exc:
        click.echo(f"\n  ✗ demo failed: {exc}\n  process log: {supervisor.log_path}", err=True)
        return 1
    except Exception as exc:  # still a ✗ and the process log, not a bare traceback
        click.echo(f"\n  ✗ demo failed: {type(exc).__name__}: {exc}\n  process log: {supervisor.log_path}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("\n  stopping every process …")
        return 0
    finally:
        supervisor.stop()
        progress.done("all processes stopped")
        report_restarts(supervisor, progress)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def play_round(api: Api, cast: Cast, progress: Progress, supervisor) -> list[Scenario]:
    """Publish every call, then let time and the flows move them, acting for people when it is their turn."""
    enquiry = int(os.environ.get("CONTRACTING_MIN_ENQUIRY_SECONDS", "20")) + 5
    tendering = int(os.environ.get("CONTRACTING_MIN_TENDERING_SECONDS", "20")) + 5
    scenarios = national_round()
    for scenario in scenarios:
        scenario.start(api, cast, enquiry, tendering)
    shown = {id(s): 0 for s in scenarios}
    deadline = time.monotonic() + ROUND_TIMEOUT_SECONDS
    while True:
        for scenario in scenarios:
            if not scenario.finished:
                scenario.tick(api, cast)
            for message in scenario.log[shown[id(scenario)] :]:
                progress.info(f"{scenario.ocid():<16} {scenario.district} {scenario.service:<13} {message}")
            shown[id(scenario)] = len(scenario.log)
        if all(s.finished for s in scenarios):
            return scenarios
        if not supervisor.alive():
            raise StepFailed(f"a process exited during the round; last log lines:\n{supervisor.log_tail()}")
        if time.monotonic() > deadline:
            stuck = ", ".join(f"{s.ocid()} ({s.state()})" for s in scenarios if not s.finished)
            raise StepFailed(f"the round did not finish within {ROUND_TIMEOUT_SECONDS}s: still open {stuck}")
        time.sleep(1)


def check_outcomes(api: Api, cast: Cast, scenarios: list[Scenario]) -> list[str]:
    """What did not turn out as the scenario expects (empty when all did)."""
    problems = []
    for scenario in scenarios:
        winners = scenario.winners(api, cast) if scenario.status != "unsuccessful" else []
        if scenario.name == "two winners" and (scenario.status == "unsuccessful" or len(winners) != 2):
            problems.append(f"{scenario.ocid()}: expected two winners, got {scenario.status} with {winners}")
        if scenario.name == "unsuccessful" and scenario.status != "unsuccessful":
            problems.append(f"{scenario.ocid()}: expected unsuccessful, got {scenario.status}")
        if scenario.name == "complaint upheld" and (
            not scenario.complaint_resolved or winners != ["AO Keystone Moldova"]
        ):
            problems.append(f"{scenario.ocid()}: expected re-award to the complainant, got {winners}")
        if scenario.name == "single bid" and winners != ["AO Casa Speranței"]:
            problems.append(f"{scenario.ocid()}: expected an award to its only bidder, got {winners}")
    return problems


def contracts_table(api: Api, cast: Cast, scenarios: list[Scenario]) -> Table:
    """Every contract of the round: signed, and for those followed, what the renewal sweep made of them."""
    table = Table(title="Contracts", show_lines=False)
    for column in ("contract", "tender", "provider", "status", "ends (UTC)", "renewals", "next"):
        table.add_column(column)
    for scenario in scenarios:
        if scenario.status != "complete":
            continue
        names = {cast.providers[offer.cso]: cso(offer.cso).name for offer in scenario.offers}
        followed = {delivery.contract_id: delivery for delivery in scenario.deliveries}
        path = f"/tenders/{scenario.tender['id']}/contracts"
        for contract in api.ok("GET", "contracting", path, cast.operator, "contracts"):
            delivery = followed.get(contract["id"])
            upcoming = "—"
            if delivery and delivery.renewed:
                upcoming = "renewed by the authority on the sweep's proposal"
            elif delivery and delivery.successor_ocid:
                upcoming = f"successor call {delivery.successor_ocid}; continuity risk {delivery.alerted}"
            table.add_row(
                str(contract["id"]),
                scenario.ocid(),
                names.get(contract["provider_id"], str(contract["provider_id"])),
                contract["status"],
                contract["end_at"][11:19],
                str(contract["renewals"]),
                upcoming,
            )
    return table


def public_documents(api: Api, tender_id: int) -> str:
    """What anyone may download now, by title (a winner's proposal is public after the award; no other bid's)."""
    titles = Counter(document["title"] for document in listed(api, None, tender_id))
    return ", ".join(f"{title} ({count})" if count > 1 else title for title, count in titles.items()) or "—"


def print_sign_ins(cast: Cast, production: bool) -> None:
    """Who can sign in to the portal to see the round, by role (the demo's own accounts)."""
    from demo.cast import AUTHORITIES, evaluator_emails
    from services.common.settings import service_url, var_dir

    table = Table(title=f"Sign in to the portal: {service_url('portal')}", show_lines=False)
    for column in ("role", "e-mail", "password"):
        table.add_column(column)
    operator_password = (
        "OPERATOR_PASSWORD (your environment)" if production else str(var_dir() / "secrets" / "operator-password")
    )
    table.add_row("operator", "operator@sscp.md", f"in {operator_password}")
    table.add_row("department (Chișinău)", AUTHORITIES["MD-CU"], cast.password)
    table.add_row("evaluators (Chișinău)", ", ".join(evaluator_emails("MD-CU")), cast.password)
    for key in ("speranta", "concordia", "keystone"):
        table.add_row(f"CSO ({cso(key).name})", f"user@{key}.md", cast.password)
    Console().print(table)


def print_summary(api: Api, cast: Cast, scenarios: list[Scenario], progress: Progress) -> None:
    table = Table(title="Demo round", show_lines=False)
    for column in ("tender", "district", "service", "outcome", "winners", "public documents", "notices", "flow runs"):
        table.add_column(column)
    for scenario in scenarios:
        runs = flow_runs_of(scenario.tender["id"])
        stages = Counter(run.name.split("/")[-1].removesuffix("-stage") for run in runs)
        notices = api.ok(
            "GET",
            "notifications",
            "/deliveries",
            cast.operator,
            "deliveries",
            params={"correlation_id": scenario.ocid(), "page_size": 100},
        )
        winners = scenario.winners(api, cast) if scenario.status != "unsuccessful" else []
        table.add_row(
            scenario.ocid(),
            scenario.district,
            scenario.service,
            scenario.status,
            ", ".join(winners) or "—",
            public_documents(api, scenario.tender["id"]),
            str(len(notices)),
            f"{len(runs)} ({', '.join(stages)})",
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # a log or CI has no terminal width to honour
    console.print(table)
    console.print(contracts_table(api, cast, scenarios))
    problems = check_outcomes(api, cast, scenarios)
    if problems:
        raise StepFailed("; ".join(problems))
    checked, in_ocds = check_public_documents(api, [scenario.tender for scenario in scenarios])
    progress.done(f"{checked} public documents download without a token and hash to what the platform states")
    progress.done(f"{in_ocds} documents listed in the OCDS records download as their url says, hash as stated")
    progress.done(f"every tender reached its expected outcome in {progress.elapsed():.0f}s")
    click.echo(f"  Prefect UI: {prefect_api_url().removesuffix('/api')}/runs  (filter by tag tender:<id>)")
    click.echo(
        f"  APIs: {service_url('registry')}/api/v1/docs · {service_url('contracting')}/api/v1/docs · "
        f"{service_url('notifications')}/api/v1/docs"
    )
