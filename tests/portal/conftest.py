"""The portal's test fixtures: the app with its API calls answered by a fake that records what was sent."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from services.portal.adapters import reference_cache
from services.portal.adapters.api_client import ApiClient


@dataclass
class FakeApi:
    """Answers ``(method, service, path)`` from registered routes; remembers every request the portal made."""

    routes: list[tuple[str, str, re.Pattern, Callable]] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)

    def on(self, method: str, service: str, path_pattern: str, status: int = 200, body=None, headers=None):
        def answer(request: dict):
            return status, body, headers or {}

        self.routes.append((method, service, re.compile(path_pattern + "$"), answer))
        return self

    def on_call(self, method: str, service: str, path_pattern: str, answer: Callable):
        self.routes.append((method, service, re.compile(path_pattern + "$"), answer))
        return self

    def requests_to(self, method: str, path_fragment: str) -> list[dict]:
        return [sent for sent in self.sent if sent["method"] == method and path_fragment in sent["path"]]

    def handle(self, client: ApiClient, method: str, service: str, path: str, **kwargs) -> httpx.Response:
        request = {"method": method, "service": service, "path": path, "token": client.token, **kwargs}
        self.sent.append(request)
        for route_method, route_service, pattern, answer in reversed(self.routes):
            if route_method == method and route_service == service and pattern.match(path):
                status, body, headers = answer(request)
                content = body if isinstance(body, bytes) else json.dumps(body).encode()
                response = httpx.Response(status, content=content, headers=headers)
                if status >= 500:
                    from services.portal.adapters.api_client import ServiceDown

                    raise ServiceDown(service, f"answered {status}")
                if status >= 400:
                    from services.portal.adapters.api_client import ApiRefusal, _json_or_text

                    raise ApiRefusal(status, _json_or_text(response))
                return response
        raise AssertionError(f"the fake API has no answer for {method} {service} {path}")


REFERENCE = {
    "districts": [
        {"code": "MD-CU", "name_ro": "Chișinău", "name_ru": "Кишинёв", "name_en": "Chișinău"},
        {"code": "MD-OR", "name_ro": "Orhei", "name_ru": "Орхей", "name_en": "Orhei"},
    ],
    "service-types": [
        {"code": "home-care", "name_ro": "Îngrijire la domiciliu", "name_ru": "Уход на дому", "name_en": "Home care"},
        {"code": "respite-care", "name_ro": "Respiro", "name_ru": "Передышка", "name_en": "Respite care"},
    ],
}


@pytest.fixture
def fake_api(monkeypatch) -> FakeApi:
    # The pages read contracting's procedure periods from the environment, as contracting does; the browser tests'
    # live platform (same pytest session) shortens them for its processes, so the fake-API pages use the defaults.
    for name in [name for name in os.environ if name.startswith("CONTRACTING_")]:
        monkeypatch.delenv(name)
    fake = FakeApi()
    fake.on("GET", "registry", "/districts", body=REFERENCE["districts"])
    fake.on("GET", "registry", "/service-types", body=REFERENCE["service-types"])
    reference_cache.forget()

    def request(self, method, service, path, **kwargs):
        return fake.handle(self, method, service, path, **kwargs)

    monkeypatch.setattr(ApiClient, "request", request)
    yield fake
    reference_cache.forget()


@pytest.fixture
def portal_app(fake_api):
    from services.portal.entrypoints.web import create_app

    app = create_app({"TESTING": True, "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40, "PORTAL_SECURE_COOKIES": "0"})
    return app


@pytest.fixture
def client(portal_app):
    return portal_app.test_client()


USERS = {
    "cso": {
        "id": 7,
        "email": "user@speranta.md",
        "full_name": None,
        "role": "cso",
        "district_code": None,
        "provider_id": 3,
        "language": "ro",
        "active": True,
    },
}


def signed_in(client, fake_api: FakeApi, role: str = "cso", expires_in: int = 900) -> dict:
    """Sign in through the real sign-in page (CSRF token and all), as the registry would answer."""
    user = USERS[role]
    fake_api.on(
        "POST",
        "registry",
        "/auth/token",
        body={"access_token": f"token-{role}", "token_type": "Bearer", "expires_in": expires_in},
    )
    fake_api.on("GET", "registry", "/users/me", body=user)
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    response = client.post(
        "/sign-in", data={"email": user["email"], "password": "secret", "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return user


def csrf_of(page_html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_html) or re.search(
        r'name="csrf_token" value="([^"]+)"', page_html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)
