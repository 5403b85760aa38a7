"""Fixtures every test may use: an isolated environment, and the real PostgreSQL and RabbitMQ servers.

Servers that are down are started with the machine's own commands; a test that needs one is skipped, loudly,
only when it truly cannot be had.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from services.common.settings import PLATFORM_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBITMQ_HOST = ("127.0.0.1", 5672)
POSTGRES_HOST = ("127.0.0.1", 5432)

# The one list of settings a test's processes must not inherit (bench/ strips the same).
ISOLATED_VARIABLES = PLATFORM_VARIABLES


def pytest_collection_modifyitems(config, items):
    """The e2e tests that read a demo round run after the rest, whose time their rounds overlap (``e2e_rounds``),
    and before the reliability tests, which stop the shared PostgreSQL and RabbitMQ a production round runs on."""
    from tests.e2e.rounds import modes_needed_by

    reading, rest = [], []
    for item in items:
        (reading if modes_needed_by(item) else rest).append(item)
    if not reading:
        return
    reliability = ROOT / "tests" / "reliability"
    at = next((n for n, item in enumerate(rest) if item.path.is_relative_to(reliability)), len(rest))
    items[:] = [*rest[:at], *reading, *rest[at:]]


@pytest.fixture(scope="session", autouse=True)
def e2e_rounds(request, tmp_path_factory):
    """The demo rounds the session's e2e tests read, played in the background from its start (tests/e2e/rounds.py);
    None when no collected test reads one."""
    from tests.e2e.rounds import PlannedRound, RoundsInBackground, modes_needed_by, production_settings

    needed = set().union(*(modes_needed_by(item) for item in request.session.items))
    if not needed:
        yield None
        return
    with contextlib.ExitStack() as cleanup:
        planned = []
        for mode in ("embedded", "production"):
            if mode not in needed:
                continue
            settings, unavailable = {}, ""
            if mode == "production":
                try:
                    servers = request.getfixturevalue("postgres_server"), request.getfixturevalue("rabbitmq_server")
                except pytest.skip.Exception as skipped:
                    unavailable = getattr(skipped, "msg", str(skipped))
                else:
                    settings = cleanup.enter_context(production_settings(*servers, "e2e"))
            planned.append(PlannedRound(mode, tmp_path_factory.mktemp(mode) / "var", settings, unavailable))
        # The environment is copied here, in the main thread: tests change os.environ (monkeypatch) as they run.
        rounds = RoundsInBackground(planned, dict(os.environ))
        rounds.start()
        yield rounds
        rounds.join()  # a production round's databases and virtual host are removed only once it is over


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Every test gets its own var/ and none of the caller's service settings."""
    for name in ISOLATED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return tmp_path


def port_open(host_port: tuple[str, int], timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(host_port, timeout=timeout):
            return True
    except OSError:
        return False


def ensure_server(name: str, host_port: tuple[str, int], start_command: str, wait_seconds: float) -> str | None:
    """None when the server answers (starting it if needed), else why it cannot be had."""
    if port_open(host_port):
        return None
    try:
        subprocess.run(start_command, shell=True, check=False, timeout=120, capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{name} is down and '{start_command}' failed: {exc}"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if port_open(host_port):
            return None
        time.sleep(0.5)
    return f"{name} is down at {host_port[0]}:{host_port[1]} and did not come up after '{start_command}'"


def _skip_loudly(reason: str) -> None:
    print(f"\n!!! SKIPPING: {reason}\n")
    pytest.skip(f"SERVER UNAVAILABLE: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of a running PostgreSQL."""
    start = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
    problem = ensure_server("PostgreSQL", POSTGRES_HOST, start, 60)
    if problem:
        _skip_loudly(problem)
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_database(postgres_server):
    """A fresh, empty database for one test; dropped afterwards. Yields its URL."""
    yield from _temporary_databases(postgres_server, 1)


@pytest.fixture
def postgres_databases(postgres_server):
    """Three fresh databases, one per service (registry, contracting, notifications)."""
    urls = []
    generator = _temporary_databases(postgres_server, 3)
    urls = next(generator)
    yield dict(zip(("registry", "contracting", "notifications"), urls, strict=True))
    next(generator, None)


def _temporary_databases(admin_url: str, count: int):
    import psycopg

    names = [f"sscp_test_{uuid.uuid4().hex[:12]}" for _ in range(count)]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    urls = [f"{base}/{name}" for name in names]
    yield urls[0] if count == 1 else urls
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def rabbitmq_server() -> str:
    problem = ensure_server("RabbitMQ", RABBITMQ_HOST, "rabbitmq-server -detached", 90)
    if problem:
        _skip_loudly(problem)
    return "amqp://guest:guest@127.0.0.1:5672"


@pytest.fixture
def rabbitmq_url(rabbitmq_server):
    """A private virtual host for one test, so tests never see each other's (or a demo's) messages."""
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        _skip_loudly("rabbitmqctl not found: cannot create an isolated virtual host")
    vhost = f"sscp_test_{uuid.uuid4().hex[:10]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True, timeout=60)
    subprocess.run(
        [ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True, capture_output=True, timeout=60
    )
    yield f"{rabbitmq_server}/{vhost}"
    subprocess.run([ctl, "delete_vhost", vhost], check=False, capture_output=True, timeout=60)


@pytest.fixture
def brokerless_bus_url(tmp_path) -> str:
    return f"sqla+sqlite:///{tmp_path / 'bus.sqlite'}"


class TokenMint:
    """Signs tokens the way the registry does, for services under test that trust its key."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from services.common.auth import StaticKeySource, TokenVerifier

        self.private_key = Ed25519PrivateKey.generate()
        self.kid = "test-key"
        self.verifier = TokenVerifier(
            StaticKeySource({self.kid: self.private_key.public_key()}), issuer="sscp-registry", audience="sscp"
        )

    def token(self, role: str, subject: str = "1", **claims) -> str:
        from datetime import UTC, datetime, timedelta

        import jwt

        now = datetime.now(UTC)
        body = {"sub": subject, "role": role, "iss": "sscp-registry", "aud": "sscp", "iat": now}
        body["exp"] = now + timedelta(minutes=5)
        body.update(claims)
        return jwt.encode(body, self.private_key, algorithm="EdDSA", headers={"kid": self.kid})

    def headers(self, role: str, subject: str = "1", **claims) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, subject, **claims)}"}


@pytest.fixture(scope="session")
def token_mint() -> TokenMint:
    return TokenMint()


def migrated_sqlite_url(service: str, directory: Path) -> str:
    """A service database migrated with its real Alembic history."""
    from services.common.migrations import upgrade

    url = f"sqlite:///{directory / f'{service}.sqlite'}"
    upgrade(service, url)
    return url
