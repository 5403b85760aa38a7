"""Starts every process of the platform under supervisord (from deploy/Procfile) and waits until each answers."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import httpx

from services.common.settings import embedded_secret, prefect_api_url, service_url, var_dir

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


# The ports the Procfiles' servers listen on, each chosen by a variable (DESIGN.md §2).
PORT_VARIABLES = {
    "REGISTRY_PORT": 5001,
    "CONTRACTING_PORT": 5002,
    "NOTIFICATIONS_PORT": 5003,
    "PREFECT_PORT": 4200,
    "PORTAL_PORT": 5000,
}


def platform_already_running(procfile: Path) -> str | None:
    """Why this platform cannot start here (a port it needs is taken, or its var/ is another copy's), or None.

    Without this check the demo took another copy's servers for its own ("ready") and then failed at its first
    log-in with a password that copy did not know.
    """
    from deploy.supervisord import SupervisordConfig

    choices = " ".join(f"{name}=…" for name in PORT_VARIABLES) + " VAR_DIR=…"
    advice = f"stop the other copy, or give this one other ports and its own var/ directory: {choices} make demo"
    if SupervisordConfig(procfile, var_dir()).rpc_all_process_info():
        return f"another copy of the platform is running from {var_dir()}; {advice}"
    procfile_text = procfile.read_text()
    for variable, default in PORT_VARIABLES.items():
        if variable not in procfile_text:
            continue
        port = int(os.environ.get(variable) or default)
        with socket.socket() as probe:
            # As the servers bind: a port left in TIME_WAIT by an earlier run is free, a listener is not.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return f"port {port} ({variable}) is already in use, perhaps by another copy of the platform; {advice}"
    return None


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
    return embedded_secret(name, var)


class Supervisor:
    """supervisord running the Procfile's processes, its output and theirs in var/log/processes.log.

    A process that dies is restarted with backoff while the others keep serving; one that keeps dying during
    start-up is given up on (FATAL) and reported by ``failures()`` rather than taking the platform down.
    The config is generated from the Procfile (deploy/supervisord.py), so the Procfile stays the one list.
    """

    def __init__(self, procfile: Path = PROCFILE, **restart_policy: int) -> None:
        from deploy.supervisord import SupervisordConfig

        self.procfile = procfile
        self.log_path = var_dir() / "log" / "processes.log"
        self.config = SupervisordConfig(procfile, var_dir(), **restart_policy)
        self.process: subprocess.Popen | None = None
        self._event_log_offset = 0

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.config.write(dict(os.environ))
        self._event_log_offset = self.config.event_log_size()
        log = self.log_path.open("ab")
        supervisord = str(Path(sys.executable).parent / "supervisord")
        self.process = subprocess.Popen(
            [supervisord, "--nodaemon", "--configuration", str(self.config.path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            start_new_session=True,
            preexec_fn=_prepare_supervisord,
        )

    def alive(self) -> bool:
        """supervisord runs and has given up on no process (a process being restarted counts as alive)."""
        return self.process is not None and self.process.poll() is None and not self.failures()

    def processes(self) -> list[dict]:
        """supervisord's view of every process (name, statename, pid, …); empty while it does not answer."""
        return self.config.rpc_all_process_info()

    def pid(self, name: str) -> int:
        """The process's current pid (0 while it is not running)."""
        return next((info["pid"] for info in self.processes() if info["name"] == name), 0)

    def failures(self) -> dict[str, str]:
        """Processes supervisord gave up on, each with why (its last exit)."""
        restarts = None
        failed = {}
        for info in self.processes():
            if info["statename"] == "FATAL":
                restarts = restarts if restarts is not None else self.restarts()
                last = restarts.get(info["name"])
                why = last.last_exit if last else info.get("spawnerr") or "could not start"
                failed[info["name"]] = f"kept dying during start-up ({why}); supervisord gave up"
        return failed

    def restarts(self) -> dict[str, ProcessRestarts]:
        """How often each process died and was started again since ``start()``, from supervisord's own log."""
        return restarts_in(self.config.event_log_text(self._event_log_offset))

    def quiesce(self) -> None:
        """Stop every process that makes new events (the APIs, consumers, dispatcher, bridge, flows and the
        Prefect server), leaving the outbox relays up: what is committed can then be drained before the rest
        stops, and nothing is committed after the drain (a delivery sent, a notice recorded)."""
        producers = [info for info in self.processes() if not info["name"].endswith("-relay")]
        self.config.rpc_stop([f"{info['group']}:{info['name']}" for info in producers])

    def stop(self, timeout: float = 40) -> None:
        """SIGTERM to supervisord, which stops every process group and SIGKILLs those still up after 10 s."""
        if not (self.process is not None and self.process.poll() is None):
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        failed = "".join(f"{name} {why}\n" for name, why in self.failures().items())
        if not self.log_path.exists():
            return failed
        return failed + "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# Linux schedules each session (autogroup) as one: honcho gave every process a session of its own, supervisord
# keeps all of them in its one, which on a busy machine got the platform a dozen times less CPU (the demo's
# start took 2.5x as long beside other work). Its group's weight at this nice is about that of a dozen sessions.
AUTOGROUP_NICE = -10


def _prepare_supervisord() -> None:
    """In supervisord's process, before it runs: have the kernel send it SIGTERM when its parent (the demo) dies,
    even by SIGKILL, so no platform is left running behind a dead demo, holding its ports; and weigh its session
    as honcho's dozen sessions were weighed (AUTOGROUP_NICE)."""
    if not sys.platform.startswith("linux"):
        return
    import contextlib
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    # No autogroups here, or not allowed (a raised weight needs CAP_SYS_NICE): it runs as it is.
    with contextlib.suppress(OSError):
        Path("/proc/self/autogroup").write_text(str(AUTOGROUP_NICE))


class ProcessRestarts(NamedTuple):
    """One process's deaths since the platform started: how many and the last one's exit."""

    restarts: int
    last_exit: str


_EXITED = re.compile(r"exited: (?P<name>\S+) \((?P<how>[^;]+); (?:not )?expected\)")


def restarts_in(event_log: str) -> dict[str, ProcessRestarts]:
    """Count each process's unrequested exits (supervisord logs a requested stop as "stopped:", not "exited:")."""
    counts: dict[str, ProcessRestarts] = {}
    for match in _EXITED.finditer(event_log):
        previous = counts.get(match["name"], ProcessRestarts(0, ""))
        counts[match["name"]] = ProcessRestarts(previous.restarts + 1, match["how"])
    return counts


def readiness_probes() -> dict[str, str]:
    probes = {name: f"{service_url(name)}/readyz" for name in ("registry", "contracting", "notifications", "portal")}
    probes["prefect"] = f"{prefect_api_url()}/health"
    return probes


def wait_until_ready(
    supervisor: Supervisor, report: Callable[[str], None], timeout: float = 180, probes: dict[str, str] | None = None
) -> None:
    """Poll every probe (by default: every process of the platform that has one) until all answer 200; fail early
    if supervisord gave up on a process (it kept dying)."""
    pending = dict(probes if probes is not None else readiness_probes())
    deadline = time.monotonic() + timeout
    while pending:
        if not supervisor.alive():
            raise RuntimeError(f"a process could not start; last log lines:\n{supervisor.log_tail()}")
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
