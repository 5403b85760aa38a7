"""The stage runs of calls as Prefect's REST API reports them, read with httpx (the portal does not import Prefect).

The flows tag each run ``tender:<id>`` and ``stage:<name>`` (flows/scheduling.py); one POST to
``{PREFECT_API_URL}/flow_runs/filter`` with ``any_`` of the page's tender tags brings every run of the page's calls.
A flow server that cannot be reached (or answers 5xx) is ``FlowServerDown``: the page says so and goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

import httpx

# Prefect answers at most 200 runs per request; a page of calls has far fewer (a few stages per call).
RUNS_LIMIT = 200
# A flow server that is down must not hold the operator's page for long: the connection gets 2 s of the 5.
CONNECT_SECONDS = 2.0


class FlowServerDown(Exception):
    """Prefect's API did not answer, or answered something the portal cannot read."""


def tender_tag(tender_id: int) -> str:
    return f"tender:{tender_id}"


def runs_of_tenders(api_url: str, tender_ids: Iterable[int], timeout: float = 5.0) -> list[dict]:
    """Every flow run tagged with one of these calls, newest expected start first (Prefect's FlowRun JSON)."""
    tags = [tender_tag(tender_id) for tender_id in tender_ids]
    if not tags:
        return []
    body = {
        "flow_runs": {"tags": {"any_": tags}},
        "sort": "EXPECTED_START_TIME_DESC",
        "limit": RUNS_LIMIT,
    }
    try:
        response = httpx.post(
            f"{api_url}/flow_runs/filter",
            json=body,
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_SECONDS)),
        )
    except httpx.HTTPError as exc:
        raise FlowServerDown(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise FlowServerDown(f"answered {response.status_code}")
    try:
        runs = response.json()
    except ValueError as exc:
        raise FlowServerDown("answered something that is not JSON") from exc
    if not isinstance(runs, list):
        raise FlowServerDown("answered something that is not a list of runs")
    return runs


def runs_page_url(ui_url: str, tender_id: int) -> str:
    """The Prefect UI's runs list filtered to one call's tag."""
    return f"{ui_url}/runs?tag={quote(tender_tag(tender_id), safe='')}"


def run_page_url(ui_url: str, run_id: str) -> str:
    return f"{ui_url}/runs/flow-run/{quote(str(run_id), safe='')}"
