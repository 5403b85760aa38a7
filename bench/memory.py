"""Memory benchmark: what the platform's own processes hold at the end of the demo round, in production shape.

The platform is started exactly as ``sscp demo --once`` starts it (deploy/supervisor.py: supervisord with
deploy/Procfile embedded, deploy/Procfile.production on PostgreSQL and RabbitMQ), in its own VAR_DIR, ports and
(PostgreSQL) databases and virtual host, as the round benchmark starts it (bench/round.py). The demo round runs
through it (demo/main.py); when it is over, before anything is stopped, each process's resident memory is read:
RSS (/proc/<pid>/status VmRSS) and PSS (/proc/<pid>/smaps_rollup: pages shared by N processes count 1/N each,
so forked gunicorn workers are not counted once per worker). Figures, summed over the platform's own processes
(the APIs' gunicorn masters and workers, relays, consumers, dispatcher, bridge; not Prefect's server, runner or
worker, nor the demo driver): ``platform.memory_pss_mb`` and ``platform.memory_rss_mb``. No baseline; the goal
(issue 21) is a PSS sum of at most 800 MB. A table lists every process with its modules (``len(sys.modules)``,
written by each process as it exits: a ``sitecustomize`` put on the platform's PYTHONPATH here, nowhere else).

    .venv/bin/python -m bench --only memory [--mode embedded|rabbitmq+postgres|all]
    .venv/bin/python -m bench.memory [--mode ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from bench.common import PYTHON, ROOT, Figure, progress
from bench.modes import PRODUCTION, Mode
from bench.round import environment, run_child
from bench.runner import run_each_mode, standalone_main

GOAL_MB = 800.0
# Prefect's own processes and their flow-run children: started by the platform's Procfile, not the platform's code.
NOT_THE_PLATFORM = ("prefect", "flow-runner", "prefect-worker")
DEMO_BOUND_SECONDS = 900.0
# bench/round.py compresses the round's clock its own way; the demo round runs on the demo's defaults
# (deploy/supervisor.py fills in each of these that is absent).
DEMO_CLOCK = ("CONTRACTING_", "RENEWAL_SWEEP_INTERVAL_SECONDS")
SITECUSTOMIZE = '''"""Bench only (bench/memory.py): each process writes how many modules it holds when it exits."""
import atexit, os, sys


def _record_modules():
    directory = os.environ.get("SSCP_BENCH_MODULES_DIR")
    if directory:
        with open(os.path.join(directory, str(os.getpid())), "w") as out:
            out.write(str(len(sys.modules)))


atexit.register(_record_modules)
'''


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("memory")
    group.add_argument(
        "--memory-timeout", type=float, default=DEMO_BOUND_SECONDS, help="bound on the demo round, seconds (900)"
    )


def run(modes: list[str], args: argparse.Namespace) -> tuple[list[Figure], list[str]]:
    return run_each_mode("memory", modes, lambda mode: run_mode(mode, args.memory_timeout))


def run_mode(mode: Mode, bound: float) -> tuple[list[Figure], list[str]]:
    env = platform_environment(mode)
    result_path = mode.workdir / "memory-result.json"
    progress(f"{mode.name}: the demo round on the platform as `sscp demo --once` starts it (bound {bound:.0f} s)")
    argv = [PYTHON, "-m", "bench.memory", "drive", mode.name, str(result_path)]
    result = run_child(mode, "the demo round", argv, env, result_path, bound)
    problems = [f"{mode.name}: {problem}" for problem in result["problems"]]
    processes = result.get("processes", [])
    if not processes:
        return [], problems or [f"{mode.name}: no process was measured"]
    print_processes(mode.name, processes, failed=bool(problems))
    counted = [p for p in processes if p["counted"]]
    pss = sum(p["pss_kb"] for p in counted) / 1024
    rss = sum(p["rss_kb"] for p in counted) / 1024
    figures = [
        Figure("platform.memory_pss_mb", pss, "MB", mode.name, len(counted), note=f"goal <= {GOAL_MB:.0f} MB"),
        Figure("platform.memory_rss_mb", rss, "MB", mode.name, len(counted), note="pages shared by forks counted"),
    ]
    for figure in figures:
        figure.ok = not problems
    return figures, problems


def platform_environment(mode: Mode) -> dict[str, str]:
    """The round benchmark's environment (own VAR_DIR, ports, Prefect database, bus) with the demo's clock, this
    mode's databases, and the module-count hook on the PYTHONPATH."""
    env = environment(mode, "memory", {"enquiry_seconds": 20, "tendering_seconds": 20, "standstill_seconds": 30})
    env = {key: value for key, value in env.items() if not key.startswith(DEMO_CLOCK)}
    if mode.production:
        services = ("registry", "contracting", "notifications")
        env |= {f"{service.upper()}_DATABASE_URL": mode.database(service, "memory") for service in services}
    site = mode.workdir / "memory-site"
    modules = mode.workdir / "memory-modules"
    site.mkdir()
    modules.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return env | {"PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "SSCP_BENCH_MODULES_DIR": str(modules)}


def print_processes(mode: str, processes: list[dict], failed: bool = False) -> None:
    when = "as the failed demo stopped" if failed else "at the end of the demo round"
    print(f"\nmemory, {mode}: each process {when} (* = Prefect's, not summed)")
    print(f"  {'process':<34} {'pid':>7} {'RSS MB':>8} {'PSS MB':>8} {'modules':>8}")
    for p in sorted(processes, key=lambda p: (not p["counted"], p["name"])):
        modules = "?" if p["modules"] is None else str(p["modules"])
        name = p["name"] if p["counted"] else f"{p['name']} *"
        print(f"  {name:<34} {p['pid']:>7} {p['rss_kb'] / 1024:>8.1f} {p['pss_kb'] / 1024:>8.1f} {modules:>8}")
    counted = [p for p in processes if p["counted"]]
    rss, pss = (sum(p[key] for p in counted) / 1024 for key in ("rss_kb", "pss_kb"))
    print(f"  {'platform (' + str(len(counted)) + ' processes)':<34} {'':>7} {rss:>8.1f} {pss:>8.1f}")


# The driver: a process of its own (the demo reads its settings from the environment once), like bench/round_driver.


def drive(mode: str, result_path: Path) -> int:
    """Run ``sscp demo --once`` in this process, reading every process's memory when the round is over."""
    from deploy import supervisor as supervision

    snapshots: list[list[dict]] = []

    class MeasuredSupervisor(supervision.Supervisor):
        def quiesce(self) -> None:
            # The demo calls this once the round and its checks are done, before it stops anything.
            snapshots.append(snapshot(self.processes()))
            super().quiesce()

        def stop(self, timeout: float = 40) -> None:
            # A round that failed is not the end of the demo round, but where its memory went still helps: the
            # table is printed, the figures fail.
            if not snapshots and self.process is not None and self.process.poll() is None:
                snapshots.append(snapshot(self.processes()))
            super().stop(timeout)

    supervision.Supervisor = MeasuredSupervisor
    problems: list[str] = []
    try:
        from demo.main import run_demo

        status = run_demo(once=True, production=mode == PRODUCTION)
        if status != 0:
            problems.append(f"the demo round failed (exit {status}); see its output above")
    except Exception as exc:
        traceback.print_exc()
        problems.append(f"the demo driver failed: {type(exc).__name__}: {str(exc)[:2000]}")
    processes = snapshots[0] if snapshots else []
    if not snapshots and not problems:
        problems.append("the demo ended without reaching the end of its round")
    counts = Path(os.environ["SSCP_BENCH_MODULES_DIR"])
    for process in processes:
        found = counts / str(process["pid"])
        process["modules"] = int(found.read_text()) if found.exists() else None
    result_path.write_text(json.dumps({"problems": problems, "processes": processes}))
    return 0


def snapshot(infos: list[dict]) -> list[dict]:
    """RSS and PSS of every process supervisord runs, and of their children (gunicorn's workers)."""
    children = _children()
    rows = []
    for info in infos:
        if not info["pid"]:
            continue
        counted = info["name"] not in NOT_THE_PLATFORM
        stack = [(info["pid"], info["name"])]
        while stack:
            pid, name = stack.pop()
            memory = _memory_kb(pid)
            if memory is not None:
                rows.append({"name": name, "pid": pid, "counted": counted, **memory})
            role = "worker" if counted else "child"
            stack += [(child, f"{info['name']} {role}") for child in children.get(pid, [])]
    return rows


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command may hold spaces and parentheses: the fields after the last ")" are fixed.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.setdefault(int(fields[1]), []).append(int(entry.name))
    return found


def _memory_kb(pid: int) -> dict | None:
    try:
        status = (Path("/proc") / str(pid) / "status").read_text()
        rollup = (Path("/proc") / str(pid) / "smaps_rollup").read_text()
    except OSError:  # it exited meanwhile
        return None
    return {"rss_kb": _field(status, "VmRSS:"), "pss_kb": _field(rollup, "Pss:")}


def _field(text: str, label: str) -> int:
    return next(int(line.split()[1]) for line in text.splitlines() if line.startswith(label))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["drive"]:
        return drive(argv[1], Path(argv[2]))
    return standalone_main("memory", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
