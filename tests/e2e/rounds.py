"""The e2e suite's demo rounds: `sscp demo --once`, once per mode, with every kind of process SIGKILLed once.

A whole demo round costs minutes, so the suite plays one per mode (embedded; the production shape without Docker)
and every e2e test reads what it needs from it (tests/e2e/conftest.py): the demo's own checks and the round's
outcomes (test_demo_round.py, test_production_shape.py) and, for each kind of process, that it was killed, came
back and lost nothing (test_self_healing.py). A killer thread reads each process's pid from the demo's
supervisord and SIGKILLs one kind after another at staggered moments of the round; the demo must still pass every
check it makes on a round nothing disturbed, and every outbox must drain.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from deploy.supervisor import PROCFILE, PRODUCTION_PROCFILE, free_port
from deploy.supervisord import SupervisordConfig
from services.common.bus.outbox import count_unpublished

ROOT = Path(__file__).resolve().parents[2]
SSCP = Path(sys.executable).parent / "sscp"

# Process kinds, each with the supervised process killed for it in each mode.
KINDS = {
    "api-gunicorn-master": {"embedded": "contracting", "production": "contracting"},
    "portal-gunicorn-master": {"embedded": "portal", "production": "portal"},
    # `sscp background`: a service's relay, consumer and dispatcher, one thread each in one process (deploy/Procfile)
    "outbox-relay": {"embedded": "registry-background", "production": "registry-background"},
    "relay-and-consumer": {"embedded": "contracting-background", "production": "contracting-background"},
    "relay-worker-and-dispatcher": {"embedded": "notifications-background", "production": "notifications-background"},
    "flow-bridge": {"embedded": "flow-bridge", "production": "flow-bridge"},
    "flow-runner-or-worker": {"embedded": "flow-runner", "production": "prefect-worker"},
    # A run whose process the runner or worker starts while the server is down dies on its first request and is
    # reported Crashed once the server is back; the stage watch schedules it again (flows/stage_watch.py).
    "prefect-server": {"embedded": "prefect", "production": "prefect"},
}
# Kinds not killed in a mode, each with why (empty: every kind is killed in both modes). The broker-less bus's
# consumers restore what a SIGKILLed predecessor had taken (services/processes.py), so they are killed in both.
KNOWN_GAPS: dict[tuple[str, str], str] = {}
FIRST_KILL_AFTER = "published, committee of 3 named"  # the round has begun: a call is out, flows at work
KILL_EVERY_SECONDS = 12
SERVICES = ("registry", "contracting", "notifications")


@dataclass
class Kill:
    kind: str
    process: str
    pid: int
    at: float
    new_pid: int = 0


@dataclass
class Round:
    returncode: int
    output: str
    processes_log: str
    kills: dict[str, Kill] = field(default_factory=dict)
    unpublished: dict[str, int] = field(default_factory=dict)
    killer_problem: str = ""

    def explain(self) -> str:
        return f"{self.output}\n--- processes (tail) ---\n{self.processes_log[-5000:]}\n{self.killer_problem}"


class Killer(threading.Thread):
    """Kills each kind's process once, KILL_EVERY_SECONDS apart, once the round has begun; notes the new pid."""

    def __init__(self, mode: str, config: SupervisordConfig, output_path: Path) -> None:
        super().__init__(daemon=True)
        self.mode, self.config, self.output_path = mode, config, output_path
        self.kills: dict[str, Kill] = {}
        self.problem = ""
        self.finished = threading.Event()

    def pid(self, process: str) -> int:
        infos = self.config.rpc_all_process_info()
        return next((i["pid"] for i in infos if i["name"] == process and i["statename"] == "RUNNING"), 0)

    def run(self) -> None:
        try:
            self._wait(lambda: FIRST_KILL_AFTER in self.output_path.read_text(), 600)
            for kind, processes in KINDS.items():
                process = processes[self.mode]
                if process is None:
                    continue
                pid = self._wait(lambda p=process: self.pid(p), 120)
                os.kill(pid, signal.SIGKILL)
                self.kills[kind] = Kill(kind, process, pid, time.monotonic())
                time.sleep(KILL_EVERY_SECONDS)
            for kill in self.kills.values():
                kill.new_pid = self._wait(lambda k=kill: (pid := self.pid(k.process)) != k.pid and pid, 120)
        except Exception as exc:  # reported by the tests, which name the kind that was not killed
            self.problem = f"killer: {type(exc).__name__}: {exc}"
        finally:
            self.finished.set()

    def _wait(self, condition, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.3)
        raise TimeoutError(f"not within {timeout:.0f}s")


