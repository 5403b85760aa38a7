"""The flow bridge: a bus consumer that starts the Prefect stage run an event calls for.

Runs are created with ``run_deployment(timeout=0)`` (it does not wait) and an idempotency key derived from the
event id, so a redelivered event finds the run it already started instead of starting a second one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flows.scheduling import TenderRef
from services.common.bus.consumer import TransientFault
from services.common.bus.envelope import Envelope

log = logging.getLogger(__name__)

QUEUE = "bridge.stage-events"

# event type -> the stage it starts (and extra parameters for it)
STAGE_FOR_EVENT: dict[str, tuple[str, dict]] = {
    "tender.published": ("tender-stage", {}),
    # A moved deadline re-runs the tender stage: it invites nobody twice and moves the scheduled evaluation.
    "tender.deadline_moved": ("tender-stage", {}),
    "evaluation.scores_complete": ("evaluation-stage", {}),
    "evaluation.completed": ("award-stage", {"phase": "decided"}),
    # An upheld complaint sends the call back to evaluation; a rejected one releases the held standstill end.
    "complaint.upheld": ("evaluation-stage", {}),
    "complaint.rejected": ("award-stage", {"phase": "standstill_end"}),
}


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
    if envelope.type not in STAGE_FOR_EVENT:
        return None
    stage, extra = STAGE_FOR_EVENT[envelope.type]
    tender = TenderRef.from_payload(envelope.payload)
    return StageRun(
        deployment=f"{stage}/{stage}",
        stage=stage,
        parameters={**tender.parameters(), **extra},
        flow_run_name=f"{tender.ocid}/{stage}",
        tags=tender.tags(stage),
        idempotency_key=f"{envelope.type}:{envelope.event_id}",
    )


def start_stage_run(envelope: Envelope):
    """The bridge's handler: create the run (or find the one a previous delivery created)."""
    run = stage_run_for(envelope)
    if run is None:
        return None
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
    log.info(
        "started %s (flow run %s)",
        run.flow_run_name,
        flow_run.id,
        extra={"event_id": envelope.event_id, "ocid": envelope.correlation_id},
    )
    return flow_run
