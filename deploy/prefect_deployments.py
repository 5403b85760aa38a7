"""Every Prefect deployment of the platform, defined once: served in the embedded mode, sent to a pool in production."""

from __future__ import annotations

import contextlib
import inspect
import io
import logging
import os
from pathlib import Path

from prefect.schedules import Cron, Interval, Schedule

from flows.award_stage import award_stage
from flows.evaluation_stage import evaluation_stage
from flows.renewal_sweep import renewal_sweep
from flows.stage_watch import HEARTBEAT, heartbeat_seconds, watch_stage_runs
from flows.tender_stage import tender_stage

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

# deployment name -> flow; a deployment is addressed as "<flow name>/<deployment name>"
DEPLOYMENTS = {
    "tender-stage": tender_stage,
    "evaluation-stage": evaluation_stage,
    "award-stage": award_stage,
    "renewal-sweep": renewal_sweep,
}
# The sweep runs every morning before the departments open (RENEWAL_SWEEP_CRON, Chișinău time); the demo, whose
# contracts last a minute, sets RENEWAL_SWEEP_INTERVAL_SECONDS instead. Any deployment runs by hand from the UI.
RENEWAL_SWEEP_CRON = "0 6 * * *"
TIMEZONE = "Europe/Chisinau"


def schedules(name: str) -> list[Schedule]:
    if name != "renewal-sweep":
        return []  # the stages are started by events and deadlines, not by the clock
    interval = os.environ.get("RENEWAL_SWEEP_INTERVAL_SECONDS")
    if interval:
        return [Interval(float(interval), timezone=TIMEZONE)]
    return [Cron(os.environ.get("RENEWAL_SWEEP_CRON", RENEWAL_SWEEP_CRON), timezone=TIMEZONE)]


def use_heartbeats() -> None:
    """Flow runs started from here send a heartbeat every 30 s (Prefect's default, 180 s, would leave a run whose
    runner died unnoticed for 6 minutes); the stage watch runs again a stage run silent for two heartbeats."""
    os.environ.setdefault(HEARTBEAT, str(heartbeat_seconds()))


def install_stage_watch() -> None:
    """Install the automation that runs again the stage runs of a dead runner (flows/stage_watch.py).

    A failure here is logged, not raised: without the watch the platform still runs (the renewal sweep's safety
    net catches a lost stage within SWEEP_OVERDUE_MINUTES), while a runner that exits stops the whole demo."""
    try:
        watch_stage_runs()
    except Exception:  # any failure to reach the automations API
        log.exception("the stage watch could not be installed: runs of a dead runner wait for the renewal sweep")


def runner_deployments():
    return [
        flow.to_deployment(name=name, tags=["sscp"], schedules=schedules(name)) for name, flow in DEPLOYMENTS.items()
    ]


def wait_for_prefect_server(timeout: float = 180) -> None:
    """Processes start together; the server takes ~10 s to answer, so wait instead of crashing."""
    import time

    import httpx

    from services.common.settings import prefect_api_url

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{prefect_api_url()}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"Prefect server at {prefect_api_url()} did not answer within {timeout:.0f}s")
        time.sleep(0.5)


def serve_all() -> None:
    """Register the deployments and run their flow runs in this process (the embedded mode)."""
    from prefect import serve
    from prefect.settings import get_current_settings

    wait_for_prefect_server()
    use_heartbeats()
    install_stage_watch()
    # serve(limit=None) means no limit at all (one process per due run: 48 at once were seen on 2 cores);
    # Prefect's own setting, PREFECT_RUNNER_PROCESS_LIMIT, is what its Runner uses when not told otherwise.
    limit = get_current_settings().runner.process_limit
    serve(*runner_deployments(), print_starting_message=True, limit=limit)


def register_on_pool(pool: str) -> list[str]:
    """Production: make sure the process work pool exists and register every deployment on it.

    Workers (`prefect worker start --pool <pool>`) then run the flow runs; the code is this image's, found
    at the entrypoint paths relative to the working directory (/app in the image).
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    wait_for_prefect_server()
    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
    install_stage_watch()
    ids = []
    for name, flow in DEPLOYMENTS.items():
        # A process pool needs the code's location, not an image: this checkout (or /app in the image).
        source = flow.from_source(source=str(ROOT), entrypoint=_entrypoint(flow))
        with contextlib.redirect_stdout(io.StringIO()):  # Prefect prints a banner and a table; we print one line
            deployment_id = source.deploy(
                name=name,
                work_pool_name=pool,
                tags=["sscp"],
                schedules=schedules(name),
                job_variables={"env": {HEARTBEAT: str(heartbeat_seconds())}},
                print_next_steps=False,
                ignore_warnings=True,
            )
        ids.append(deployment_id)
    return [str(deployment_id) for deployment_id in ids]


def _entrypoint(flow) -> str:
    module = inspect.getmodule(flow.fn)
    return f"{Path(module.__file__).resolve().relative_to(ROOT)}:{flow.fn.__name__}"
