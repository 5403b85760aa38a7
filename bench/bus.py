"""Bus benchmark: raw kombu publish → consume (baseline) vs the platform's whole event pipeline.

Pipeline: contracting's invite use case commits an Invitation row and its outbox row in one transaction →
the real outbox relay process (``sscp relay contracting``) publishes with confirms → the bus → the real
notifications worker process (``sscp consume notifications``) records the deliveries and its ledger row in one
transaction. Counted in the notifications database: every event must have exactly as many delivery records as
the warm-up event got (e-mail + inbox), none missing, none twice.

Baseline: the same number of envelopes of the same size, published by one process with the relay's options
(persistent, publisher confirms on amqp) and consumed by another with manual ack and the worker's prefetch.

Repetitions interleave: baseline throughput, baseline at the offered rate, pipeline throughput, relay and worker
from a backlog, pipeline at the offered rate; then again. Figures, one per stage so the table says which limits:
``bus.pipeline_events_per_s`` (``--producers`` processes committing side by side, the relay and the worker all
running: first commit to last delivery recorded; ratio = value / baseline events/s),
``bus.producer_events_per_s`` (the producers alone: what the database commits), ``bus.drain_events_per_s`` (the
relay and the worker alone: the same number of events committed while the relay was stopped, first published to
last recorded; ratio = value / baseline events/s), ``bus.relay_lag_p50_ms`` / ``bus.relay_lag_p95_ms`` (outbox
published_at - created_at at the offered rate; baseline = the raw publish call's own duration at that rate,
ratio = value / baseline).

    .venv/bin/python -m bench.bus [--mode embedded|rabbitmq+postgres|all] [--n N] [--lag-rate R] [--reps K]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    PYTHON,
    ROOT,
    Figure,
    child_env,
    fail,
    median,
    percentile,
    progress,
)
from bench.common import ratio_of as ratio
from bench.modes import EMBEDDED, Mode
from bench.pipeline import Pipeline
from bench.runner import run_each_mode, standalone_main

# Defaults per mode: the broker-less bus moves a few hundred messages a second (README, transports), RabbitMQ
# a few thousand. Embedded lag is offered 250/s: SQLite takes one writer at a time, and two producer processes
# commit only ~430 events/s there, so 500/s cannot be offered in that mode.
DEFAULTS = {
    EMBEDDED: {"n": 1000, "lag_rate": 250.0, "lag_seconds": 5.0},
    "rabbitmq+postgres": {"n": 2000, "lag_rate": 500.0, "lag_seconds": 5.0},
}


@dataclass
class Options:
    n: int
    lag_rate: float
    lag_seconds: float
    reps: int
    use_case: bool = False
    profile_dir: Path | None = None
    producers: int = 2

    @property
    def lag_n(self) -> int:
        return int(self.lag_rate * self.lag_seconds)


class Child:
    """A worker process of bench.bus_workers whose stdout lines are JSON objects."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        argv = [PYTHON, "-m", "bench.bus_workers", *args]
        self.popen = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)

    def line(self) -> dict:
        text = self.popen.stdout.readline()
        if not text:
            self.popen.wait()
            raise RuntimeError(f"bench.bus_workers exited ({self.popen.returncode}) without a result")
        return json.loads(text)

    def result(self) -> dict:
        result = self.line()
        self.popen.wait()
        return result


def raw_run(mode: Mode, label: str, n: int, rate: float | None) -> dict:
    """One baseline run in two processes: as fast as possible, consumer and publisher at once; at an offered
    rate, the publisher alone (as the pipeline's relay is measured), then the consumer counts what arrived."""
    url = mode.bus_url(label)
    env = child_env(mode.workdir)
    publish = ["raw-publish", "--url", url, "--n", str(n), *(["--rate", str(rate)] if rate else [])]
    consume = ["raw-consume", "--url", url, "--n", str(n)]
    if rate:
        sent = Child(publish, env).result()
        consumer = Child(consume, env)
        consumer.line()  # ready
    else:
        consumer = Child(consume, env)
        consumer.line()
        sent = Child(publish, env).result()
    got = consumer.result()
    ok = got["distinct"] == n and got["received"] == n and not got["errors"]
    if not ok:
        fail(f"baseline {label}: consumer got {got['received']} ({got['distinct']} distinct) of {n}; {got['errors']}")
    elapsed = (got["last_ack"] or sent["last"]) - sent["first"]
    return {"rate": n / elapsed, "publish_ms": sent["publish_ms"], "ok": ok}


class Results:
    def __init__(self) -> None:
        self.base_rates, self.pipe_rates, self.producer_rates, self.drain_rates = [], [], [], []
        self.base_publish_ms, self.lag_ms, self.offered = [], [], []
        self.ok = True


