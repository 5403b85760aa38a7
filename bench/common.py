"""What every benchmark shares: figures, the JSON-lines writer, the human table, progress lines and child processes
(running a benchmark in each mode is bench/runner.py).

A figure is one line of ``bench/results/latest.jsonl``:
``{"name", "value", "unit", "baseline", "ratio", "mode", "n"}`` (the shape tools read; keep it stable).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from services.common.settings import PLATFORM_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.jsonl"
PYTHON = sys.executable
SSCP = str(Path(sys.executable).with_name("sscp"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GUNICORN_CONF = str(ROOT / "deploy" / "gunicorn.conf.py")


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    mode: str
    n: int
    baseline: float | None = None
    ratio: float | None = None
    ok: bool = True
    note: str = ""

    def record(self) -> dict:
        rounded = None if self.baseline is None else round(self.baseline, 3)
        ratio = None if self.ratio is None else round(self.ratio, 4)
        return {"name": self.name, "value": round(self.value, 3), "unit": self.unit, "baseline": rounded} | {
            "ratio": ratio,
            "mode": self.mode,
            "n": self.n,
        }


def ratio_of(value: float, baseline: float | None) -> float | None:
    """value / baseline, or None where there is no baseline to compare with."""
    return value / baseline if baseline else None


def append_jsonl(figures: list[Figure], path: Path = RESULTS) -> int:
    """Append the figures that passed their checks; a failed run's numbers would mislead whoever reads them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    good = [figure for figure in figures if figure.ok]
    with path.open("a", encoding="utf-8") as out:
        for figure in good:
            out.write(json.dumps(figure.record()) + "\n")
    return len(good)


def print_table(title: str, figures: list[Figure]) -> None:
    header = f"{'figure':<32} {'mode':<18} {'value':>11} {'unit':<9} {'baseline':>11} {'ratio':>8} {'n':>7}  check"
    print(f"\n{title}\n{header}\n{'-' * len(header)}", flush=True)
    for fig in figures:
        baseline = "-" if fig.baseline is None else f"{fig.baseline:,.1f}"
        ratio = "-" if fig.ratio is None else f"{fig.ratio:.3f}"
        check = "ok" if fig.ok else "FAIL"
        line = f"{fig.name:<32} {fig.mode:<18} {fig.value:>11,.1f} {fig.unit:<9} {baseline:>11} {ratio:>8}"
        line += f" {fig.n:>7}  {check}"
        print(line + (f"  ({fig.note})" if fig.note else ""), flush=True)


def add_common_arguments(parser) -> None:
    """--mode, --reps and --profile, shared by every benchmark and the runner."""
    parser.add_argument("--mode", choices=["embedded", "rabbitmq+postgres", "all"], default="all")
    parser.add_argument("--reps", type=int, default=2, help="interleaved repetitions of baseline and measured runs")
    parser.add_argument("--profile", type=Path, help="sample the measured processes with py-spy into this folder")


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def fail(message: str) -> None:
    print(f"\n!!!!! FAIL {message} !!!!!\n", file=sys.stderr, flush=True)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(pct / 100.0 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(workdir: Path, **settings: str) -> dict[str, str]:
    """The caller's environment without its service settings, plus this run's."""
    env = {key: value for key, value in os.environ.items() if key not in PLATFORM_VARIABLES}
    env |= {
        "VAR_DIR": str(workdir / "var"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env | settings


@dataclass
class ManagedProcess:
    """A process this benchmark started (in its own session), its output in a log file, stopped by its pid."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen | None = field(default=None, init=False)

    def start(self) -> ManagedProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                self.argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, grace: float = 15.0) -> None:
        if not self.alive():
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)  # the group this process leads: only what we started
            self.popen.wait(5)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def wait_for_http(url: str, process: ManagedProcess, timeout: float = 60.0) -> None:
    """Until ``url`` answers 200, or raise with the process's last log lines."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited while starting:\n{process.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer {url} within {timeout:.0f} s:\n{process.log_tail()}")
