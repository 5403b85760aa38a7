"""One phase of the round benchmark in a process of its own, so its settings (ports, VAR_DIR, Prefect's API URL,
which Prefect reads once at import) never leak into the caller or the next phase.

    python -m bench.round_driver round CONFIG.json RESULT.json      the platform as the demo starts it; the round
    python -m bench.round_driver baseline CONFIG.json RESULT.json   a Prefect server and no-op runs on its timeline

Both stop every process they started on the way out, also when told to stop (SIGTERM) or when a wait runs out.
"""

from __future__ import annotations

import json
import secrets
import signal
import sys
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from bench.common import ROOT, median, progress
from bench.round_actors import (
    Call,
    Http,
    bid,
    expected_contracts,
    now,
    outcome,
    publish,
    score,
    seed_register,
    sign,
)
from bench.round_prefect import tenders_in_stage

MAX_ERRORS = 3  # failed attempts at one person's step before the call is given up as stuck
REPORT_EVERY = 10.0


class _Reporter:
    """demo.platform.prepare_platform reports through ``done``: into this benchmark's progress lines."""

    def done(self, message: str) -> None:
        progress(f"platform: {message}")


class RoundPlay:
    """Publish every call, then act for its people whenever the flows have moved it to their turn."""

    def __init__(self, http: Http, pool: ThreadPoolExecutor, calls: list[Call], config: dict, supervisor) -> None:
        self.http, self.pool, self.calls, self.config, self.supervisor = http, pool, calls, config, supervisor
        self.jobs: dict[int, tuple[str, Future]] = {}  # call index -> (step, job in flight)
        self.finished: set[int] = set()
        self.given_up: set[int] = set()

    def run(self) -> list[str]:
        started = time.monotonic()
        jobs = [
            self.pool.submit(publish, self.http, c, self.config["enquiry_seconds"], self.config["tendering_seconds"])
            for c in self.calls
        ]
        for job in jobs:
            job.result()
        progress(f"round: {len(self.calls)} calls published in {time.monotonic() - started:.1f} s")
        deadline, reported = time.monotonic() + self.config["round_timeout"], 0.0
        while len(self.finished | self.given_up) < len(self.calls):
            self._reap()
            self._act()
            if time.monotonic() - reported > REPORT_EVERY:
                reported = time.monotonic()
                progress(f"round: {self._summary()}")
            if not self.supervisor.alive():
                raise RuntimeError(f"a platform process exited during the round:\n{self.supervisor.log_tail()}")
            if time.monotonic() > deadline:
                return self._stuck(f"not signed within --round-timeout {self.config['round_timeout']:.0f} s")
            time.sleep(self.config["poll_seconds"])
        return self._stuck("given up") if self.given_up else []

    def _act(self) -> None:
        # Recorded, not the status by the clock: the opening run records it, and under a backlog of stage runs
        # the clock reaches the deadline long before that run starts.
        in_evaluation = self._ids_in("active.evaluation", recorded=True)
        being_opened = tenders_in_stage("evaluation-stage") if in_evaluation else set()
        # A call leaves contract_pending with its last signature, which this loop makes: no need to list "complete".
        contracting = self._ids_in("active.contract_pending")
        if failed := self._ids_in("unsuccessful") | self._ids_in("cancelled"):
            for index, call in enumerate(self.calls):
                if call.tender["id"] in failed and index not in self.given_up:
                    call.errors.append("ended unsuccessful or cancelled")
                    self.given_up.add(index)
        moment = now()
        for index, call in enumerate(self.calls):
            if index in self.jobs or index in self.finished or index in self.given_up:
                continue
            tender_id = call.tender["id"]
            if call.bids < len(call.bidders) and moment >= datetime.fromisoformat(call.tender["enquiry_end"]):
                self._start(index, "bid", bid)
            elif tender_id in in_evaluation and "scored" not in call.marks:
                call.marks.setdefault("opened", moment)
                # Evaluators score once the run that opened the bids is over, as people slower than a second
                # would: scoring while it still runs lets it decide, and its twin run (started by
                # evaluation.scores_complete) can then end the standstill before the award-stage run looks,
                # which leaves the call without contracts (README, round).
                if tender_id not in being_opened:
                    self._start(index, "score", score)
            elif tender_id in contracting:
                self._start(index, "sign", sign)

    def _start(self, index: int, step: str, action) -> None:
        self.jobs[index] = (step, self.pool.submit(action, self.http, self.calls[index]))

    def _reap(self) -> None:
        for index, (step, job) in list(self.jobs.items()):
            if not job.done():
                continue
            del self.jobs[index]
            call = self.calls[index]
            try:
                result = job.result()
            except Exception as exc:  # an unexpected answer (ActorFailed) or a transport error: try again
                call.errors.append(f"{step}: {type(exc).__name__}: {exc}")
                if len(call.errors) >= MAX_ERRORS:
                    self.given_up.add(index)
                continue
            if step == "sign" and result and call.signed == expected_contracts(call):
                self.finished.add(index)

    def _ids_in(self, status: str, recorded: bool = False) -> set[int]:
        ids, page = set(), 1
        while True:
            params = {"applied_status" if recorded else "status": status, "page": page, "page_size": 100}
            response = self.http.call("GET", "contracting", "/tenders", params=params)
            ids |= {tender["id"] for tender in response.json()}
            if page >= json.loads(response.headers.get("X-Pagination", "{}")).get("total_pages", 1):
                return ids
            page += 1

    def _summary(self) -> str:
        steps: dict[str, int] = {}
        for step, _job in self.jobs.values():
            steps[step] = steps.get(step, 0) + 1
        waiting = len(self.calls) - len(self.finished) - len(self.given_up) - len(self.jobs)
        acting = ", ".join(f"{n} {step}" for step, n in sorted(steps.items())) or "nobody"
        bids = sum(c.bids for c in self.calls)
        return (
            f"{len(self.finished)} calls signed, {len(self.given_up)} stuck; acting: {acting}; "
            f"{waiting} waiting on the flows or the clock; {bids} bids in"
        )

    def _stuck(self, why: str) -> list[str]:
        problems, reachable = [], True
        for index, call in enumerate(self.calls):
            if index in self.finished:
                continue
            status = "(not asked: contracting did not answer)"
            if reachable:
                try:
                    status = self.http.json("GET", "contracting", f"/tenders/{call.tender['id']}")["status"]
                except Exception as exc:  # one unanswered look is enough: do not wait on every call
                    reachable, status = False, f"(unknown: {exc})"[:200]
            detail = f"; {call.errors[-1][:300]}" if call.errors else ""
            if status == "active.contract_pending" and not call.marks.get("contracts_seen"):
                detail += "; no contracts made (an award-stage run that found the standstill over? README, round)"
            problems.append(
                f"round stuck: {call.label} is {status} ({why}; {call.bids} bids, {call.signed} signed{detail})"
            )
        return problems


