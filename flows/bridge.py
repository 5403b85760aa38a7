"""The flow bridge: a bus consumer that starts the Prefect stage run an event calls for.

Runs are created with ``run_deployment(timeout=0)`` (it does not wait) and an idempotency key derived from the
event id, so a redelivered event finds the run it already started instead of starting a second one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from services.common.bus.consumer import TransientFault
from services.common.bus.envelope import Envelope

log = logging.getLogger(__name__)

QUEUE = "bridge.stage-events"


@dataclass(frozen=True)
class StageRun:
    deployment: str
    stage: str
    parameters: dict
    flow_run_name: str
    tags: list[str]
    idempotency_key: str


def stage_run_for(envelope: Envelope) -> StageRun | None:
    """The run an event starts, or None when it starts none."""
    payload = envelope.payload
    if envelope.type == "tender.published":
        stage = "tender-stage"
        parameters = {"tender_id": payload["tender_id"], "ocid": payload["ocid"]}
    else:
        return None
    return StageRun(
        deployment=f"{stage}/{stage}",
        stage=stage,
        parameters=parameters,
        flow_run_name=f"{payload['ocid']}/{stage}",
        tags=[
            f"district:{payload['district_code']}",
            f"service:{payload['service_type']}",
            f"tender:{payload['tender_id']}",
        ],
        idempotency_key=f"{envelope.type}:{envelope.event_id}",
    )


def start_stage_run(envelope: Envelope) -> None:
    """The bridge's handler: create the run (or find the one a previous delivery created)."""
    run = stage_run_for(envelope)
    if run is None:
        return
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    try:
        flow_run = run_deployment(
            run.deployment,
            parameters=run.parameters,
            flow_run_name=run.flow_run_name,
            tags=run.tags,
            idempotency_key=run.idempotency_key,
            timeout=0,
            as_subflow=False,
        )
    except ObjectNotFound as exc:
        # The flow runner has not registered its deployments yet: wait for it, do not drop the event.
        raise TransientFault(f"deployment {run.deployment} is not registered yet") from exc
    except Exception as exc:
        if "httpx" in type(exc).__module__ or "Connect" in type(exc).__name__:
            raise TransientFault(f"Prefect API unreachable: {exc}") from exc
        raise
    log.info("started %s (flow run %s) for event %s", run.flow_run_name, flow_run.id, envelope.event_id)
