"""Benchmark kombu's broker-less cross-process transports (sqla+sqlite, filesystem) to pick the default bus.

Producer and consumer always run in separate OS processes (multiprocessing, "spawn"). For each transport:
producer alone, consumer alone on that backlog, both at once (end-to-end rate and latency), and for the
filesystem transport also the consumer on a 4x backlog. Every run checks that the consumer saw exactly the
expected number of distinct message ids.

    .venv/bin/python -m bench.transports [--n 2000] [--fs-n N] [--out bench/results/latest.jsonl]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from kombu import Connection, Consumer, Exchange, Producer, Queue

from bench import common

EXCHANGE = Exchange("bench", type="topic", durable=True)
QUEUE = Queue("bench.tenders", EXCHANGE, routing_key="tender.#", durable=True)
ROUTING_KEY = "tender.published"
POLL_SECONDS = 0.05
BODY_BYTES = 300
IDLE_TIMEOUT = 15.0  # consumer gives up after this long without a message
MAX_ERRORS = 20  # consumer gives up after this many transport errors
START_TIMEOUT = 120.0


@dataclass
class Figure:
    transport: str
    figure: str
    value: float
    unit: str
    n: int
    ok: bool = True

    @property
    def name(self) -> str:
        return f"transport.{self.transport}.{self.figure}"


# ---------------------------------------------------------------- transports (used in the child processes)


def prepare_workdir(transport: str, workdir: Path) -> None:
    """Create the on-disk state a transport needs before any process connects."""
    if transport == "sqla_sqlite":
        with sqlite3.connect(workdir / "bus.sqlite", timeout=30) as db:
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise RuntimeError(f"could not switch {workdir}/bus.sqlite to WAL (got {mode!r})")
    else:
        (workdir / "queue").mkdir()
        (workdir / "control").mkdir()


def open_connection(transport: str, workdir: Path) -> Connection:
    if transport == "sqla_sqlite":
        # Transport options go straight to create_engine, so the polling interval is set on the transport.
        options = {"connect_args": {"timeout": 30}}
        conn = Connection(f"sqla+sqlite:///{workdir}/bus.sqlite", transport_options=options)
    else:
        folder = str(workdir / "queue")
        options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": str(workdir / "control"),
            "store_processed": False,  # read messages are moved to the system tmp dir, then deleted
        }
        conn = Connection("filesystem://", transport_options=options)
    conn.transport.polling_interval = POLL_SECONDS
    return conn


def declare(channel) -> None:
    """Exchange, queue and binding; on sqla bindings live in process memory, so every process must do this."""
    QUEUE.bind(channel).declare()


def make_body(i: int) -> dict:
    body = {"id": i, "sent": time.time(), "event": ROUTING_KEY, "tender": {"district": "Orhei", "lot": i % 7}}
    body["pad"] = "x" * max(0, BODY_BYTES - len(json.dumps(body)) - 10)
    return body


def produce(transport: str, workdir: Path, n: int) -> dict:
    with open_connection(transport, workdir) as conn:
        channel = conn.channel()
        declare(channel)
        producer = Producer(channel, exchange=EXCHANGE, serializer="json")
        first = time.time()
        for i in range(n):
            producer.publish(make_body(i), routing_key=ROUTING_KEY, delivery_mode=2)
        last = time.time()
    return {"first": first, "last": last}


def consume(transport: str, workdir: Path, n: int, ready) -> dict:
    state = {"ids": set(), "received": 0, "latencies": [], "last_ack": None, "errors": []}

    def on_message(body, message):
        state["latencies"].append((time.time() - body["sent"]) * 1000.0)
        message.ack()
        state["last_ack"] = time.time()
        state["ids"].add(body["id"])
        state["received"] += 1

    with open_connection(transport, workdir) as conn:
        channel = conn.channel()
        declare(channel)
        with Consumer(channel, queues=[QUEUE], accept=["json"], callbacks=[on_message]):
            ready.set()
            start = time.time()
            drain(conn, state, n)
    return {
        "start": start,
        "last_ack": state["last_ack"],
        "received": state["received"],
        "distinct": len(state["ids"]),
        "latencies": state["latencies"],
        "errors": state["errors"],
    }


def drain(conn: Connection, state: dict, n: int) -> None:
    last_progress, seen = time.time(), 0
    while state["received"] < n:
        try:
            conn.drain_events(timeout=1.0)
        except TimeoutError:
            pass
        except Exception as exc:  # a transport failure is a finding: record it, keep draining
            state["errors"].append(f"{type(exc).__name__}: {exc}")
            if len(state["errors"]) >= MAX_ERRORS:
                return
        if state["received"] != seen:
            last_progress, seen = time.time(), state["received"]
        elif time.time() - last_progress > IDLE_TIMEOUT:
            return  # the count check in the parent reports the shortfall


def child(role: str, out_q, fn, *args) -> None:
    try:
        out_q.put((role, fn(*args)))
    except BaseException:
        out_q.put((role, {"error": traceback.format_exc()}))
        raise


# ---------------------------------------------------------------- orchestration (parent process)


def run_processes(transport: str, workdir: Path, n: int, *, producer: bool, consumer: bool) -> dict:
    """Start the consumer (if any) and wait until it is consuming, then the producer; collect both results."""
    ctx = mp.get_context("spawn")
    out_q, ready = ctx.Queue(), ctx.Event()
    procs = []
    if consumer:
        args = ("consumer", out_q, consume, transport, workdir, n, ready)
        procs.append(ctx.Process(target=child, args=args))
        procs[-1].start()
        wait_ready(ready, procs[-1])
    if producer:
        procs.append(ctx.Process(target=child, args=("producer", out_q, produce, transport, workdir, n)))
        procs[-1].start()
    results = dict(out_q.get(timeout=START_TIMEOUT + IDLE_TIMEOUT + n) for _ in procs)
    for proc in procs:
        proc.join()
    for role, result in results.items():
        if "error" in result:
            raise RuntimeError(f"{transport} {role} process failed:\n{result['error']}")
    return results


def wait_ready(ready, proc) -> None:
    deadline = time.time() + START_TIMEOUT
    while not ready.wait(0.1):
        if not proc.is_alive() or time.time() > deadline:
            raise RuntimeError(f"consumer did not start (exit code {proc.exitcode})")


def check_count(label: str, result: dict, n: int) -> bool:
    ok = result["distinct"] == n and result["received"] == n and not result["errors"]
    if not ok:
        errors = "".join(f"\n    transport error in consumer: {error}" for error in result["errors"])
        print(
            f"\n!!!!! FAIL {label}: consumer got {result['received']} messages,"
            f" {result['distinct']} distinct ids, expected exactly {n} !!!!!{errors}\n",
            file=sys.stderr,
            flush=True,
        )
    return ok


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(pct / 100.0 * (len(ordered) - 1)))]


def rate(count: int, first: float, last: float | None) -> float:
    return count / (last - first) if last and last > first else 0.0


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Bench:
    """Runs the phases of one transport in fresh temporary directories and collects figures."""

    def __init__(self, root: Path, transport: str, n: int):
        self.root, self.transport, self.n = root, transport, n
        self.figures: list[Figure] = []
        self.failures: list[str] = []

    def workdir(self, label: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"{self.transport}-{label}-", dir=self.root))
        prepare_workdir(self.transport, path)
        return path

    def add(self, figure: str, value: float, unit: str, ok: bool, n: int | None = None) -> None:
        self.figures.append(Figure(self.transport, figure, value, unit, n or self.n, ok))

    def verify(self, label: str, result: dict, n: int) -> bool:
        ok = check_count(f"{self.transport} {label}", result, n)
        if not ok:
            self.failures.append(f"{self.transport}.{label}: {result['distinct']}/{n} distinct ids")
        return ok

    def backlog(self, label: str, n: int) -> tuple[float, float, bool]:
        """Producer alone writes n messages, then a consumer alone drains them: (produce, consume, ok)."""
        workdir = self.workdir(label)
        progress(f"{self.transport}: producer alone, {n} messages ...")
        sent = run_processes(self.transport, workdir, n, producer=True, consumer=False)["producer"]
        produce_rate = rate(n, sent["first"], sent["last"])
        progress(f"{self.transport}:   produced at {produce_rate:,.0f} msg/s")
        progress(f"{self.transport}: consumer alone on backlog {n} ...")
        got = run_processes(self.transport, workdir, n, producer=False, consumer=True)["consumer"]
        ok = self.verify(label, got, n)
        consume_rate = rate(got["received"], got["start"], got["last_ack"])
        progress(f"{self.transport}:   consumed at {consume_rate:,.0f} msg/s")
        return produce_rate, consume_rate, ok

    def alone(self) -> None:
        produce_rate, consume_rate, ok = self.backlog("backlog_n", self.n)
        self.add("produce", produce_rate, "msg/s", ok)
        self.add("consume", consume_rate, "msg/s", ok)

    def backlog_4n(self) -> None:
        _, consume_rate, ok = self.backlog("backlog_4n", 4 * self.n)
        self.add("consume_backlog_4n", consume_rate, "msg/s", ok, 4 * self.n)

    def concurrent(self) -> None:
        workdir = self.workdir("concurrent")
        progress(f"{self.transport}: producer and consumer concurrently, {self.n} messages ...")
        results = run_processes(self.transport, workdir, self.n, producer=True, consumer=True)
        got, sent = results["consumer"], results["producer"]
        ok = self.verify("concurrent", got, self.n)
        e2e = rate(got["received"], sent["first"], got["last_ack"])
        self.add("e2e", e2e, "msg/s", ok)
        self.add("latency_p50", percentile(got["latencies"], 50), "ms", ok)
        self.add("latency_p95", percentile(got["latencies"], 95), "ms", ok)
        progress(f"{self.transport}:   end-to-end {e2e:,.0f} msg/s")

    def run(self, with_4n: bool) -> None:
        phases = [self.alone, self.concurrent] + ([self.backlog_4n] if with_4n else [])
        for phase in phases:
            try:
                phase()
            except RuntimeError as exc:
                print(f"\n!!!!! FAIL {self.transport} {phase.__name__}: {exc}\n", file=sys.stderr, flush=True)
                self.failures.append(f"{self.transport}.{phase.__name__}: process failed")


# ---------------------------------------------------------------- output


def print_table(figures: list[Figure]) -> None:
    header = f"{'figure':<45} {'value':>12}  {'unit':<6} {'n':>6}  check"
    print("\n" + header + "\n" + "-" * len(header))
    for fig in figures:
        check = "ok" if fig.ok else "FAIL"
        print(f"{fig.name:<45} {fig.value:>12,.1f}  {fig.unit:<6} {fig.n:>6}  {check}")


def append_jsonl(path: Path, figures: list[Figure]) -> None:
    """The shape every benchmark writes (bench.common); these figures have no baseline."""
    common.append_jsonl([common.Figure(f.name, f.value, f.unit, "embedded", f.n, ok=f.ok) for f in figures], path)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.transports", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="messages per run for sqla+sqlite (default 2000)")
    parser.add_argument(
        "--fs-n",
        type=int,
        default=None,
        help="messages per run for filesystem (default: --n); its consumer slows down as the backlog grows",
    )
    default_out = Path("bench/results/latest.jsonl")
    parser.add_argument("--out", type=Path, default=default_out, help="JSON lines file to append to")
    parser.add_argument("--only", choices=["sqla_sqlite", "filesystem"], help="run just one transport")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    plan = [("sqla_sqlite", args.n, False), ("filesystem", args.fs_n or args.n, True)]
    figures, failures = [], []
    with tempfile.TemporaryDirectory(prefix="bench-transports-") as root:
        for transport, n, with_4n in plan:
            if args.only in (None, transport):
                bench = Bench(Path(root), transport, n)
                bench.run(with_4n)
                figures += bench.figures
                failures += bench.failures
    print_table(figures)
    append_jsonl(args.out, figures)
    print(f"\n{len(figures)} figures appended to {args.out}; total wall time {time.time() - started:.1f} s")
    if failures:
        print("FAIL: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("all count checks passed (every run: exactly N distinct message ids)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
