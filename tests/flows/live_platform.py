"""The three services served over real HTTP in threads, for flow tests: flows call them exactly as in production.

The bus is replaced by ``pump``: it hands each service's committed outbox events to the consumers' own handlers
(contracting's eligibility replica, the notifications worker), in commit order, once each.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from werkzeug.serving import make_server

from services.common.bus.envelope import Envelope
from services.common.call import Call
from services.common.migrations import upgrade
from services.contracting.service_layer.eligibility import apply_registry_event
from services.notifications.service_layer.deliveries import handle_event
from services.registry.service_layer.commands import CreateUser
from services.registry.service_layer.handlers import create_user
from tests.clock import Clock

SERVICE_PASSWORD = "flows-service-password-for-tests"
PASSWORD = "a-long-enough-password"


@dataclass
class LivePlatform:
    urls: dict[str, str]
    apps: dict
    clock: Clock
    pumped: dict[str, int] = field(default_factory=lambda: {"registry": 0, "contracting": 0})
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def context(self, service: str):
        return self.apps[service].extensions["service_context"]

    def login(self, email: str, password: str = PASSWORD) -> dict:
        response = self.http.post(
            f"{self.urls['registry']}/api/v1/auth/token", json={"email": email, "password": password}
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def call(self, method: str, service: str, path: str, headers: dict, **kwargs) -> httpx.Response:
        return self.http.request(method, f"{self.urls[service]}/api/v1{path}", headers=headers, **kwargs)

    def pump(self) -> int:
        """Deliver every event committed since the last pump to the consumers that would receive it."""
        delivered = 0
        for producer in ("registry", "contracting"):
            outbox = self.context(producer).outbox_model
            with self.context(producer).session_factory() as session:
                rows = session.scalars(
                    select(outbox).where(outbox.id > self.pumped[producer]).order_by(outbox.id)
                ).all()
            for row in rows:
                envelope = Envelope.from_dict(row.body)
                if producer == "registry":
                    with self.context("contracting").session_factory.begin() as session:
                        apply_registry_event(session, envelope)
                notifications = self.context("notifications")
                with notifications.session_factory.begin() as session:
                    handle_event(session, envelope, context=notifications)
                self.pumped[producer] = row.id
                delivered += 1
        return delivered


def serve(app) -> str:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def start_platform(directory, monkeypatch) -> LivePlatform:
    from services.contracting.entrypoints.api import create_app as contracting_app
    from services.notifications.entrypoints.api import create_app as notifications_app
    from services.registry.entrypoints.api import create_app as registry_app

    bus = f"sqla+sqlite:///{directory / 'bus.sqlite'}"
    urls: dict[str, str] = {}
    apps: dict = {}
    for name in ("registry", "contracting", "notifications"):
        upgrade(name, f"sqlite:///{directory / f'{name}.sqlite'}")
    config = {"DATABASE_URL": f"sqlite:///{directory / 'registry.sqlite'}", "BUS_URL": bus}
    apps["registry"] = registry_app({**config, "JWT_KEYS_DIR": str(directory / "keys")})
    urls["registry"] = serve(apps["registry"])
    # The other services find the registry's public keys at its JWKS URL, as in production.
    monkeypatch.setenv("REGISTRY_URL", urls["registry"])
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    apps["contracting"] = contracting_app(
        {"DATABASE_URL": f"sqlite:///{directory / 'contracting.sqlite'}", "BUS_URL": bus}, clock=clock
    )
    urls["contracting"] = serve(apps["contracting"])
    apps["notifications"] = notifications_app(
        {"DATABASE_URL": f"sqlite:///{directory / 'notifications.sqlite'}", "BUS_URL": bus}
    )
    urls["notifications"] = serve(apps["notifications"])
    context = apps["registry"].extensions["service_context"]
    for account in (
        CreateUser(email="operator@test.md", password=PASSWORD, role="operator"),
        CreateUser(email="flows@service.sscp.md", password=SERVICE_PASSWORD, role="service"),
    ):
        create_user(Call(context.uow(), None, context.clock()), account)
    return LivePlatform(urls, apps, clock)


def point_flows_at(platform: LivePlatform, monkeypatch) -> None:
    for name, url in platform.urls.items():
        monkeypatch.setenv(f"{name.upper()}_URL", url)
    monkeypatch.setenv("FLOWS_SERVICE_PASSWORD", SERVICE_PASSWORD)
