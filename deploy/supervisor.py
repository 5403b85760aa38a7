"""Starts every process of the platform under honcho (deploy/Procfile) and waits until each answers."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from services.common.settings import prefect_api_url, service_url, var_dir

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "deploy" / "Procfile"
PRODUCTION_PROCFILE = ROOT / "deploy" / "Procfile.production"
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def free_port() -> int:
    """A bindable port below the kernel's ephemeral range, so no outgoing connection takes it between this check
    and a server binding it: for running a second platform (a test, a benchmark) beside a developer's demo."""
    ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randint(20000, min(ephemeral_low, 32768) - 1)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def embedded_environment() -> dict[str, str]:
    """Defaults of the embedded mode, set only where the caller has not chosen otherwise."""
    var = var_dir()
    prefect_port = os.environ.get("PREFECT_PORT", "4200")
    defaults = {
        "VAR_DIR": str(var),
        "PREFECT_HOME": str(var / "prefect"),
        "PREFECT_API_URL": f"http://127.0.0.1:{prefect_port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_API_PORT": prefect_port,
        # A served flow polls the server for due runs; the default (10 s) makes stages feel sluggish.
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_WORKER_QUERY_SECONDS": "2",  # the same for a work pool's worker (--production)
        "PREFECT_RUNNER_PROCESS_LIMIT": "8",  # flow runs at once in the embedded runner
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "0",
        "OPERATOR_PASSWORD": _embedded_secret(var, "operator-password"),
        # The demo compresses the procedure's periods (days in production) so a whole round fits in minutes.
        "CONTRACTING_MIN_ENQUIRY_SECONDS": "20",
        "CONTRACTING_MIN_TENDERING_SECONDS": "20",
        "CONTRACTING_MIN_AMENDMENT_EXTENSION_SECONDS": "20",
        "CONTRACTING_STANDSTILL_SECONDS": "30",
        # Contracts too: a month lasts 5 s (a 12-month contract a minute, a continuity "day" 1/6 s), the notice
        # window 25 s; the renewal sweep (daily in production) runs every 10 s.
        "CONTRACTING_CONTRACT_MONTH_SECONDS": "5",
        "CONTRACTING_RENEWAL_NOTICE_SECONDS": "25",
        "CONTRACTING_REPORT_GRACE_SECONDS": "8",  # > the demo's own lag in filing, so no due report is unaccepted
        "CONTRACTING_EVALUATION_SECONDS": "20",
        "CONTRACTING_SIGNATURE_MARGIN_SECONDS": "5",
        "RENEWAL_SWEEP_INTERVAL_SECONDS": "10",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    # Every child must find this project's executables (sscp, gunicorn, prefect) first.
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return dict(os.environ)


def production_environment() -> dict[str, str]:
    """The production shape on a machine that already runs PostgreSQL and RabbitMQ (as ours do).

    Every default below is an environment variable: point them at other servers and nothing else changes.
    """
    defaults = {
        "BUS_URL": "amqp://guest:guest@127.0.0.1:5672//",
        "REGISTRY_DATABASE_URL": f"{LOCAL_POSTGRES}/sscp_registry",
        "CONTRACTING_DATABASE_URL": f"{LOCAL_POSTGRES}/sscp_contracting",
        "NOTIFICATIONS_DATABASE_URL": f"{LOCAL_POSTGRES}/sscp_notifications",
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/sscp_prefect",
        "PREFECT_HOME": str(var_dir() / "prefect-production"),
        "LOG_FORMAT": "json",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    return embedded_environment()


def ensure_postgres_databases() -> list[str]:
    """Create each configured PostgreSQL database that does not exist yet; returns those created."""
    import psycopg
    from sqlalchemy.engine import make_url

    created = []
    names = ("REGISTRY_DATABASE_URL", "CONTRACTING_DATABASE_URL", "NOTIFICATIONS_DATABASE_URL")
    urls = [os.environ[name] for name in names if os.environ.get(name, "").startswith("postgresql")]
    if os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL", "").startswith("postgresql"):
        urls.append(os.environ["PREFECT_SERVER_DATABASE_CONNECTION_URL"])
    for url in urls:
        parsed = make_url(url)
        admin = parsed.set(drivername="postgresql", database="postgres")
        conninfo = admin.render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{parsed.database}"')
                created.append(parsed.database)
    return created


def _embedded_secret(var: Path, name: str) -> str:
    path = var / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(18))
        path.chmod(0o600)
    return path.read_text().strip()


class Supervisor:
    """honcho running the Procfile in its own process group, its output in var/log/processes.log."""

    def __init__(self, procfile: Path = PROCFILE) -> None:
        self.procfile = procfile
        self.log_path = var_dir() / "log" / "processes.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        honcho = str(Path(sys.executable).parent / "honcho")
        self.process = subprocess.Popen(
            [honcho, "start", "--no-colour", "-f", str(self.procfile), "-d", str(ROOT)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM to honcho, which stops every child and kills the stragglers after 5 s."""
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def readiness_probes() -> dict[str, str]:
    probes = {name: f"{service_url(name)}/readyz" for name in ("registry", "contracting", "notifications")}
    probes["prefect"] = f"{prefect_api_url()}/health"
    return probes


def wait_until_ready(supervisor: Supervisor, report: Callable[[str], None], timeout: float = 180) -> None:
    """Poll every probe until all answer 200; fail early if honcho stopped (a process died)."""
    pending = readiness_probes()
    deadline = time.monotonic() + timeout
    while pending:
        if not supervisor.alive():
            raise RuntimeError(f"a process exited during start-up; last log lines:\n{supervisor.log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(pending)}; see {supervisor.log_path}")
        for name, url in list(pending.items()):
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    report(name)
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
