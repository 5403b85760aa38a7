"""Round benchmark: a national tender round through the real flows vs the same Prefect runs doing nothing.

Measured: the platform started as the demo starts it (deploy/supervisor.py: supervisord with deploy/Procfile embedded,
deploy/Procfile.production with a work pool on PostgreSQL and RabbitMQ), in its own VAR_DIR and on its own
ports. ``--round-districts`` x ``--round-services`` calls, each published by its district's authority and bid
on by ``--round-bids`` accredited CSOs once its enquiry period is over; the stage flows open the bids, award
(two winners a call) and make the contracts after the standstill; evaluators score and both sides sign when it
is their turn (bench/round_actors.py). ``round.wall_s``: seconds from the first publication to the last
contract signed (contracting's own timestamps).

Baseline, in the same mode right after: a fresh Prefect server and one no-op flow run (bench/round_noop.py,
served or on a work pool, as the stage flows are) per flow run the round executed, created at the same offsets
from the start and scheduled for the same offsets as the real ones, each with as many no-op task runs as its
real run had. Its wall time is the first such offset to the last no-op run's end: Prefect alone on the same
clock. Ratio = round / baseline.

    .venv/bin/python -m bench --only round [--mode embedded|rabbitmq+postgres|all] [--round-districts 35 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from bench.common import (
    PYTHON,
    ROOT,
    Figure,
    fail,
    median,
    progress,
)
from bench.common import ratio_of as ratio
from bench.modes import POSTGRES_ADMIN_URL, Mode, _admin
from bench.runner import run_each_mode, standalone_main
from deploy.supervisor import free_port
from services.common.settings import PLATFORM_VARIABLES
from services.registry.domain.reference_data import DISTRICTS, SERVICE_TYPES

# Five of the nomenclature's service types: the national round's.
ROUND_SERVICES = ("home-care", "day-centre", "personal-assistance", "respite-care", "mobile-team")
assert set(ROUND_SERVICES) <= {label.code for label in SERVICE_TYPES}
# A developer's shell may point at their own demo; the round's processes get only the settings below.
FOREIGN_PREFIXES = ("PREFECT_", "SSCP_", "CONTRACTING_", "GUNICORN_", "RENEWAL_")
# The default bound on a round: a national 35 x 5 round took 1,880-2,356 s (about 11-14 s per call); 4 per call
# gave up at 940 s with none of its 175 calls signed. The bound catches a stuck round; it is not a target.
SECONDS_PER_CALL = 24
FOREIGN = {"VAR_DIR", "REGISTRY_PORT", "CONTRACTING_PORT", "NOTIFICATIONS_PORT", "PORTAL_PORT", "OPERATOR_PASSWORD"}
FOREIGN |= {"FLOWS_SERVICE_PASSWORD", "LOG_FORMAT", "LOG_LEVEL", "ACCESS_TOKEN_TTL_SECONDS"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("round")
    group.add_argument("--round-districts", type=int, default=4, help="districts of the round (1-35, default 4)")
    group.add_argument("--round-services", type=int, default=2, help="service types, one call each (1-5, default 2)")
    group.add_argument("--round-bids", type=int, default=6, help="CSOs bidding on each call (default 6)")
    group.add_argument("--round-enquiry-seconds", type=float, default=5, help="compressed enquiry period (5)")
    group.add_argument(
        "--round-tendering-seconds", type=float, help="compressed tendering period (default 10 + 0.5 per call)"
    )
    group.add_argument("--round-standstill-seconds", type=float, default=20, help="compressed standstill (20)")
    group.add_argument("--round-actors", type=int, default=4, help="people acting at the same moment (4)")
    group.add_argument(
        "--round-timeout",
        type=float,
        help=f"bound on first publication to last signature (default 240 + {SECONDS_PER_CALL} per call)",
    )


def size_problem(args: argparse.Namespace) -> str | None:
    if not 1 <= args.round_districts <= len(DISTRICTS):
        return f"--round-districts must be 1-{len(DISTRICTS)}"
    if not 1 <= args.round_services <= len(ROUND_SERVICES):
        return f"--round-services must be 1-{len(ROUND_SERVICES)}"
    if args.round_bids < 1 or args.round_actors < 1:
        return "--round-bids and --round-actors must be at least 1"
    return None


def config_for(args: argparse.Namespace, production: bool) -> dict:
    calls = args.round_districts * args.round_services
    # Every call is published before the first bid goes in (one queue of people), so the tendering period must
    # outlast the publication of all the others; a call takes ~0.3 s to publish on a quiet machine.
    tendering = args.round_tendering_seconds or 10 + 0.5 * calls
    return {
        "production": production,
        "districts": [label.code for label in DISTRICTS[: args.round_districts]],
        "services": list(ROUND_SERVICES[: args.round_services]),
        "bids": args.round_bids,
        "enquiry_seconds": args.round_enquiry_seconds,
        "tendering_seconds": tendering,
        "standstill_seconds": args.round_standstill_seconds,
        "actors": args.round_actors,
        "round_timeout": args.round_timeout or 240 + SECONDS_PER_CALL * calls,
        # Each look lists the calls in evaluation and awaiting signatures: less often when there are many.
        "poll_seconds": 1.0 if calls <= 50 else 2.0,
        "baseline_slack_seconds": 180.0 + 2 * calls,
    }


def environment(mode: Mode, phase: str, config: dict) -> dict[str, str]:
    """The caller's environment without anything pointing at another platform, plus this phase's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PLATFORM_VARIABLES and key not in FOREIGN and not key.startswith(FOREIGN_PREFIXES)
    }
    var = mode.workdir / f"var-{phase}"
    prefect_port = free_port()
    env |= {
        "VAR_DIR": str(var),
        "PYTHONPATH": str(ROOT),
        "REGISTRY_PORT": str(free_port()),
        "CONTRACTING_PORT": str(free_port()),
        "NOTIFICATIONS_PORT": str(free_port()),
        "PORTAL_PORT": str(free_port()),
        "PREFECT_PORT": str(prefect_port),
        # Set here, not left to deploy/supervisor.py: Prefect reads them once, when first imported.
        "PREFECT_API_URL": f"http://127.0.0.1:{prefect_port}/api",
        "PREFECT_HOME": str(var / ("prefect-production" if mode.production else "prefect")),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "CONTRACTING_MIN_ENQUIRY_SECONDS": f"{config['enquiry_seconds']:g}",
        "CONTRACTING_MIN_TENDERING_SECONDS": f"{config['tendering_seconds']:g}",
        "CONTRACTING_MIN_AMENDMENT_EXTENSION_SECONDS": "20",
        "CONTRACTING_STANDSTILL_SECONDS": f"{config['standstill_seconds']:g}",
        # The demo also compresses the contracts' life (5-second months, a renewal sweep every 10 s), so that its
        # contracts end and are re-tendered within minutes; here they would end, be swept and re-tendered while
        # the round is still running. Empty = production's calendar months and daily sweep (deploy/supervisor.py
        # only fills in variables that are absent).
        "CONTRACTING_CONTRACT_MONTH_SECONDS": "",
        "RENEWAL_SWEEP_INTERVAL_SECONDS": "",
    }
    var.mkdir(parents=True, exist_ok=True)
    if mode.production:
        prefect_db = f"sscp_bench_{mode.token}_prefect_{phase}"
        _admin(f'CREATE DATABASE "{prefect_db}"')
        mode._databases.append(prefect_db)  # dropped with the mode's other databases
        server = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        env |= {
            "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"{server.replace('postgresql://', 'postgresql+asyncpg://')}/{prefect_db}",
            "PREFECT_WORK_POOL": f"sscp-bench-{mode.token}-{phase}",
            "BUS_URL": mode.bus_url(phase),
        }
        if phase == "round":
            env |= {
                f"{s.upper()}_DATABASE_URL": mode.database(s, phase)
                for s in ("registry", "contracting", "notifications")
            }
    return env


