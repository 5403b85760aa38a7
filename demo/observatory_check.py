"""The round as the observatory sees it: computed from what the platform publishes (OCDS and the registry's
reference costs), it must light at least three red flags — the round has a single bid, an incumbent and
(compressed) short submission periods by construction."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx

from demo.platform import Progress, StepFailed
from services.common.settings import service_url
from services.portal.domain.observatory import report, source
from services.portal.domain.observatory.reference import reference_costs

MINIMUM_FLAGS_LIT = 3


def published_indicators(http: httpx.Client) -> report.Indicators:
    def get_json(url: str) -> dict:
        response = http.get(url)
        response.raise_for_status()
        return response.json()

    releases = source.compiled_from_api(get_json, f"{service_url('contracting')}/api/v1")
    costs = http.get(f"{service_url('registry')}/api/v1/reference-costs")
    rows = costs.json() if costs.status_code == 200 else []
    return report.indicators(releases, datetime.now(UTC), reference_costs(rows))


VIEWS = ("", "/coverage", "/spending", "/competition", "/providers", "/red-flags")
LANGUAGES = ("ro", "ru", "en")


def flagged_by_code(flags: list) -> dict[str, list[str]]:
    return {flag["code"]: sorted({c["ocid"] for c in flag["flagged"]}) for flag in flags}


def check_portal_observatory(http: httpx.Client, found: report.Indicators) -> int:
    """Every view opens in each language, and the red flags the portal shows are those computed here from the
    same published data (the portal follows the feed; it may take a refresh to catch up)."""
    portal = service_url("portal")
    for view in VIEWS:
        for language in LANGUAGES:
            page = http.get(f"{portal}/observatory{view}", params={"lang": language})
            if page.status_code != 200:
                raise StepFailed(
                    f"the observatory's {view or 'overview'} page answered {page.status_code} in {language}"
                )
    expected = flagged_by_code(report.plain(found.red_flags))
    shown: dict = {}
    for _ in range(30):
        shown = flagged_by_code(
            http.get(f"{portal}/observatory/red-flags", params={"format": "json"}).json()["indicators"]
        )
        if shown == expected:
            return len(VIEWS) * len(LANGUAGES)
        time.sleep(2)
    raise StepFailed(f"the portal's red flags {shown} differ from those recomputed from the OCDS data {expected}")


def check_observatory(progress: Progress) -> None:
    with httpx.Client(timeout=30) as http:
        found = published_indicators(http)
        pages = check_portal_observatory(http, found)
    progress.done(f"observatory: {pages} pages open (6 views in ro, ru and en) and show the flags recomputed from OCDS")
    lit = [flag for flag in found.red_flags if flag.flagged]
    described = ", ".join(f"{flag.code} ({_calls(len({c.ocid for c in flag.flagged}))})" for flag in lit)
    if len(lit) < MINIMUM_FLAGS_LIT:
        expected = f"expected at least {MINIMUM_FLAGS_LIT}"
        raise StepFailed(f"the observatory lights {len(lit)} red flags, {expected}: {described}")
    progress.done(f"observatory: {len(lit)} red flags lit from the published OCDS data: {described}")


def _calls(count: int) -> str:
    return f"{count} call" if count == 1 else f"{count} calls"
