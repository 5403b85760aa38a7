"""API benchmark: a hello-world Flask app (baseline) vs contracting's public tender listing and bid POSTs.

All three are served by gunicorn with deploy/gunicorn.conf.py as it is (workers, threads, access log), and
loaded by wrk over 50 connections from 2 threads on the same machine. The contracting database holds 10,000
published tenders open for bids (inserted with SQLAlchemy core into a migrated database). Bids are posted by
50 CSOs, each with its own token signed by the registry's key ring; contracting fetches the public key from a
registry process (JWKS), as in production. Runs interleave: hello, listing, bids; then again.

Figures: ``api.list_tenders_rps`` (GET /api/v1/tenders, first page; baseline hello-world req/s, ratio = value /
baseline), ``api.tender_page_rps`` (GET /api/v1/tenders/<id>, one of the 200 newest calls at random; same
baseline), ``api.bid_post_p50_ms`` / ``_p95_ms`` / ``_p99_ms`` (POST /api/v1/tenders/<id>/bids latency; baseline
the hello-world latency at the same concurrency, ratio = value / baseline), ``api.bid_post_rps``, and
``api.bid_post_cpu_ms``: the CPU time of the benchmark's processes (the APIs, their database and broker, wrk) per
bid answered (baseline: per hello-world request), its note splitting it by kind of process and adding what the
rest of the machine used meanwhile (bench/cpu.py). On two cores both kept busy, that split bounds the req/s.

    .venv/bin/python -m bench.api [--mode embedded|rabbitmq+postgres|all] [--seconds S] [--tenders N] [--reps K]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from bench import cpu, wrk
from bench.common import (
    GUNICORN,
    GUNICORN_CONF,
    Figure,
    ManagedProcess,
    child_env,
    fail,
    free_port,
    median,
    progress,
    wait_for_http,
)
from bench.common import ratio_of as ratio
from bench.fixtures import cso_tokens, seed_tenders
from bench.modes import Mode
from bench.profile import Sampler
from bench.runner import run_each_mode, standalone_main
from services.common.db import make_engine


@dataclass
class Options:
    tenders: int = 10_000
    seconds: float = 5.0
    warmup: float = 2.0
    reps: int = 2
    connections: int = 50
    threads: int = 2
    profile_dir: Path | None = None


@dataclass
class Runs:
    hello: list[wrk.WrkRun] = field(default_factory=list)
    listing: list[wrk.WrkRun] = field(default_factory=list)
    call_pages: list[wrk.WrkRun] = field(default_factory=list)
    bids: list[wrk.WrkRun] = field(default_factory=list)


class Servers:
    """The registry (its JWKS), contracting and the hello-world app, each a gunicorn of its own."""

    def __init__(self, mode: Mode, options: Options) -> None:
        self.mode, self.options = mode, options
        self.processes: list[ManagedProcess] = []
        self.ports = {name: free_port() for name in ("registry", "contracting", "hello")}

    def pid(self, name: str) -> int:
        return next(p.popen.pid for p in self.processes if p.name == name)

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def __enter__(self) -> Servers:
        keys = self.mode.workdir / "keys"
        self.tokens = cso_tokens(keys, self.options.connections)
        self.contracting_db = self.mode.database("contracting", "api")
        progress(f"{self.mode.name}: inserting {self.options.tenders:,} published tenders")
        seed_tenders(self.contracting_db, self.options.tenders)
        registry_db = self.mode.database("registry", "api")
        bus = self.mode.bus_url("api")
        jwks = self.url("registry", "/.well-known/jwks.json")
        apps = {
            "registry": ("services.registry.entrypoints.wsgi:app", {"REGISTRY_DATABASE_URL": registry_db}),
            "contracting": (
                "services.contracting.entrypoints.wsgi:app",
                {"CONTRACTING_DATABASE_URL": self.contracting_db},
            ),
            "hello": ("bench.hello:app", {}),
        }
        try:
            for name, (app, settings) in apps.items():
                self._start(name, app, settings | {"BUS_URL": bus, "JWT_KEYS_DIR": str(keys), "JWKS_URL": jwks})
            for name, path in (("registry", "/healthz"), ("contracting", "/healthz"), ("hello", "/hello")):
                wait_for_http(self.url(name, path), next(p for p in self.processes if p.name == name))
            self._check_listing()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self, name: str, app: str, settings: dict[str, str]) -> None:
        env = child_env(self.mode.workdir, **settings)
        if name == "registry":
            env["GUNICORN_WORKERS"] = "1"  # it only serves the public key, fetched once per contracting worker
        argv = [GUNICORN, "-c", GUNICORN_CONF, "--bind", f"127.0.0.1:{self.ports[name]}", app]
        log = self.mode.workdir / "logs" / f"api-{name}.log"
        self.processes.append(ManagedProcess(name, argv, env, log).start())

    def _check_listing(self) -> None:
        with urllib.request.urlopen(self.url("contracting", "/api/v1/tenders"), timeout=30) as response:
            total = json.loads(response.headers["X-Pagination"])["total"]
        if total != self.options.tenders:
            raise RuntimeError(f"the listing shows {total} tenders, not {self.options.tenders}")

    def __exit__(self, *exc_info) -> None:
        for process in self.processes:
            process.stop()

    def bids_in_database(self) -> int:
        from services.contracting.adapters.orm_evaluation import Bid

        engine = make_engine(self.contracting_db)
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(Bid)).scalar_one()
        engine.dispose()
        return count


class Load:
    """wrk runs against the servers, keeping each CSO on tenders it has not bid on yet."""

    def __init__(self, servers: Servers, options: Options) -> None:
        self.servers, self.options = servers, options
        self.get_script, self.pages_script, self.bid_template = wrk.write_scripts(
            servers.mode.workdir / "wrk", servers.tokens, options.tenders, options.threads
        )
        self.next_round = 0
        self.bids_answered = 0
        self.bid_runs = 0
        self.listings = 0

    def _run(self, url: str, script, seconds: float, profile: str | None = None) -> wrk.WrkRun:
        sampler = None
        if profile and self.options.profile_dir:
            self.options.profile_dir.mkdir(parents=True, exist_ok=True)
            output = self.options.profile_dir / f"{self.servers.mode.name}-api-{profile}.txt"
            sampler = Sampler(self.servers.pid("contracting"), output, subprocesses=True)
        try:
            before = cpu.snapshot()
            result = wrk.run(url, script, seconds, self.options.connections, self.options.threads)
            return dataclasses.replace(result, cpu_seconds=cpu.spent(before, cpu.snapshot()))
        finally:
            if sampler:
                progress(f"profile written: {sampler.stop()}")

    def hello(self, seconds: float) -> wrk.WrkRun:
        return self._run(self.servers.url("hello", "/hello"), self.get_script, seconds)

    def listing(self, seconds: float) -> wrk.WrkRun:
        self.listings += 1
        profile = "listing" if self.listings == 2 else None  # the first measured run (after the warm-up)
        return self._run(self.servers.url("contracting", "/api/v1/tenders"), self.get_script, seconds, profile)

    def call_pages(self, seconds: float) -> wrk.WrkRun:
        return self._run(self.servers.url("contracting", "/"), self.pages_script, seconds)

    def bids(self, seconds: float) -> wrk.WrkRun:
        script = wrk.bid_script(self.bid_template, self.next_round)
        profile = "bids" if self.bid_runs == 1 else None
        result = self._run(self.servers.url("contracting", "/"), script, seconds, profile)
        per_thread = self.options.connections // self.options.threads
        # A CSO's rounds in one run: its thread's share of the requests, plus the ones still in flight at the end.
        self.next_round += result.requests // per_thread + 3
        if self.next_round >= self.options.tenders:
            raise RuntimeError(f"CSOs ran out of tenders to bid on: raise --tenders above {self.options.tenders}")
        self.bids_answered += result.requests - result.errors
        self.bid_runs += 1
        return result


def run_mode(mode: Mode, options: Options) -> list[Figure]:
    runs = Runs()
    with Servers(mode, options) as servers:
        load = Load(servers, options)
        progress(f"{mode.name}: warm-up, {options.warmup:g} s each on hello, listing, call pages and bids")
        for warm in (load.hello, load.listing, load.call_pages, load.bids):
            warm(options.warmup)
        for rep in range(1, options.reps + 1):
            for label, run, into in (
                ("hello world", load.hello, runs.hello),
                ("GET /api/v1/tenders", load.listing, runs.listing),
                (f"GET /api/v1/tenders/<one of the {wrk.HOT_CALLS} newest>", load.call_pages, runs.call_pages),
                ("POST bids", load.bids, runs.bids),
            ):
                progress(f"{mode.name}: rep {rep}/{options.reps}: {label}, {options.seconds:g} s")
                into.append(run(options.seconds))
                got = into[-1]
                progress(f"{mode.name}:   {got.rps:,.0f} req/s, p95 {got.p95_ms:,.1f} ms, {got.errors} errors")
        ok = _checks(servers, load, runs)
    return _figures(mode.name, runs, ok)


def _checks(servers: Servers, load: Load, runs: Runs) -> bool:
    errors = sum(run.errors for group in (runs.hello, runs.listing, runs.call_pages, runs.bids) for run in group)
    stored = servers.bids_in_database()
    in_flight = load.options.connections * load.bid_runs
    counted = load.bids_answered
    ok = errors == 0 and counted <= stored <= counted + in_flight
    if not ok:
        fail(f"api {servers.mode.name}: {errors} error responses; {stored} bids stored for {counted} answered 201")
    return ok


def _figures(mode: str, runs: Runs, ok: bool) -> list[Figure]:
    hello_rps, list_rps = median([r.rps for r in runs.hello]), median([r.rps for r in runs.listing])
    n_list, n_bids = sum(r.requests for r in runs.listing), sum(r.requests for r in runs.bids)
    figures = [
        Figure("api.list_tenders_rps", list_rps, "req/s", mode, n_list, hello_rps, ratio(list_rps, hello_rps), ok)
    ]
    page_rps = median([r.rps for r in runs.call_pages])
    n_pages = sum(r.requests for r in runs.call_pages)
    figures.append(
        Figure("api.tender_page_rps", page_rps, "req/s", mode, n_pages, hello_rps, ratio(page_rps, hello_rps), ok)
    )
    for pct in ("p50", "p95", "p99"):
        value = median([getattr(r, f"{pct}_ms") for r in runs.bids])
        base = median([getattr(r, f"{pct}_ms") for r in runs.hello])
        figures.append(Figure(f"api.bid_post_{pct}_ms", value, "ms", mode, n_bids, base, ratio(value, base), ok))
    bid_rps = median([r.rps for r in runs.bids])
    figures.append(Figure("api.bid_post_rps", bid_rps, "req/s", mode, n_bids, hello_rps, ratio(bid_rps, hello_rps), ok))
    for figure in figures:
        figure.note = f"median of {len(runs.bids)} runs, 50 connections"
    figures += _cpu_figures(mode, runs, ok)
    return figures


def _cpu_figures(mode: str, runs: Runs, ok: bool) -> list[Figure]:
    """CPU per bid against CPU per hello-world request, from the run with the median CPU per bid."""
    measured = [run for run in runs.bids if run.cpu_seconds and run.requests]
    hello = [run for run in runs.hello if run.cpu_seconds and run.requests]
    if not measured or not hello:
        return []  # no /proc here

    def total_ms(run: wrk.WrkRun) -> float:  # the benchmark's own processes; the rest of the machine is in the note
        return sum(s for kind, s in run.cpu_seconds.items() if kind != cpu.OTHER) * 1000 / run.requests

    middle = sorted(measured, key=total_ms)[len(measured) // 2]
    base = median([total_ms(run) for run in hello])
    value = total_ms(middle)
    figure = Figure(
        "api.bid_post_cpu_ms", value, "ms", mode, sum(r.requests for r in measured), base, ratio(value, base), ok
    )
    figure.note = cpu.describe(cpu.per_request_ms(middle.cpu_seconds, middle.requests))
    return [figure]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tenders", type=int, default=10_000, help="published tenders in the database")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measured wrk run (default 5)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients, one CSO token each")


def options_for(args: argparse.Namespace) -> Options:
    return Options(
        tenders=args.tenders,
        seconds=args.seconds,
        reps=args.reps,
        connections=args.connections,
        profile_dir=args.profile,
    )


def run(modes: list[str], args: argparse.Namespace) -> tuple[list[Figure], list[str]]:
    if wrk.wrk_path() is None:
        message = "wrk is not installed (Debian: apt-get install -y wrk); the api benchmark cannot run"
        fail(message)
        return [], [message]
    return run_each_mode("api", modes, lambda mode: (run_mode(mode, options_for(args)), []))


def main(argv: list[str] | None = None) -> int:
    return standalone_main("api", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
