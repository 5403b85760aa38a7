"""Sampling profiles of the benchmark's processes with py-spy, and a plain-text summary of where time went.

py-spy attaches to a running process by pid (root, or ptrace allowed) and writes collapsed stacks
("frame;frame;frame count" per line). ``summarize`` prints the functions with the most samples on top of the
stack (self) and anywhere in it (total). Install with ``.venv/bin/pip install py-spy``.

    .venv/bin/python -m bench.profile FILE.txt [--top 20]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.common import PYTHON


def py_spy() -> str | None:
    found = Path(PYTHON).with_name("py-spy")
    return str(found) if found.exists() else shutil.which("py-spy")


class Sampler:
    """``py-spy record`` attached to one pid until stopped; its collapsed stacks land in ``output``."""

    def __init__(self, pid: int, output: Path, rate: int = 250, subprocesses: bool = False) -> None:
        executable = py_spy()
        if executable is None:
            raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
        argv = [executable, "record", "--pid", str(pid), "--format", "raw", "--rate", str(rate), "-o", str(output)]
        argv += ["--subprocesses"] if subprocesses else []  # a gunicorn master: sample its workers
        self.output = output
        self.popen = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> Path:
        self.popen.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        try:
            self.popen.wait(30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
        return self.output


def _frame_name(frame: str) -> str:
    # py-spy frames look like "function (path/to/module.py:123)"; the line number splits one function in many.
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        path = path.split(marker, 1)[-1]
    return f"{name} ({path})"


def summarize(path: Path, top: int = 15) -> str:
    own, total, samples = Counter(), Counter(), 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame_name(frame) for frame in stack.split(";") if frame]
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            total[frame] += int(count)
    if not samples:
        return f"{path.name}: no samples"
    lines = [f"{path.name}: {samples} samples", "  self%  function (top of stack)"]
    lines += [f"  {100 * n / samples:5.1f}  {name}" for name, n in own.most_common(top)]
    lines += ["  total% function (anywhere in the stack)"]
    lines += [f"  {100 * n / samples:5.1f}  {name}" for name, n in total.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    for path in args.files:
        print(summarize(path, args.top) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
