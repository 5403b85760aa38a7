"""The round benchmark's baseline flow: a stage run that does nothing except its share of no-op task runs.

Served by ``python -m bench.round_noop serve`` (embedded, as ``sscp flows serve`` serves the stage flows) or
registered on a process work pool (production, as ``sscp flows deploy`` does), so a baseline run is created,
picked up and executed exactly as a real stage run is, minus the stage's HTTP calls.
"""

from __future__ import annotations

import sys

from prefect import flow, task

from bench.common import ROOT

DEPLOYMENT = "noop-stage/noop-stage"


@task
def noop_step(number: int) -> int:
    return number


@flow(name="noop-stage")
def noop_stage(tasks: int = 0) -> int:
    """As many task runs, one after another, as the real stage run it stands for had."""
    for number in range(tasks):
        noop_step(number)
    return tasks


def serve_noop() -> None:
    from prefect import serve

    from deploy.prefect_deployments import wait_for_prefect_server

    wait_for_prefect_server()
    serve(noop_stage.to_deployment(name="noop-stage", tags=["bench"]), print_starting_message=False)


def register_noop_on_pool(pool: str) -> str:
    """Production shape: the deployment on a process work pool, its code found in this checkout."""
    import contextlib
    import io

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
    source = noop_stage.from_source(source=str(ROOT), entrypoint="bench/round_noop.py:noop_stage")
    with contextlib.redirect_stdout(io.StringIO()):  # Prefect prints a banner and a table
        deployment_id = source.deploy(
            name="noop-stage", work_pool_name=pool, tags=["bench"], print_next_steps=False, ignore_warnings=True
        )
    return str(deployment_id)


if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        sys.exit("usage: python -m bench.round_noop serve")
    serve_noop()
