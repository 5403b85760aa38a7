"""Running one benchmark: in each mode's throw-away servers in turn, and as ``python -m bench.<benchmark>``.

It sits above bench/common.py and bench/modes.py so that those two import in one direction only (modes uses
common), never each other.
"""

from __future__ import annotations

import argparse
import time
import traceback
from collections.abc import Callable

from bench.common import Figure, add_common_arguments, append_jsonl, fail, print_table, progress
from bench.modes import MODES, Mode, ModeUnavailable


def run_each_mode(benchmark: str, modes: list[str], measure: Callable) -> tuple[list[Figure], list[str]]:
    """``measure(mode) -> (figures, problems)`` in each mode's throw-away servers, in turn; a mode that cannot be
    had or that fails is reported as a problem and the other modes still run."""
    figures: list[Figure] = []
    problems: list[str] = []
    for name in modes:
        started = time.monotonic()
        trouble: list[str] = []
        try:
            with Mode(name) as mode:
                got, trouble = measure(mode)
            figures += got
        except ModeUnavailable as exc:
            trouble = [f"{benchmark} {name} skipped: {exc}"]
        except Exception as exc:  # a process failed or a server went away: the other mode still runs
            traceback.print_exc()
            trouble = [f"{benchmark} {name} failed: {str(exc)[:2000]}"]
        for problem in trouble:
            fail(problem)
        problems += trouble
        progress(f"{benchmark} {name}: {time.monotonic() - started:.0f} s")
    return figures, problems


def standalone_main(benchmark: str, doc: str, add_arguments: Callable, run: Callable, argv: list[str] | None) -> int:
    """``python -m bench.<benchmark>``: its own flags, its table, its JSON lines; non-zero on any problem."""
    parser = argparse.ArgumentParser(prog=f"python -m bench.{benchmark}", description=doc.splitlines()[0])
    add_common_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(argv)
    started = time.monotonic()
    figures, problems = run(list(MODES) if args.mode == "all" else [args.mode], args)
    print_table(benchmark, figures)
    written = append_jsonl(figures)
    print(f"\n{written} figures appended to bench/results/latest.jsonl; wall time {time.monotonic() - started:.0f} s")
    return 1 if problems or not all(f.ok for f in figures) else 0
