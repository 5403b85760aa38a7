"""Every Prefect deployment of the platform, defined once: served in the embedded mode, sent to a pool in production."""

from __future__ import annotations

from flows.tender_stage import tender_stage

# deployment name -> flow; a deployment is addressed as "<flow name>/<deployment name>"
DEPLOYMENTS = {"tender-stage": tender_stage}


def runner_deployments():
    return [flow.to_deployment(name=name, tags=["sscp"]) for name, flow in DEPLOYMENTS.items()]


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

    wait_for_prefect_server()
    serve(*runner_deployments(), print_starting_message=True)