def play_round(config: dict) -> dict:
    from demo.platform import prepare_platform
    from deploy.supervisor import PROCFILE, PRODUCTION_PROCFILE, Supervisor, wait_until_ready

    production = config["production"]
    environment = prepare_platform(production, _Reporter())
    supervisor = Supervisor(PRODUCTION_PROCFILE if production else PROCFILE)
    supervisor.start()
    try:
        wait_until_ready(supervisor, lambda name: progress(f"platform: {name} is ready"), timeout=240)
        if production:
            from deploy.prefect_deployments import register_on_pool

            register_on_pool(environment["PREFECT_WORK_POOL"])
            progress("platform: deployments registered on the work pool")
        with ThreadPoolExecutor(config["actors"]) as pool:
            http = Http(secrets.token_urlsafe(12))
            operator = ("operator@sscp.md", environment["OPERATOR_PASSWORD"])
            calls = seed_register(http, operator, config["districts"], config["services"], config["bids"], pool)
            problems = RoundPlay(http, pool, calls, config, supervisor).run()
            outcomes = list(pool.map(lambda call: outcome(http, call), calls))
        from bench.round_prefect import collect_runs, settle_runs

        settle_runs()
        start = min(datetime.fromisoformat(o["tender"]["published_at"]) for o in outcomes)
        runs = collect_runs(start)
    finally:
        supervisor.stop()
    return {"problems": problems, **timeline(calls, outcomes, start, config), "runs": runs}