def demo_environment(tmp_path: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Its own var/ and its own ports, so it runs beside a developer's demo without touching it. ``base``: the
    environment to start from (a copy of this process's by default)."""
    base = dict(os.environ) if base is None else base
    env = {key: value for key, value in base.items() if not key.startswith(("PREFECT_", "SSCP_"))}
    env.update(
        VAR_DIR=str(tmp_path / "var"),
        REGISTRY_PORT=str(free_port()),
        CONTRACTING_PORT=str(free_port()),
        NOTIFICATIONS_PORT=str(free_port()),
        PORTAL_PORT=str(free_port()),
        PREFECT_PORT=str(free_port()),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    return env


def assert_round_outcomes(output: str) -> None:
    """What a district department, a CSO and an operator would check on the screen."""
    assert "contracting: eligibility replica caught up from registry events over the bus" in output
    assert "awarded to AO Casa Speranței, AO Concordia. Proiecte Sociale" in output  # two winners
    assert "unsuccessful: no eligible bid" in output
    assert "complaint upheld: the award falls and the call goes back to evaluation" in output
    assert "awarded to AO Keystone Moldova" in output  # re-awarded to the complainant
    assert "signed by the authority and AO Keystone Moldova" in output
    # The contracts' life: the renewal sweep renews the one that met its KPI and re-tenders the other,
    # whose end the continuity watch then flags.
    assert "renewal-sweep proposed renewing contract" in output
    assert "authority confirmed: contract" in output and "renewed until" in output
    assert "Proiecte Sociale below the KPI threshold -> successor call" in output
    assert "continuity watch: contract" in output and "the district was alerted" in output
    assert "every tender reached its expected outcome" in output
    # The single-bid call goes to the district's incumbent: the observatory flags both from the published data.
    assert "✓ observatory: 18 pages open (6 views in ro, ru and en) and show the flags recomputed from OCDS" in output
    flags = re.search(r"✓ observatory: (\d+) red flags lit from the published OCDS data: (.*)", output)
    assert flags and int(flags.group(1)) >= 3, output[-3000:]
    assert "R018 (1 call)" in flags.group(2) and "INCUMBENCY (2 calls)" in flags.group(2), flags.group(2)
    # Documents at every step (issue 17): the call's, the committee's report, signed contracts and the winners'
    # proposals are public, each downloaded without a token and checked against its stated SHA-256.
    checked = re.search(r"✓ (\d+) public documents download without a token and hash to what", output)
    assert checked and int(checked.group(1)) >= 10, output[-3000:]
    in_ocds = re.search(r"✓ (\d+) documents listed in the OCDS records download as their url says", output)
    assert in_ocds and int(in_ocds.group(1)) >= 10, output[-3000:]
    # No red run in the Prefect UI: an unsuccessful call's award stage ends Completed too (issue 14 #1).
    assert re.search(r"✓ 0 failed or crashed flow runs \(of [1-9]\d*\)", output), output[-3000:]
    # The web portal (issue 18) lists the round's calls and opens each one's page; the sign-ins are printed.
    assert re.search(r"✓ portal: the round's \d+ calls are listed and each call's page opens", output), output[-3000:]
    assert "Sign in to the portal" in output and "user@speranta.md" in output
    assert "all processes stopped" in output


def play_round_with_kills(
    mode: str, var: Path, settings: dict[str, str], base_environment: dict[str, str] | None = None
) -> Round:
    """`sscp demo --once` in ``mode`` with its own var/, ports and ``settings``, each kind of process killed once."""
    env = demo_environment(var.parent, base_environment)
    env |= {"VAR_DIR": str(var), "PYTHONUNBUFFERED": "1", **settings}
    var.mkdir(parents=True)
    output_path = var.parent / "demo-output.txt"
    procfile = PRODUCTION_PROCFILE if mode == "production" else PROCFILE
    killer = Killer(mode, SupervisordConfig(procfile, var), output_path)
    args = [str(SSCP), "demo", "--once", *(["--production"] if mode == "production" else [])]
    with output_path.open("w") as output:
        demo = subprocess.Popen(args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        killer.start()
        try:
            returncode = demo.wait(timeout=900)
        except subprocess.TimeoutExpired:
            demo.terminate()
            returncode = demo.wait(timeout=120)
    killer.finished.wait(timeout=300)
    log = var / "log" / "processes.log"
    return Round(
        returncode=returncode,
        output=output_path.read_text(),
        processes_log=log.read_text(errors="replace") if log.exists() else "(no log)",
        kills=killer.kills,
        unpublished=unpublished_events(settings, var),
        killer_problem=killer.problem,
    )


def unpublished_events(settings: dict[str, str], var: Path) -> dict[str, int]:
    def url(name: str) -> str:
        return settings.get(f"{name.upper()}_DATABASE_URL") or f"sqlite:///{var / f'{name}.sqlite'}"

    return {name: count_unpublished(url(name)) for name in SERVICES}


@contextmanager
def production_settings(postgres_server: str, rabbitmq_server: str, label: str) -> Iterator[dict[str, str]]:
    """Private databases and a private RabbitMQ virtual host for one production-shape round, removed afterwards."""
    prefix = f"sscp_{label}_{uuid.uuid4().hex[:8]}"
    base = postgres_server.rsplit("/", 1)[0]
    settings = {f"{name.upper()}_DATABASE_URL": f"{base}/{prefix}_{name}" for name in SERVICES}
    settings["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = (
        f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{prefix}_prefect"
    )
    settings["PREFECT_WORK_POOL"] = f"{prefix}-pool"
    vhost = prefix
    subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True, timeout=60)
    subprocess.run(
        ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    settings["BUS_URL"] = f"{rabbitmq_server}/{vhost}"
    try:
        yield settings
    finally:
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], check=False, capture_output=True, timeout=60)
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            for name in (*SERVICES, "prefect"):
                admin.execute(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)')


@dataclass
class PlannedRound:
    mode: str
    var: Path
    settings: dict[str, str]
    unavailable: str = ""  # why the mode's servers cannot be had ("SERVER UNAVAILABLE: …"): its tests skip with it


class RoundsInBackground(threading.Thread):
    """The session's rounds, one after the other, played in a thread from the session's start (tests/conftest.py).

    A round keeps about one of the machine's two cores busy for three minutes, mostly waiting for its flows'
    deadlines, and the rest of the suite about one core: played beside the other tests instead of after them,
    the two rounds stop adding ~400 s to the suite. The e2e tests run near the end and wait for their round; the
    reliability tests, which stop the shared PostgreSQL and RabbitMQ, run after them (the order is set in
    tests/conftest.py)."""

    def __init__(self, planned: list[PlannedRound], base_environment: dict[str, str]) -> None:
        super().__init__(daemon=True, name="e2e-rounds")
        self.planned = {plan.mode: plan for plan in planned}
        self.base_environment = base_environment
        self.outcomes: dict[str, Round | BaseException] = {}
        self.finished = {mode: threading.Event() for mode in self.planned}

    def run(self) -> None:
        for mode, plan in self.planned.items():
            try:
                if not plan.unavailable:
                    self.outcomes[mode] = play_round_with_kills(mode, plan.var, plan.settings, self.base_environment)
            except BaseException as exc:  # handed to the tests that read this round
                self.outcomes[mode] = exc
            finally:
                self.finished[mode].set()

    def round_of(self, mode: str, timeout: float = 1500) -> Round:
        if mode not in self.planned:
            raise RuntimeError(f"no {mode} round was planned: tests/conftest.py did not see a test that needs it")
        if not self.finished[mode].wait(timeout):
            raise TimeoutError(f"the {mode} round did not finish within {timeout:.0f}s")
        if self.planned[mode].unavailable:
            pytest.skip(self.planned[mode].unavailable)  # the servers' own skip message, already loud
        outcome = self.outcomes[mode]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def modes_needed_by(item: pytest.Item) -> set[str]:
    """The rounds a collected test reads: through ``embedded_round``, ``production_round`` or ``healed_round``."""
    needed = {mode for mode in ("embedded", "production") if f"{mode}_round" in item.fixturenames}
    if "healed_round" in item.fixturenames:
        callspec = getattr(item, "callspec", None)
        needed |= {callspec.params["healed_round"]} if callspec else {"embedded", "production"}
    return needed
