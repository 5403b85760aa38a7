"""The two modes a benchmark runs in, each with throw-away databases and a private bus.

``embedded``: SQLite files and the broker-less ``sqla+sqlite`` bus in a temporary directory.
``rabbitmq+postgres``: this machine's PostgreSQL (databases created and dropped here) and RabbitMQ (a private
virtual host created and deleted with rabbitmqctl). Every database is a copy of one migrated template, so a
fresh one per repetition costs a file copy or a ``CREATE DATABASE … TEMPLATE``, not a migration.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import progress

EMBEDDED = "embedded"
PRODUCTION = "rabbitmq+postgres"
MODES = (EMBEDDED, PRODUCTION)

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_BASE_URL = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672")
POSTGRES_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"  # as tests/conftest.py


class ModeUnavailable(RuntimeError):
    """The servers this mode needs cannot be had on this machine."""


class Mode:
    """Context manager: ``with Mode(name) as mode: mode.database("contracting", "rep1"); mode.bus_url("rep1")``."""

    def __init__(self, name: str) -> None:
        if name not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.name = name
        self.token = uuid.uuid4().hex[:8]
        self.workdir = Path(tempfile.mkdtemp(prefix=f"sscp-bench-{self.token}-"))
        self._templates: dict[str, str] = {}
        self._databases: list[str] = []
        self._vhost: str | None = None

    @property
    def production(self) -> bool:
        return self.name == PRODUCTION

    def __enter__(self) -> Mode:
        if self.production:
            _require_server("PostgreSQL", 5432, POSTGRES_START)
            _require_server("RabbitMQ", 5672, "rabbitmq-server -detached")
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self._databases:
                _drop_databases(self._databases)
        except Exception as exc:  # the server went away mid-run: say what is left behind
            progress(f"could not drop {', '.join(self._databases)}: {exc}")
        try:
            if self._vhost:
                _rabbitmqctl("delete_vhost", self._vhost, check=True)
        except Exception as exc:
            progress(f"could not delete the RabbitMQ virtual host {self._vhost}: {exc}")
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def bus_url(self, label: str) -> str:
        """A fresh bus file per label (embedded), or this mode's private virtual host (RabbitMQ)."""
        if not self.production:
            return f"sqla+sqlite:///{self.workdir / f'bus-{label}.sqlite'}"
        if self._vhost is None:
            self._vhost = f"sscp_bench_{self.token}"
            _rabbitmqctl("add_vhost", self._vhost)
            _rabbitmqctl("set_permissions", "-p", self._vhost, "guest", ".*", ".*", ".*")
        return f"{AMQP_BASE_URL}/{self._vhost}"

    def database(self, service: str, label: str) -> str:
        """A fresh database of ``service`` migrated to head."""
        template = self._template(service)
        if not self.production:
            path = self.workdir / f"{service}-{label}.sqlite"
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
            return f"sqlite:///{path}"
        name = f"sscp_bench_{self.token}_{service}_{label}".lower()
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{_db_name(template)}"')
        self._databases.append(name)
        return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"

    def _template(self, service: str) -> str:
        if service not in self._templates:
            from services.common.migrations import upgrade

            progress(f"{self.name}: migrating a template {service} database")
            if self.production:
                name = f"sscp_bench_{self.token}_{service}_template"
                _admin(f'CREATE DATABASE "{name}"')
                self._databases.append(name)
                url = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
            else:
                url = f"sqlite:///{self.workdir / f'{service}-template.sqlite'}"
            upgrade(service, url)
            self._templates[service] = url
        return self._templates[service]


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(statement)


def _drop_databases(names: list[str]) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        for name in reversed(names):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rabbitmqctl(*args: str, check: bool = True) -> None:
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        raise ModeUnavailable("rabbitmqctl not found: cannot create a private virtual host")
    subprocess.run([ctl, *args], check=check, capture_output=True, timeout=60)


def _require_server(name: str, port: int, start_command: str) -> None:
    """Start the server with the machine's own command when it is down; give up with a clear reason."""
    if _port_open(port):
        return
    progress(f"{name} is down on 127.0.0.1:{port}; trying '{start_command}'")
    subprocess.run(start_command, shell=True, check=False, timeout=120, capture_output=True)
    for _ in range(120):
        if _port_open(port):
            return
        time.sleep(0.5)
    raise ModeUnavailable(f"{name} is not answering on 127.0.0.1:{port} and '{start_command}' did not start it")


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
