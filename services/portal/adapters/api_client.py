"""The portal's one way to call the three services: their HTTP APIs, with the signed-in person's token.

A refusal (4xx) comes back as ``ApiRefusal`` carrying the API's JSON error body, so a page can put each message
beside the field it concerns; a service that cannot be reached (or answers 5xx) is ``ServiceDown``, which the
portal turns into a friendly page. One pooled httpx client per process serves every request.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

SERVICES = ("registry", "contracting", "notifications")


class ServiceDown(Exception):
    def __init__(self, service: str, detail: str) -> None:
        super().__init__(f"{service} is unavailable: {detail}")
        self.service = service


@dataclass
class ApiRefusal(Exception):
    """A 4xx from an API: its status and JSON error body (code, message, errors by field, details)."""

    status: int
    body: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.status}: {self.message}")

    @property
    def message(self) -> str:
        return str(self.body.get("message") or "")

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """Messages by top-level field name, nested paths flattened to their first message."""
        found: dict[str, list[str]] = {}
        for name, value in (self.body.get("errors") or {}).items():
            found[name] = _messages(value)
        return found


def _messages(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _messages(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _messages(item)]
    return [str(value)]


_clients: dict[float, httpx.Client] = {}
_clients_lock = threading.Lock()


def _pooled_client(timeout: float) -> httpx.Client:
    with _clients_lock:
        if timeout not in _clients:
            _clients[timeout] = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=50))
        return _clients[timeout]


@dataclass
class ApiClient:
    """Calls ``/api/v1`` of each service; ``token`` is the signed-in person's (None for the public)."""

    base_urls: Mapping[str, str]
    token: str | None = None
    timeout: float = 15.0
    accept_language: str = "ro"

    def request(self, method: str, service: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Accept-Language": self.accept_language, **kwargs.pop("headers", {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = f"{self.base_urls[service]}/api/v1{path}"
        try:
            response = _pooled_client(self.timeout).request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ServiceDown(service, f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise ServiceDown(service, f"answered {response.status_code}")
        if response.status_code >= 400:
            raise ApiRefusal(response.status_code, _json_or_text(response))
        return response

    def get(self, service: str, path: str, **params: Any) -> Any:
        clean = {name: value for name, value in params.items() if value not in (None, "")}
        return self.request("GET", service, path, params=clean).json()

    def get_page(self, service: str, path: str, **params: Any) -> tuple[list, int | None]:
        """A paginated list and its total count (flask-smorest's X-Pagination header)."""
        clean = {name: value for name, value in params.items() if value not in (None, "", [])}
        response = self.request("GET", service, path, params=clean)
        return response.json(), _total(response)

    def post(self, service: str, path: str, payload: Any = None, **multipart: Any) -> Any:
        """JSON ``payload``, or ``data``/``files`` for a multipart upload."""
        body = multipart if multipart else {"json": payload}
        response = self.request("POST", service, path, **body)
        return response.json() if response.content else None

    def put(self, service: str, path: str, payload: Any) -> Any:
        return self.request("PUT", service, path, json=payload).json()

    def patch(self, service: str, path: str, payload: Any) -> Any:
        return self.request("PATCH", service, path, json=payload).json()

    def delete(self, service: str, path: str) -> None:
        self.request("DELETE", service, path)


def _json_or_text(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {"code": response.status_code, "message": response.text[:300]}
    return body if isinstance(body, dict) else {"code": response.status_code, "message": str(body)}


def _total(response: httpx.Response) -> int | None:
    header = response.headers.get("X-Pagination")
    if not header:
        return None
    try:
        return int(json.loads(header).get("total"))
    except (ValueError, TypeError):
        return None