def run_mode(mode: Mode, options: Options) -> list[Figure]:
    results = Results()
    for rep in range(1, options.reps + 1):
        progress(f"{mode.name}: rep {rep}/{options.reps}: baseline, raw kombu, {options.n} events as fast as possible")
        base = raw_run(mode, f"raw{rep}", options.n, None)
        results.base_rates.append(base["rate"])
        progress(f"{mode.name}:   baseline {base['rate']:,.0f} events/s")
        progress(f"{mode.name}: rep {rep}: baseline, {options.lag_n} events at {options.lag_rate:,.0f}/s")
        lag_base = raw_run(mode, f"rawlag{rep}", options.lag_n, options.lag_rate)
        results.base_publish_ms += lag_base["publish_ms"]
        results.ok &= base["ok"] and lag_base["ok"]
        _pipeline_rep(mode, options, rep, results)
    return _figures(mode.name, options, results)


def _pipeline_rep(mode: Mode, options: Options, rep: int, results: Results) -> None:
    progress(f"{mode.name}: rep {rep}: starting the pipeline (relay and notifications worker processes)")
    tenders = 2 * options.n + options.lag_n  # one invitation per tender: throughput, drain, lag
    settings = {"use_case": options.use_case, "profile_dir": options.profile_dir, "producers": options.producers}
    with Pipeline(mode, f"p{rep}", tenders, **settings) as pipeline:
        progress(f"{mode.name}: rep {rep}: pipeline, {options.n} events as fast as possible")
        run = pipeline.run(first=1, n=options.n, rate=None)
        results.pipe_rates.append(run.events_per_s)
        results.producer_rates.append(run.producer_per_s)
        progress(f"{mode.name}:   pipeline {run.events_per_s:,.0f} events/s (producers {run.producer_per_s:,.0f}/s)")
        progress(f"{mode.name}: rep {rep}: relay and worker alone, {options.n} events from a backlog")
        drain = pipeline.drain(first=options.n + 1, n=options.n)
        results.drain_rates.append(drain.events_per_s)
        progress(f"{mode.name}:   relay and worker {drain.events_per_s:,.0f} events/s")
        progress(f"{mode.name}: rep {rep}: pipeline, {options.lag_n} events at {options.lag_rate:,.0f}/s")
        lag = pipeline.run(first=2 * options.n + 1, n=options.lag_n, rate=options.lag_rate)
        results.lag_ms += lag.lag_ms
        results.offered.append(lag.producer_per_s)
        progress(f"{mode.name}:   relay lag p95 {percentile(lag.lag_ms, 95):,.1f} ms at {lag.producer_per_s:,.0f}/s")
        results.ok &= run.ok and drain.ok and lag.ok


def _figures(mode: str, options: Options, r: Results) -> list[Figure]:
    rate, base, drain = median(r.pipe_rates), median(r.base_rates), median(r.drain_rates)
    offered = f"offered {options.lag_rate:,.0f}/s, achieved {median(r.offered):,.0f}/s"
    figures = [
        Figure("bus.pipeline_events_per_s", rate, "events/s", mode, options.n, base, ratio(rate, base), r.ok),
        Figure("bus.producer_events_per_s", median(r.producer_rates), "events/s", mode, options.n, ok=r.ok),
        Figure("bus.drain_events_per_s", drain, "events/s", mode, options.n, base, ratio(drain, base), r.ok),
    ]
    for pct in (50, 95):
        value, floor = percentile(r.lag_ms, pct), percentile(r.base_publish_ms, pct)
        name = f"bus.relay_lag_p{pct}_ms"
        figures.append(Figure(name, value, "ms", mode, len(r.lag_ms), floor, ratio(value, floor), r.ok, offered))
    for figure in figures:
        figure.note = (figure.note + "; " if figure.note else "") + f"median of {options.reps} reps"
    return figures


def options_for(mode: str, args: argparse.Namespace) -> Options:
    defaults = DEFAULTS[mode]
    return Options(
        n=args.n or defaults["n"],
        lag_rate=args.lag_rate or defaults["lag_rate"],
        lag_seconds=args.lag_seconds or defaults["lag_seconds"],
        reps=args.reps,
        use_case=args.use_case,
        profile_dir=args.profile,
        producers=args.producers,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, help="events per throughput run (default 1000 embedded, 2000 rabbitmq)")
    parser.add_argument("--lag-rate", type=float, help="offered events/s for relay lag (default 250 embedded, 500)")
    parser.add_argument("--lag-seconds", type=float, help="seconds of offered load per lag run (default 5)")
    parser.add_argument(
        "--use-case",
        action="store_true",
        help="produce through contracting's whole invite use case (eligibility, audit chain), not just the UnitOfWork",
    )
    parser.add_argument(
        "--producers", type=int, default=2, help="processes committing the events side by side (default 2)"
    )


def run(modes: list[str], args: argparse.Namespace) -> tuple[list[Figure], list[str]]:
    return run_each_mode("bus", modes, lambda mode: (run_mode(mode, options_for(mode.name, args)), []))


def main(argv: list[str] | None = None) -> int:
    return standalone_main("bus", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    sys.exit(main())