def drive(mode: Mode, phase: str, config: dict, env: dict[str, str], timeout: float) -> dict:
    """Run one phase in its own process (bench/round_driver.py); its result, or its problem, as a dict."""
    config_path = mode.workdir / f"{phase}-config.json"
    result_path = mode.workdir / f"{phase}-result.json"
    config_path.write_text(json.dumps(config))
    argv = [PYTHON, "-m", "bench.round_driver", phase, str(config_path), str(result_path)]
    return run_child(mode, phase, argv, env, result_path, timeout)


def run_child(mode: Mode, label: str, argv: list[str], env: dict[str, str], result_path: Path, timeout: float) -> dict:
    """Run one phase's process until it exits or ``timeout`` passes (then SIGTERM, which stops the platform it
    started); the JSON it wrote to ``result_path``, or its problem."""
    child = subprocess.Popen(argv, env=env, cwd=ROOT)
    try:
        child.wait(timeout)
    except subprocess.TimeoutExpired:
        progress(f"{mode.name}: {label} still running after {timeout:.0f} s: stopping it")
        _stop(child)
    except KeyboardInterrupt:
        _stop(child)
        raise
    if not result_path.exists():
        return {"problems": [f"{label} exited ({child.returncode}) without a result"]}
    return json.loads(result_path.read_text())