def timeline(calls: list[Call], outcomes: list[dict], start: datetime, config: dict) -> dict:
    """Wall time from the first publication to the last signature, and where each call's time went."""

    def seconds(later, earlier) -> float | None:
        return None if later is None or earlier is None else (later - earlier).total_seconds()

    def at(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    phases: dict[str, list[float]] = {}
    activations, deadlines = [], []
    for call, found in zip(calls, outcomes, strict=True):
        tender = found["tender"]
        activated = [at(c["activated_at"]) for c in found["contracts"] if c["activated_at"]]
        activations += activated
        deadline, decided, standstill_end = (
            at(tender["submission_deadline"]),
            at(tender["decided_at"]),
            at(tender["standstill_end"]),
        )
        deadlines.append(deadline)
        steps = {
            "publication (after the first)": seconds(at(tender["published_at"]), start),
            "deadline -> bids opened (flow)": seconds(call.marks.get("opened"), deadline),
            "opened -> scored (after the opening run)": seconds(call.marks.get("scored"), call.marks.get("opened")),
            "scored -> awarded (flow)": seconds(decided, call.marks.get("scored")),
            "standstill end -> contracts (flow)": seconds(call.marks.get("contracts_seen"), standstill_end),
            "contracts -> signed (both sides)": seconds(max(activated, default=None), call.marks.get("contracts_seen")),
        }
        for name, value in steps.items():
            if value is not None:
                phases.setdefault(name, []).append(value)
    last_deadline = max(seconds(d, start) for d in deadlines)
    return {
        "calls": len(calls),
        "bids": sum(c.bids for c in calls),
        "contracts": sum(len(o["contracts"]) for o in outcomes),
        "signed": len(activations),
        "wall_s": seconds(max(activations), start) if activations else None,
        "last_deadline_s": last_deadline,
        # Deadline runs start DEADLINE_MARGIN (1 s) after the deadline; the standstill follows the award decision.
        "floor_s": last_deadline + 1 + config["standstill_seconds"] + 1,
        "phases": {name: [median(values), max(values)] for name, values in phases.items()},
    }


def run_baseline(config: dict) -> dict:
    from deploy.supervisor import (
        PROCFILE,
        PRODUCTION_PROCFILE,
        Supervisor,
        embedded_environment,
        production_environment,
    )
    from services.common.settings import var_dir

    production = config["production"]
    environment = production_environment() if production else embedded_environment()
    # The round's own Prefect server and (production) worker lines; embedded, a runner serving the no-op flow.
    platform = PRODUCTION_PROCFILE if production else PROCFILE
    runner = _procfile_line(platform, "prefect-worker") if production else "runner: python -m bench.round_noop serve"
    procfile = var_dir() / "Procfile.baseline"
    procfile.write_text(f"{_procfile_line(platform, 'prefect')}\n{runner}\n")
    supervisor = Supervisor(procfile)
    supervisor.start()
    try:
        from bench.round_noop import register_noop_on_pool
        from bench.round_prefect import mirror, wait_for_runner
        from deploy.prefect_deployments import wait_for_prefect_server

        wait_for_prefect_server(timeout=240)
        if production:
            register_noop_on_pool(environment["PREFECT_WORK_POOL"])
        wait_for_runner(environment["PREFECT_WORK_POOL"] if production else None)
        progress("baseline: Prefect server and the no-op deployment's runner are ready")
        runs = config["runs"]
        last = max((r["expected"] for r in runs), default=0)
        start, done = mirror(runs, timeout=last + config["baseline_slack_seconds"])
    finally:
        supervisor.stop()
    ends = [r["end"] for r in done if r["end"] is not None]
    problems = [f"baseline: no-op run {r['name']} ended {r['state']}" for r in done if r["state"] != "COMPLETED"]
    return {"problems": problems, "wall_s": max(ends) if ends else None, "runs": done, "started": start.isoformat()}


def _procfile_line(procfile: Path, process: str) -> str:
    return next(line for line in procfile.read_text().splitlines() if line.startswith(f"{process}:"))


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    phase, config_path, result_path = argv
    signal.signal(signal.SIGTERM, _interrupt)  # a timeout in the caller: stop the platform on the way out
    config = json.loads(Path(config_path).read_text())
    try:
        result = play_round(config) if phase == "round" else run_baseline(config)
    except KeyboardInterrupt:
        result = {"problems": [f"{phase}: stopped from outside (time bound of the whole phase)"]}
    except Exception as exc:
        traceback.print_exc()
        result = {"problems": [f"{phase} failed: {type(exc).__name__}: {str(exc)[:2000]}"]}
    Path(result_path).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
