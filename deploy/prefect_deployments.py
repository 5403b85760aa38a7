"""Every Prefect deployment of the platform, defined once: served in the embedded mode, sent to a pool in production."""

from __future__ import annotations

from flows.tender_stage import tender_stage

# deployment name -> flow; a deployment is addressed as "<flow name>/<deployment name>"
DEPLOYMENTS = {"tender-stage": tender_stage}


def runner_deployments():
    return [flow.to_deployment(name=name, tags=["sscp"]) for name, flow in DEPLOYMENTS.items()]


def serve_all() -> None:
    """Register the deployments and run their flow runs in this process (the embedded mode)."""
    from prefect import serve

    serve(*runner_deployments(), print_starting_message=True)
