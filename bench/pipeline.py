"""The platform's event pipeline for one benchmark repetition, on fresh databases and a fresh bus.

Starts the real ``sscp relay contracting`` and ``sscp consume notifications`` processes, feeds notifications'
directory the CSO through a registry event, warms both processes up with one event, then runs measured
batches of contracting's invite use case (bench.bus_workers produce) and counts what the worker recorded.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kombu import Producer
from sqlalchemy import func, select

from bench.bus_workers import PUBLISH_OPTIONS
from bench.common import PYTHON, ROOT, SSCP, ManagedProcess, child_env, fail, progress
from bench.fixtures import provider_registered, seed_eligible_provider, seed_tenders
from bench.modes import Mode
from bench.profile import Sampler
from services.common.bus.connection import connect
from services.common.bus.topology import EXCHANGE
from services.common.db import make_engine

EVENT_TYPE = "tender.invitation_sent"
STALL_SECONDS = 60.0  # no new ledger row for this long: the run has failed
POLL_SECONDS = 0.1
PRODUCER_START_SECONDS = 3.0  # time for producer processes to import and connect before the first event


@dataclass
class Run:
    events_per_s: float
    producer_per_s: float
    lag_ms: list[float] = field(default_factory=list)
    ok: bool = True


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Pipeline:
    def __init__(
        self,
        mode: Mode,
        label: str,
        tenders: int,
        use_case: bool = False,
        profile_dir: Path | None = None,
        producers: int = 2,
    ) -> None:
        self.mode, self.label, self.tenders, self.use_case = mode, label, tenders, use_case
        self.profile_dir, self.producers = profile_dir, producers
        self.processes: dict[str, ManagedProcess] = {}
        self.contracting_db = self.notifications_db = None
        self.seen: set[str] = set()  # event ids of earlier runs (warm-up included)
        self.per_event = 0

    def __enter__(self) -> Pipeline:
        from services.contracting.adapters.orm import OutboxMessage
        from services.notifications.adapters.orm import Delivery, ProcessedEvent

        self.outbox, self.ledger, self.delivery = OutboxMessage, ProcessedEvent, Delivery
        contracting = self.mode.database("contracting", self.label)
        notifications = self.mode.database("notifications", self.label)
        self.bus_url = self.mode.bus_url(self.label)
        warm_up_tender = self.tenders + 1
        seed_tenders(contracting, warm_up_tender)
        seed_eligible_provider(contracting)
        self.contracting_db, self.notifications_db = make_engine(contracting), make_engine(notifications)
        self.env = child_env(
            self.mode.workdir,
            CONTRACTING_DATABASE_URL=contracting,
            NOTIFICATIONS_DATABASE_URL=notifications,
            BUS_URL=self.bus_url,
        )
        try:
            # kombu creates its SQL tables on first use; two processes doing it at once race (one dies with
            # "table kombu_queue already exists"), so the bus is created here before they start.
            connect(self.bus_url).release()
            self._start()
            self._warm_up(warm_up_tender)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        for process in self.processes.values():
            process.stop()
        for engine in (self.contracting_db, self.notifications_db):
            if engine is not None:
                engine.dispose()

    def _start(self, *names: str) -> None:
        commands = {"relay": [SSCP, "relay", "contracting"], "worker": [SSCP, "consume", "notifications"]}
        for name in names or commands:
            log = self.mode.workdir / "logs" / f"{self.label}-{name}.log"
            self.processes[name] = ManagedProcess(name, commands[name], self.env, log).start()

    def _warm_up(self, tender_id: int) -> None:
        """The registry's event for the CSO, then one invitation: both processes are up once it is recorded."""
        connection = connect(self.bus_url)
        envelope = provider_registered()
        producer = Producer(connection.default_channel, exchange=EXCHANGE)
        producer.publish(envelope.to_json(), routing_key=envelope.type, message_id=envelope.event_id, **PUBLISH_OPTIONS)
        connection.release()
        self._produce(tender_id, 1, None)
        self._wait_for(1)
        self.seen = self._processed_ids()
        counts = self._delivery_counts()
        self.per_event = counts[next(iter(self.seen))] if len(self.seen) == 1 and counts else 0
        if self.per_event < 1:
            raise RuntimeError(f"the warm-up event left {counts} deliveries; the worker records nothing to count")

    def run(self, first: int, n: int, rate: float | None) -> Run:
        """n events as fast as possible with the worker running; or, at an offered rate, the relay alone (the
        worker stopped, so the lag is the relay's), then the worker again to count what arrived."""
        if rate:
            self.processes.pop("worker").stop()
        samplers = self._samplers(f"{self.label}-{'rate' if rate else 'max'}")
        produced = self._produce(first, n, rate, samplers)
        if rate:
            self._wait_until_relayed()
        for sampler in samplers:
            progress(f"profile written: {sampler.stop()}")
        if rate:
            self._start("worker")
        self._wait_for(len(self.seen) + n)
        ids = self._processed_ids() - self.seen
        ok = self._verify(ids, n)
        last = self._last_processed(ids)
        lag_ms = self._lag_ms(ids)
        self.seen |= ids
        producer_rate = n / (produced["last"] - produced["first"])
        return Run(n / (last - produced["first"]), producer_rate, lag_ms, ok and produced["invited"] == n)

    def drain(self, first: int, n: int) -> Run:
        """The relay and the worker alone, from a backlog: n events committed while the relay is stopped, then the
        relay started (the worker running, idle); events/s from the first of them published to the last recorded,
        so neither the producers' pace nor the relay's start-up is in the figure."""
        self.processes.pop("relay").stop()
        produced = self._produce(first, n, None)
        self._start("relay")
        self._wait_for(len(self.seen) + n)
        ids = self._processed_ids() - self.seen
        ok = self._verify(ids, n)
        query = select(func.min(self.outbox.published_at)).where(self.outbox.event_id.in_(ids))
        with self.contracting_db.connect() as connection:
            first_published = _utc(connection.execute(query).scalar_one()).timestamp()
        last = self._last_processed(ids)
        self.seen |= ids
        producer_rate = n / (produced["last"] - produced["first"])
        return Run(n / (last - first_published), producer_rate, ok=ok and produced["invited"] == n)

    def _samplers(self, tag: str) -> list[Sampler]:
        if self.profile_dir is None:
            return []
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        folder, processes = self.profile_dir, self.processes.values()
        return [Sampler(p.popen.pid, folder / f"{self.mode.name}-{tag}-{p.name}.txt") for p in processes]

    def _produce(self, first: int, n: int, rate: float | None, samplers: list[Sampler] | None = None) -> dict:
        """``producers`` processes (like several API workers) share the events, started together; at an offered
        rate they share the rate too, interleaved in time."""
        count = min(self.producers, n)
        start_at = time.time() + PRODUCER_START_SECONDS
        popens = []
        for k in range(count):
            share = range(k, n, count)
            argv = [PYTHON, "-m", "bench.bus_workers", "produce", "--first", str(first + k), "--n", str(len(share))]
            argv += ["--start-at", str(start_at + (k / rate if rate else 0.0))]
            argv += ["--step", str(count), *(["--rate", str(rate / count)] if rate else [])]
            argv += ["--use-case"] if self.use_case else []
            pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
            popens.append(subprocess.Popen(argv, env=self.env, cwd=ROOT, **pipes))
        if samplers:
            tag = samplers[0].output.name.removesuffix("-relay.txt")
            samplers.append(Sampler(popens[0].pid, self.profile_dir / f"{tag}-producer.txt"))
        results = []
        for popen in popens:
            out, err = popen.communicate()
            if popen.returncode != 0:
                raise RuntimeError(f"a producer failed:\n{err[-3000:]}")
            results.append(json.loads(out.strip().splitlines()[-1]))
        first_at, last_at = min(r["first"] for r in results), max(r["last"] for r in results)
        return {"first": first_at, "last": last_at, "invited": sum(r["invited"] for r in results)}

    def _wait_until_relayed(self) -> None:
        query = select(func.count()).select_from(self.outbox).where(self.outbox.published_at.is_(None))
        deadline = time.monotonic() + STALL_SECONDS
        while time.monotonic() < deadline:
            with self.contracting_db.connect() as connection:
                if connection.execute(query).scalar_one() == 0:
                    return
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"the relay left events unpublished for {STALL_SECONDS:.0f} s")

    def _count(self) -> int:
        query = select(func.count()).select_from(self.ledger).where(self.ledger.event_type == EVENT_TYPE)
        with self.notifications_db.connect() as connection:
            return connection.execute(query).scalar_one()

    def _wait_for(self, total: int) -> None:
        last_change, seen = time.monotonic(), -1
        while (count := self._count()) < total:
            if count != seen:
                last_change, seen = time.monotonic(), count
            dead = [p.name for p in self.processes.values() if not p.alive()]
            if dead or time.monotonic() - last_change > STALL_SECONDS:
                tails = "\n".join(f"--- {p.name}:\n{p.log_tail()}" for p in self.processes.values())
                raise RuntimeError(f"pipeline stalled at {count}/{total} (exited: {dead or 'none'})\n{tails}")
            time.sleep(POLL_SECONDS)

    def _processed_ids(self) -> set[str]:
        query = select(self.ledger.event_id).where(self.ledger.event_type == EVENT_TYPE)
        with self.notifications_db.connect() as connection:
            return set(connection.execute(query).scalars())

    def _delivery_counts(self) -> dict[str, int]:
        query = select(self.delivery.event_id, func.count()).where(self.delivery.event_type == EVENT_TYPE)
        with self.notifications_db.connect() as connection:
            return dict(connection.execute(query.group_by(self.delivery.event_id)).all())

    def _verify(self, ids: set[str], n: int) -> bool:
        """Exactly n new events, each with exactly the warm-up's number of deliveries, all from the outbox."""
        counts = self._delivery_counts()
        with self.contracting_db.connect() as connection:
            rows = connection.execute(select(self.outbox.event_id).where(self.outbox.event_type == EVENT_TYPE))
            outbox = set(rows.scalars()) - self.seen
        wrong = {event_id: counts.get(event_id, 0) for event_id in outbox if counts.get(event_id) != self.per_event}
        ok = len(ids) == n and ids == outbox and not wrong
        if not ok:
            fail(
                f"pipeline {self.label}: {len(outbox)} committed, {len(ids)} processed of {n};"
                f" {len(wrong)} events without exactly {self.per_event} deliveries"
            )
        return ok

    def _last_processed(self, ids: set[str]) -> float:
        query = select(func.max(self.ledger.processed_at)).where(self.ledger.event_id.in_(ids))
        with self.notifications_db.connect() as connection:
            return _utc(connection.execute(query).scalar_one()).timestamp()

    def _lag_ms(self, ids: set[str]) -> list[float]:
        query = select(self.outbox.created_at, self.outbox.published_at).where(self.outbox.event_id.in_(ids))
        with self.contracting_db.connect() as connection:
            rows = connection.execute(query).all()
        return [(_utc(published) - _utc(created)).total_seconds() * 1000.0 for created, published in rows]