def _stop(child: subprocess.Popen) -> None:
    """SIGTERM: the phase stops the platform it started and writes its result; killed if it does not."""
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(90)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def run_mode(mode: Mode, config: dict) -> tuple[list[Figure], list[str]]:
    calls = len(config["districts"]) * len(config["services"])
    bound = 420 + 3 * calls * config["bids"] + config["round_timeout"]
    progress(f"{mode.name}: round of {calls} calls with {config['bids']} bids each (bound {bound:.0f} s)")
    measured = drive(mode, "round", config, environment(mode, "round", config), bound)
    problems = [f"{mode.name}: {p}" for p in measured.get("problems", [])]
    if measured.get("wall_s") is None:
        return [], problems or [f"{mode.name}: the round produced no wall time"]
    # The round's runs: those that started between the first publication and the last signature.
    started = [r for r in measured["runs"] if r["start"] is not None and 0 <= r["start"] <= measured["wall_s"]]
    baseline = {}
    if problems:  # a stuck round has no wall time worth comparing: say where it went and stop
        progress(f"{mode.name}: the round did not finish cleanly; no baseline")
    elif started:
        baseline_config = config | {"runs": started}
        bound = 300 + max(r["expected"] for r in started) + config["baseline_slack_seconds"]
        progress(
            f"{mode.name}: baseline of {len(started)} no-op flow runs on the round's timeline (bound {bound:.0f} s)"
        )
        baseline = drive(mode, "baseline", baseline_config, environment(mode, "baseline", config), bound)
        problems += [f"{mode.name}: {p}" for p in baseline.get("problems", [])]
    base_wall = baseline.get("wall_s")
    tasks = sum(r["tasks"] for r in started)
    figure = Figure(
        "round.wall_s", measured["wall_s"], "s", mode.name, calls, base_wall, ratio(measured["wall_s"], base_wall)
    )
    figure.ok = not problems and base_wall is not None
    figure.note = f"{len(started)} flow runs, {tasks} task runs, {measured['signed']} contracts signed"
    report(mode.name, measured, started, baseline)
    return [figure], problems


def report(mode: str, measured: dict, round_runs: list[dict], baseline: dict) -> None:
    """Where the time went: the clock's floor, each step of a call, and each stage run from due to done."""
    print(
        f"\nround, {mode}: {measured['calls']} calls, {measured['bids']} bids, {measured['signed']} of "
        f"{measured['contracts']} contracts signed {measured['wall_s']:.1f} s after the first publication"
    )
    print(
        f"  floor set by the compressed deadlines: {measured['floor_s']:.1f} s (last submission deadline "
        f"+{measured['last_deadline_s']:.1f} s, 1 s margin, standstill, 1 s margin); "
        f"wall / floor = {measured['wall_s'] / measured['floor_s']:.2f}"
    )
    print(f"  {'step of a call':<40} {'median s':>9} {'max s':>8}")
    for name, (middle, top) in measured["phases"].items():
        print(f"  {name:<40} {middle:>9.1f} {top:>8.1f}")
    print(f"  {'stage runs, due -> done':<40} {'runs':>5} {'tasks':>6} {'median s':>9} {'max s':>8}")
    for label, runs in (("round", round_runs), ("baseline", baseline.get("runs", []))):
        for stage, group in sorted(_by_stage(runs).items()):
            lags = [r["end"] - r["expected"] for r in group if r["end"] is not None]
            tasks = sum(r["tasks"] for r in group)
            top = max(lags, default=0)
            print(f"  {label + ' ' + stage:<40} {len(group):>5} {tasks:>6} {median(lags):>9.1f} {top:>8.1f}")
    states: dict[str, int] = {}
    for run in round_runs:
        states[run["state"]] = states.get(run["state"], 0) + 1
    others = len(measured["runs"]) - len(round_runs)
    print(
        f"  round flow runs: {', '.join(f'{n} {s.lower()}' for s, n in sorted(states.items()))}"
        f" ({others} other runs on the server, not started within the round, not counted)"
    )
    if baseline.get("wall_s") is not None:
        print(f"  baseline: the no-op mirror's last run ended {baseline['wall_s']:.1f} s after the mirror's start")


def _by_stage(runs: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for run in runs:
        if run["start"] is not None:
            groups.setdefault(run["stage"], []).append(run)
    return groups


def run(modes: list[str], args: argparse.Namespace) -> tuple[list[Figure], list[str]]:
    if problem := size_problem(args):
        fail(problem)
        return [], [problem]
    return run_each_mode("round", modes, lambda mode: run_mode(mode, config_for(args, mode.production)))


def main(argv: list[str] | None = None) -> int:
    return standalone_main("round", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
