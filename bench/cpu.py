"""Where a measured run's CPU went: every process on the machine, by kind, read from /proc (utime + stime).

A ratio says how far a figure is from its baseline; this says why. On two cores a run that keeps both busy is
bound by CPU, and the time per request of each kind of process (the API's workers, PostgreSQL, the load
generator) is what a change has to cut. ``wrk`` is a child of this process and ends within the run, so its time is
read from this process's reaped children instead (``os.times``).

    before = snapshot(); ...; after = snapshot()
    spent(before, after)  ->  {"contracting": 13.9, "postgres": 3.6, "wrk": 0.25, ...}  (CPU-seconds)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
# The first kind whose marker is in a process's command line names it; "other" is everything else running.
KINDS = (
    ("postgres", "postgres"),
    ("contracting", "services.contracting"),
    ("registry", "services.registry"),
    ("notifications", "services.notifications"),
    ("hello", "bench.hello"),
    ("rabbitmq", "rabbit"),
)
CHILDREN = "wrk"  # what this process reaped within the run: the load generator
OTHER = "other"  # not the benchmark's: other work on the machine, shown apart


@dataclass(frozen=True)
class Snapshot:
    processes: dict[int, tuple[str, float, int]]  # pid -> (kind, CPU-seconds, start time in clock ticks)
    children: float  # CPU-seconds of this process's reaped children


def kind_of(command_line: str) -> str:
    return next((kind for kind, marker in KINDS if marker in command_line), OTHER)


def snapshot(proc: Path = PROC) -> Snapshot:
    ticks = os.sysconf("SC_CLK_TCK")
    processes = {}
    for entry in proc.glob("[0-9]*"):
        try:
            command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        utime, stime, started = int(fields[11]), int(fields[12]), int(fields[19])
        processes[int(entry.name)] = (kind_of(command_line), (utime + stime) / ticks, started)
    times = os.times()
    return Snapshot(processes, times.children_user + times.children_system)


def spent(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU-seconds each kind used between the snapshots. A process that started in between counts whole (a pid
    reused counts from zero); one that ended in between is lost, unless it was this process's child."""
    by_kind: dict[str, float] = {}
    for pid, (kind, cpu, started) in after.processes.items():
        earlier = before.processes.get(pid)
        used = cpu - earlier[1] if earlier and earlier[2] == started else cpu
        by_kind[kind] = by_kind.get(kind, 0.0) + used
    by_kind[CHILDREN] = by_kind.get(CHILDREN, 0.0) + after.children - before.children
    return {kind: seconds for kind, seconds in by_kind.items() if seconds > 0}


def per_request_ms(cpu_seconds: dict[str, float], requests: int) -> dict[str, float]:
    return {kind: seconds * 1000 / requests for kind, seconds in cpu_seconds.items()} if requests else {}


def describe(per_request: dict[str, float]) -> str:
    """The benchmark's kinds, the largest first (those under 0.05 ms left out), then the rest of the machine:
    "contracting 4.91 + postgres 1.27 + wrk 0.09 ms; other processes 0.12 ms"."""
    shown = sorted(((ms, kind) for kind, ms in per_request.items() if ms >= 0.05 and kind != OTHER), reverse=True)
    own = " + ".join(f"{kind} {ms:.2f}" for ms, kind in shown) + " ms"
    return f"{own}; other processes {per_request.get(OTHER, 0.0):.2f} ms"
