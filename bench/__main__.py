"""Every benchmark in one invocation (``make bench``): bus and api in both modes, then round when it exists.

Each benchmark module offers ``add_arguments(parser)`` and ``run(modes, args) -> (figures, problems)``; this
runner parses the union of their flags, runs them in order, prints one table and appends every figure that
passed its checks to bench/results/latest.jsonl.

``round`` (bench/round.py: a national round through the real flows vs no-op Prefect runs on the same timeline;
figure ``round.wall_s``) offers the same two functions, and so does ``memory`` (bench/memory.py: the platform's own
processes' PSS and RSS at the end of the demo round; figures ``platform.memory_pss_mb``, ``platform.memory_rss_mb``).

    .venv/bin/python -m bench [--only bus,api,round,memory] [--mode embedded|rabbitmq+postgres|all] [--reps K] [flags]
    .venv/bin/python -m bench --help     (every size is a flag)
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time

from bench.common import add_common_arguments, append_jsonl, print_table, progress
from bench.modes import MODES

BENCHMARKS = ("bus", "api", "round", "memory", "observatory")


def available() -> list[str]:
    return [name for name in BENCHMARKS if importlib.util.find_spec(f"bench.{name}") is not None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    modules = {name: importlib.import_module(f"bench.{name}") for name in available()}
    for module in modules.values():
        module.add_arguments(parser)
    args = parser.parse_args(argv)
    chosen = [name for name in (args.only.split(",") if args.only else modules) if name in modules]
    missing = sorted(set(args.only.split(",")) - set(modules)) if args.only else []
    modes = list(MODES) if args.mode == "all" else [args.mode]
    started = time.monotonic()
    figures, problems = [], [f"no benchmark named {name} (yet)" for name in missing]
    for name in chosen:
        progress(f"==> {name} ({', '.join(modes)})")
        begun = time.monotonic()
        got, trouble = modules[name].run(modes, args)
        figures += got
        problems += trouble
        print_table(f"{name} ({time.monotonic() - begun:.0f} s)", got)
    print_table("all figures", figures)
    written = append_jsonl(figures)
    elapsed = time.monotonic() - started
    print(f"\n{written} figures appended to bench/results/latest.jsonl; total wall time {elapsed:.0f} s")
    failed = [f"{f.name} ({f.mode})" for f in figures if not f.ok]
    for problem in problems + [f"check failed: {name}" for name in failed]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main())
