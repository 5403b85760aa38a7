"""A small typed HTTP client for the services, authenticated as a service account."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import httpx

from services.common.settings import embedded_secret, service_url

SERVICE_ACCOUNT_EMAIL = "flows@service.sscp.md"


def service_account_password() -> str:
    """From FLOWS_SERVICE_PASSWORD; the embedded mode generates one under var/ on first use."""
    password = os.environ.get("FLOWS_SERVICE_PASSWORD")
    if password:
        return password
    return embedded_secret("flows-service-password")


class ServiceError(RuntimeError):
    """A service answered with an error a retry will not fix."""

    def __init__(self, message: str, status_code: int, body: dict | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body or {}


@dataclass
class _CachedToken:
    value: str = ""
    expires_at: float = 0.0


# One token per account and registry for the whole process: a flow run's tasks share it instead of each
# logging in (the registry rate-limits log-ins).
_TOKENS: dict[tuple[str, str], _CachedToken] = {}
_TOKENS_LOCK = threading.Lock()


class ServiceClient:
    def __init__(self, email: str = SERVICE_ACCOUNT_EMAIL, password: str | None = None, timeout: float = 10) -> None:
        self.email = email
        self.password = password or service_account_password()
        self.http = httpx.Client(timeout=timeout)

    def token(self) -> str:
        key = (service_url("registry"), self.email)
        with _TOKENS_LOCK:
            cached = _TOKENS.get(key)
            if cached is None or time.monotonic() > cached.expires_at - 60:
                body = self._log_in()
                cached = _TOKENS[key] = _CachedToken(body["access_token"], time.monotonic() + body["expires_in"])
            return cached.value

    def _log_in(self, attempts: int = 4) -> dict:
        url = f"{service_url('registry')}/api/v1/auth/token"
        for attempt in range(1, attempts + 1):
            response = self.http.post(url, json={"email": self.email, "password": self.password})
            if response.status_code != 429 or attempt == attempts:
                _raise_for(response)
                return response.json()
            # Throttled: wait as long as the registry asks (bounded), then try again.
            time.sleep(min(float(response.headers.get("Retry-After", 5)), 30))
        raise AssertionError("unreachable")

    def request(self, method: str, service: str, path: str, **kwargs) -> dict | list:
        headers = {"Authorization": f"Bearer {self.token()}"}
        response = self.http.request(method, f"{service_url(service)}/api/v1{path}", headers=headers, **kwargs)
        _raise_for(response)
        return response.json()

    # contracting
    def tender(self, tender_id: int) -> dict:
        return self.request("GET", "contracting", f"/tenders/{tender_id}")

    def apply_due_transitions(self, tender_id: int) -> dict:
        return self.request("POST", "contracting", f"/tenders/{tender_id}/transitions/due")

    def invite_eligible(self, tender_id: int) -> dict:
        return self.request("POST", "contracting", f"/tenders/{tender_id}/invitations")

    def complete_evaluation(self, tender_id: int) -> dict:
        return self.request("POST", "contracting", f"/tenders/{tender_id}/evaluation/complete")

    def scores(self, tender_id: int) -> dict:
        return self.request("GET", "contracting", f"/tenders/{tender_id}/evaluation/scores")

    def awards(self, tender_id: int) -> list:
        return self.request("GET", "contracting", f"/tenders/{tender_id}/awards")

    def bidders(self, tender_id: int) -> set[int]:
        """The providers whose bids the award decision judged (the ranking, published with the decision)."""
        ranking = self.request("GET", "contracting", f"/tenders/{tender_id}/ranking")
        return {bid["provider_id"] for lot in ranking["lots"] for bid in lot["bids"]}

    def create_contracts(self, tender_id: int) -> list:
        return self.request("POST", "contracting", f"/tenders/{tender_id}/contracts")

    # contracts: the renewal sweep
    def apply_contract_transitions(self) -> dict:
        return self.request("POST", "contracting", "/contracts/transitions/due")

    def renewals_due(self) -> list:
        return self.request("GET", "contracting", "/renewals/due")

    def propose_renewal(self, contract_id: int) -> dict:
        return self.request("POST", "contracting", f"/contracts/{contract_id}/renewal", json={})

    def retender(self, contract_id: int) -> dict:
        return self.request("POST", "contracting", f"/contracts/{contract_id}/retender")

    def check_continuity(self) -> dict:
        return self.request("POST", "contracting", "/continuity/check")

    # notifications
    def deliveries(self, ocid: str, event_type: str, page_size: int = 100) -> list:
        """Every delivery of the event for the call, page after page (a large call has more than one page)."""
        found: list = []
        for page in range(1, 1000):
            params = {"correlation_id": ocid, "event_type": event_type, "page": page, "page_size": page_size}
            batch = self.request("GET", "notifications", "/deliveries", params=params)
            found += batch
            if len(batch) < page_size:
                break
        return found


def _raise_for(response: httpx.Response) -> None:
    if response.status_code >= 500 or response.status_code == 429:
        # Worth a retry: the task's retry policy takes it from here.
        response.raise_for_status()
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {}
        message = f"{response.request.method} {response.request.url} -> {response.status_code}: {response.text[:500]}"
        raise ServiceError(message, response.status_code, body if isinstance(body, dict) else {})
