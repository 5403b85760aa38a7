"""supervisord's configuration, generated from a Procfile, and a client of its XML-RPC socket.

The Procfile stays the one list of the platform's processes (the containers run the same commands); supervisord
adds what honcho lacks: a process that dies is started again, with a growing pause when it dies during
start-up, and one that keeps dying is given up on (FATAL) instead of stopping all the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tempfile
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Servers the others call (started first, stopped last).
SERVERS = {"prefect", "registry", "contracting", "notifications", "portal"}
START_SECONDS = 5  # up this long = started; an earlier exit counts against START_RETRIES
START_RETRIES = 8  # supervisord waits 1 s, 2 s, … 8 s between them: ~40 s of trying before it gives up
STOP_WAIT_SECONDS = 10  # SIGTERM, then SIGKILL to the whole process group (gunicorn's workers, flow runs)

_VARIABLE = re.compile(r"\$\{(?P<braced>[A-Za-z_]\w*)(?::-(?P<default>[^}]*))?\}|\$(?P<bare>[A-Za-z_]\w*)")


def procfile_processes(procfile: Path) -> dict[str, str]:
    """``name: command`` lines, in order (comments and blank lines skipped)."""
    processes = {}
    for line in procfile.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = command.strip()
    return processes


def expand(command: str, environment: dict[str, str]) -> str:
    """The shell's ``${NAME:-default}`` and ``$NAME``, as honcho's shell did: supervisord runs no shell."""

    def value(match: re.Match) -> str:
        name = match["braced"] or match["bare"]
        return environment.get(name) or (match["default"] or "")

    return _VARIABLE.sub(value, command)


class SupervisordConfig:
    """Where supervisord's config, socket and event log live for one var/ directory, and how to ask it."""

    def __init__(
        self, procfile: Path, var: Path, start_seconds: int = START_SECONDS, start_retries: int = START_RETRIES
    ) -> None:
        self.procfile = procfile
        self.start_seconds, self.start_retries = start_seconds, start_retries
        self.path = var / "supervisor" / "supervisord.conf"
        self.event_log = var / "log" / "supervisord.log"
        # A Unix socket path must fit in 108 bytes, which a test's var/ under /tmp/pytest-of-… may not.
        digest = hashlib.sha256(str(var.resolve()).encode()).hexdigest()[:16]
        self.socket = Path(tempfile.gettempdir()) / f"sscp-supervisord-{digest}.sock"

    def render(self, environment: dict[str, str]) -> str:
        sections = [
            f"[unix_http_server]\nfile={self.socket}\nchmod=0700\n",
            "[supervisord]\nnodaemon=true\nidentifier=sscp\n"
            f"logfile={self.event_log}\nlogfile_maxbytes=10MB\nlogfile_backups=2\n"
            f"pidfile={self.path.parent / 'supervisord.pid'}\nchildlogdir={self.event_log.parent}\n"
            f"directory={ROOT}\n",
            "[rpcinterface:supervisor]\n"
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
            f"[supervisorctl]\nserverurl=unix://{self.socket}\n",
        ]
        processes = procfile_processes(self.procfile)
        for name, command in processes.items():
            sections.append(
                f"[program:{name}]\n"
                f"command={expand(command, environment).replace('%', '%%')}\n"
                f"directory={ROOT}\n"
                f"priority={100 if name in SERVERS else 200}\n"
                "autostart=true\nautorestart=true\n"
                f"startsecs={self.start_seconds}\nstartretries={self.start_retries}\n"
                f"stopsignal=TERM\nstopwaitsecs={STOP_WAIT_SECONDS}\nstopasgroup=true\nkillasgroup=true\n"
                # Into supervisord's own stdout, which is var/log/processes.log: one log, as before.
                "redirect_stderr=true\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n"
                f'environment=PROCESS_NAME="{name}"\n'
            )
        # supervisord stops one group at a time, waiting for each: two groups (not one per program) stop the
        # workers together, then the servers they call, in seconds rather than a dozen waits in a row.
        for group, members in (
            ("servers", [n for n in processes if n in SERVERS]),
            ("workers", [n for n in processes if n not in SERVERS]),
        ):
            if members:
                priority = 100 if group == "servers" else 200
                sections.append(f"[group:{group}]\nprograms={','.join(members)}\npriority={priority}\n")
        return "\n".join(sections)

    def write(self, environment: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.event_log.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.render(environment))

    def event_log_size(self) -> int:
        return self.event_log.stat().st_size if self.event_log.exists() else 0

    def event_log_text(self, offset: int = 0) -> str:
        if not self.event_log.exists():
            return ""
        with self.event_log.open("rb") as log:
            log.seek(offset if offset <= self.event_log_size() else 0)  # rotated since: read it all
            return log.read().decode(errors="replace")

    def rpc_stop(self, names: list[str]) -> None:
        """Stop these processes (each waits for its exit, as supervisorctl stop does); a gone one is skipped."""
        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(serverurl=f"unix://{self.socket}")
        try:
            server = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor
            for name in names:
                with contextlib.suppress(xmlrpc.client.Fault):  # NOT_RUNNING, BAD_NAME: nothing to stop
                    server.stopProcess(name, True)
        finally:
            transport.close()

    def rpc_all_process_info(self) -> list[dict]:
        """supervisord's state of every process; empty while it is starting or gone."""
        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(serverurl=f"unix://{self.socket}")
        try:
            return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor.getAllProcessInfo()
        except (OSError, xmlrpc.client.Error):
            return []
        finally:
            transport.close()
