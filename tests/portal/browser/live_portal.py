"""The portal and the three services as real processes (gunicorn, relays, consumers, dispatcher) for browser tests.

Prefect is left out: nothing a CSO does in the portal waits for a stage flow (bidding closes by the contracting
service's clock), so the platform starts in seconds. It is seeded through the APIs with the demo's cast, and one
call per scenario is published with its deadline an hour away, so a CSO can bid, modify, withdraw and bid again.
A test that needs a call past its deadline publishes its own with `open_call`'s short periods and does the flows'
steps itself over HTTP, as the operator (see test_cso_after_the_award.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from demo.documents import attach, pdf
from demo.platform import Api, Progress, prepare_platform
from demo.seed import Cast, seed
from deploy.supervisor import PROCFILE, Supervisor, _embedded_secret, free_port, readiness_probes, wait_until_ready

# What a CSO's work needs: the APIs, the portal, and the bus between them (the replica, the notices).
PROCESSES = (
    "registry",
    "contracting",
    "notifications",
    "portal",
    "registry-background",
    "contracting-background",
    "notifications-background",
)


@dataclass
class LivePortal:
    url: str
    api_urls: dict[str, str]
    cast: Cast
    calls: dict[str, dict]
    var_dir: Path
    environment: dict[str, str]  # what the processes were started with (OPERATOR_PASSWORD, the short periods…)

    def sign_in_headers(self, email: str) -> dict:
        token = httpx.post(
            f"{self.api_urls['registry']}/api/v1/auth/token", json={"email": email, "password": self.cast.password}
        ).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def subset_procfile(directory: Path) -> Path:
    lines = [line for line in PROCFILE.read_text().splitlines() if line.split(":", 1)[0] in PROCESSES]
    path = directory / "Procfile.portal-tests"
    path.write_text("\n".join(lines) + "\n")
    return path


def open_call(
    api: Api,
    authority: dict,
    district: str,
    service: str,
    title: str,
    places: int,
    enquiry: timedelta = timedelta(minutes=30),
    tendering: timedelta = timedelta(minutes=30),
    max_awards: int = 2,
) -> dict:
    """Draft, terms attached, published: questions for ``enquiry``, then bids for ``tendering``."""
    now = datetime.now(UTC)
    body = {
        "district_code": district,
        "service_type": service,
        "title": title,
        "description": f"{places} locuri, contract de 12 luni.",
        "enquiry_end": (now + enquiry).isoformat(),
        "submission_deadline": (now + enquiry + tendering).isoformat(),
        "lots": [
            {
                "title": title,
                "places": places,
                "budget": str(places * 6000),
                "duration_months": 12,
                "max_awards": max_awards,
            }
        ],
        "criteria": [
            {"kind": "price", "name": "Preț", "weight": 40},
            {"kind": "quality", "name": "Calitate", "weight": 60},
        ],
        "committee_size": 3,
    }
    draft = api.ok("POST", "contracting", "/tenders", authority, f"{title}: draft", json=body)
    terms = pdf(f"Caietul de sarcini: {title}", f"{places} locuri, 12 luni.")
    attach(api, authority, draft["id"], "caiet-de-sarcini.pdf", "Caietul de sarcini", terms, "attach terms")
    return api.ok("POST", "contracting", f"/tenders/{draft['id']}/publish", authority, f"{title}: publish")


@contextlib.contextmanager
def live_portal(directory: Path) -> Iterator[LivePortal]:
    # PREFECT_PORT too: no Prefect runs here, but the start-up checks every port the Procfile names.
    ports = {
        name: free_port()
        for name in ("PORTAL_PORT", "REGISTRY_PORT", "CONTRACTING_PORT", "NOTIFICATIONS_PORT", "PREFECT_PORT")
    }
    var = directory / "var"
    values = {
        "VAR_DIR": str(var),
        **{name: str(port) for name, port in ports.items()},
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "0",
        # Shorter than the embedded mode's 20 s, so a test can take a call past its deadline in seconds; the
        # standstill stays 30 s (the time a losing bidder has to complain in the browser).
        "CONTRACTING_MIN_ENQUIRY_SECONDS": "5",
        "CONTRACTING_MIN_TENDERING_SECONDS": "5",
        # A 30-day month, not the embedded mode's 5 s: a contract still starts as its standstill ends (its first
        # period open for a report at once), but its periods do not all fall overdue within the session, and the
        # pages photographed later show a contract as it would look (12 months, the next report a month away).
        "CONTRACTING_CONTRACT_MONTH_SECONDS": str(30 * 24 * 3600),
        # The operator's dead letters (test_operator_keeps_the_registry.py): a CSO's webhook at a closed port on
        # this machine (private addresses allowed here only) gives up after 2 attempts a second apart, not 5 with
        # a 30 s backoff, so a dead letter exists within seconds for the operator to send again.
        "NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS": "1",
        "NOTIFICATIONS_MAX_ATTEMPTS": "2",
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        # The renewal notice window as the law's default (90 days), not the embedded mode's 25 s, which would be
        # shorter than a 30-day month: a 2-month contract (test_department_awards_and_contracts.py) ends inside it,
        # so its renewal proposal shows on the department's contract page (GET /renewals/due); 12-month ones don't.
        "CONTRACTING_RENEWAL_NOTICE_SECONDS": str(90 * 24 * 3600),
    }
    for name in ("REGISTRY_URL", "CONTRACTING_URL", "NOTIFICATIONS_URL", "JWKS_URL", "BUS_URL"):
        os.environ.pop(name, None)
    with environment(values):
        environment_values = prepare_platform(False, Progress())
        os.environ.update(environment_values)
        supervisor = Supervisor(subset_procfile(directory))
        supervisor.start()
        try:
            wait_until_ready_without_prefect(supervisor)
            api = Api()
            cast = seed(
                api, environment_values["OPERATOR_PASSWORD"], _embedded_secret(var, "demo-user-password"), Progress()
            )
            chisinau = api.login("das@chisinau.md", cast.password)
            orhei = api.login("das@orhei.md", cast.password)
            calls = {
                "home-care": open_call(
                    api, chisinau, "MD-CU", "home-care", "Îngrijire la domiciliu, sectorul Botanica", 30
                ),
                "respite-care": open_call(api, orhei, "MD-OR", "respite-care", "Servicii de respiro, Orhei", 8),
            }
            yield LivePortal(
                url=f"http://127.0.0.1:{ports['PORTAL_PORT']}",
                api_urls={
                    "registry": f"http://127.0.0.1:{ports['REGISTRY_PORT']}",
                    "contracting": f"http://127.0.0.1:{ports['CONTRACTING_PORT']}",
                    "notifications": f"http://127.0.0.1:{ports['NOTIFICATIONS_PORT']}",
                },
                cast=cast,
                calls=calls,
                var_dir=var,
                environment=environment_values,
            )
        finally:
            supervisor.stop()


def wait_until_ready_without_prefect(supervisor: Supervisor) -> None:
    probes = {name: url for name, url in readiness_probes().items() if name != "prefect"}
    wait_until_ready(supervisor, lambda name: None, timeout=120, probes=probes)
