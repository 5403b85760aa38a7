"""Security-test fixtures: seeded databases for the three services (built once per session, copied per test),
apps that trust the test token mint, and a guard that keeps every test off the network."""

from __future__ import annotations

import socket
from collections.abc import Callable
from types import SimpleNamespace

import httpx
import pytest

from tests.clock import Clock
from tests.security.seeds import Template, seed_contracting, seed_notifications, seed_registry

SERVICES = ("registry", "contracting", "notifications")
FAKE_PUBLIC_ADDRESS = "1.1.1.1"  # what every webhook host "resolves" to; nothing is ever sent there


def offline_webhooks(monkeypatch) -> list[str]:
    """Webhook hosts resolve to a fixed public address and POSTs are answered 204 here: no DNS, no traffic.

    Returns the list of URLs that would have been called."""
    import services.notifications.adapters.webhooks as adapter
    import services.notifications.bootstrap as wiring

    called: list[str] = []

    def post(url, **_kwargs):
        called.append(url)
        return SimpleNamespace(status_code=204)

    monkeypatch.setattr(wiring, "resolve_host", lambda host: [FAKE_PUBLIC_ADDRESS])
    monkeypatch.setattr(adapter, "socket", SimpleNamespace(getaddrinfo=lambda *a, **k: [(0, 0, 0, "", ("1.1.1.1", 0))]))
    monkeypatch.setattr(adapter, "httpx", SimpleNamespace(post=post, HTTPError=httpx.HTTPError))
    return called


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """A generated URL must never make a test reach past this machine: any other connection fails the test."""
    connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise AssertionError(f"a security test tried to connect to {address}")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def seed_directory(tmp_path_factory):
    return tmp_path_factory.mktemp("security-seeds")


@pytest.fixture(scope="session")
def registry_seed(seed_directory) -> tuple[Template, list]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VAR_DIR", str(seed_directory / "var"))
        return seed_registry(seed_directory)


@pytest.fixture(scope="session")
def contracting_template(seed_directory, registry_seed, token_mint) -> Template:
    """Its replica is fed by the registry's real events."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VAR_DIR", str(seed_directory / "var"))
        return seed_contracting(seed_directory, token_mint, registry_seed[1])


@pytest.fixture(scope="session")
def notifications_template(seed_directory, token_mint) -> Template:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VAR_DIR", str(seed_directory / "var"))
        offline_webhooks(patch)
        return seed_notifications(seed_directory, token_mint)


@pytest.fixture
def templates(request) -> dict[str, Template]:
    """The seeded databases, each built on first use (a service's seed failing fails only its own tests)."""

    class Lazy(dict):
        def __missing__(self, name: str) -> Template:
            if name == "registry":
                return request.getfixturevalue("registry_seed")[0]
            return request.getfixturevalue(f"{name}_template")

    return Lazy()


@pytest.fixture
def make_service_app(templates, tmp_path, token_mint, monkeypatch) -> Callable:
    """``make_service_app(name, own_keys=False, **config)``: the service on a private copy of its seeded database.

    It trusts the test token mint unless ``own_keys``: then the registry checks its own key ring and the others
    the JWKS at JWKS_URL, as in production."""
    offline_webhooks(monkeypatch)
    created = []

    def make(name: str, own_keys: bool = False, **config):
        template = templates[name]
        module = __import__(f"services.{name}.entrypoints.api", fromlist=["create_app"])
        directory = tmp_path / name
        directory.mkdir(exist_ok=True)
        settings = {"DATABASE_URL": template.copy_to(directory), "BUS_URL": "memory://", **config}
        if name == "notifications":
            settings.setdefault("MAIL_DIR", str(directory / "mail"))
        verifier = None if own_keys else token_mint.verifier
        app = module.create_app(settings, token_verifier=verifier, clock=Clock(template.now))
        created.append(app)
        return app

    yield make
    for app in created:
        app.extensions["service_context"].engine.dispose()
