"""renewal-sweep: the daily look at every contract that is ending, so that no service stops unnoticed.

Contracting owns every rule (the notice window, the renewal policy, the re-tender's lead time, the continuity
thresholds); this flow only asks at the right time, in the right order, and shows operators the result:

1. apply due contract transitions (expire what ended, announce what entered the notice window);
2. for each contract in the notice window, act on the policy's recommendation: propose the renewal to the
   authority, or publish the successor call; a contract whose proposal awaits the authority is left to it;
3. run the continuity watch (alerts at 90/60/30 days for an end nothing covers, restored once covered);
4. publish a summary artifact listing every district x service at risk.

Every step is repeatable: a second sweep on the same day proposes, re-tenders and alerts nothing twice.

It is also the safety net of the tender stages: a call whose deadline passed long ago (SWEEP_OVERDUE_MINUTES,
30) without its stage run having moved it (a run that failed for good, a runner that was down) gets that stage
run again, now, through the same one-pending-run-per-stage scheduling the deadlines use. (A run whose runner
died is run again long before that, by the stage watch: flows/stage_watch.py.)
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.client import ServiceClient, ServiceError
from flows.scheduling import TenderRef, schedule_stage
from flows.tasks import RETRIES, tender_payload

PROPOSE = "propose renewal"
RETENDER = "re-tender"
AWAIT_AUTHORITY = "await the authority"
RISK_ORDER = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
AT_RISK = ("medium", "high", "critical")  # inside a 90/60/30-day threshold with nothing to take over
# status -> the stage run that moves a call on from it when its deadline has passed
CATCH_UP = {
    "active.enquiries": ("evaluation-stage", {}),
    "active.tendering": ("evaluation-stage", {}),
    "active.standstill": ("award-stage", {"phase": "standstill_end"}),
}
PAGE_SIZE = 100


def recorded(tender: dict) -> str:
    """The status the stage runs have applied: ``status`` is what applies now, ahead of it while a run is due."""
    return tender.get("applied_status", tender["status"])


def overdue(tenders: list[dict], now: datetime, grace: timedelta) -> list[dict]:
    """Calls whose next timed transition was due more than ``grace`` ago: their stage run did not happen."""
    return [
        t
        for t in tenders
        if recorded(t) in CATCH_UP
        and t.get("next_check")
        and datetime.fromisoformat(t["next_check"]["due_at"]) < now - grace
    ]


def decision_for(entry: dict) -> str:
    """What the sweep does for one contract in the notice window (GET /renewals/due entry)."""
    if entry.get("proposal"):
        return AWAIT_AUTHORITY
    return PROPOSE if entry["recommendation"]["action"] == "renew" else RETENDER


def at_risk_rows(entries: list[dict]) -> list[dict]:
    """Continuity-watch entries grouped by district and service, worst first: what a district must act on."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for entry in entries:
        if not entry["covered"] and entry["risk"] in AT_RISK:
            groups[(entry["district_code"], entry["service_type"])].append(entry)
    rows = []
    for (district, service), found in groups.items():
        worst = max(found, key=lambda e: RISK_ORDER[e["risk"]])
        successors = [e["successor"] for e in found if e.get("successor")]
        rows.append(
            {
                "district": district,
                "service": service,
                "risk": worst["risk"],
                "contracts": ", ".join(str(e["contract_id"]) for e in found),
                "places": sum(e["places"] for e in found),
                "days_left": min(e["days_left"] for e in found),
                "ends": min(e["end_at"] for e in found),
                "successor": ", ".join(f"{s['kind']} {s['id']}" for s in successors) or "none",
            }
        )
    return sorted(rows, key=lambda r: (-RISK_ORDER[r["risk"]], r["days_left"], r["district"], r["service"]))


def summary_markdown(
    swept_at: str, transitions: dict, decisions: list[dict], rows: list[dict], caught_up: tuple[str, ...] = ()
) -> str:
    lines = [
        f"# Renewal sweep {swept_at}",
        "",
        f"- calls past a deadline their stage run missed: {len(caught_up)}",
        *[f"  - {line}" for line in caught_up],
        f"- contracts expired: {len(transitions['expired'])}; entered the notice window: "
        f"{len(transitions['expiring'])}",
        f"- decisions: {len(decisions)} contract(s) in the notice window",
    ]
    lines += [f"  - contract {d['contract_id']} ({d['district']} {d['service']}): {d['outcome']}" for d in decisions]
    lines += ["", f"## District x service at risk: {len(rows)}", ""]
    if not rows:
        return "\n".join([*lines, "Every contract ending inside 90 days has a successor in place."])
    header = list(rows[0])
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(row[column]) for column in header) + " |" for row in rows]
    return "\n".join(lines)


@task(**RETRIES)
def apply_contract_transitions() -> dict:
    """Expire contracts past their end and announce those entering the notice window (once each)."""
    return ServiceClient().apply_contract_transitions()


@task(**RETRIES)
def contracts_due() -> list:
    """Contracts in the notice window, each with the policy's recommendation and any open proposal."""
    return ServiceClient().renewals_due()


@task(**RETRIES)
def decide(entry: dict) -> str:
    """Propose the renewal or publish the successor call; a refusal that the next sweep resolves is reported."""
    contract_id, action = entry["contract"]["id"], decision_for(entry)
    client = ServiceClient()
    try:
        if action == PROPOSE:
            proposal = client.propose_renewal(contract_id)
            return f"renewal of {proposal['months']} month(s) proposed to the authority"
        if action == RETENDER:
            plan = client.retender(contract_id)
            if not plan["created"]:
                return f"successor call {plan['tender']['ocid']} already running ({plan['tender']['status']})"
            timing = "on time" if plan["on_time"] else "late: its contract can only be ready after the end"
            return f"successor call {plan['tender']['ocid']} published ({timing})"
    except ServiceError as refused:
        if refused.status_code != 409:
            raise
        # Something changed since the list was read (a report accepted, a proposal made): the next sweep decides.
        return f"left for the next sweep: {refused.body.get('message', refused)}"
    return "renewal proposal awaits the authority's decision"


@task(**RETRIES)
def calls_waiting_on_the_clock() -> list:
    """Every call in a status the clock moves on (enquiries, tendering, standstill), page by page."""
    client, found = ServiceClient(), []
    for status in CATCH_UP:
        for page in range(1, 10_000):
            params = {"applied_status": status, "page": page, "page_size": PAGE_SIZE}
            batch = client.request("GET", "contracting", "/tenders", params=params)
            found += batch
            if len(batch) < PAGE_SIZE:
                break
    return found


@task(**RETRIES)
def catch_up(tender: dict, now: datetime) -> str:
    """Run the stage that should have moved this call on, now (one pending run per stage, as for deadlines)."""
    stage, parameters = CATCH_UP[recorded(tender)]
    schedule_stage(TenderRef.from_payload(tender_payload(tender)), stage, now, parameters)
    return f"{tender['ocid']}: {recorded(tender)} since {tender['next_check']['due_at']}; {stage} run again"


@task(**RETRIES)
def watch_continuity() -> dict:
    """Raise 90/60/30-day alerts for ends nothing covers; restore those now covered (repeatable)."""
    return ServiceClient().check_continuity()


def sweep_run_name() -> str:
    return f"renewal-sweep/{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}"


@flow(name="renewal-sweep", flow_run_name=sweep_run_name, log_prints=True)
def renewal_sweep() -> dict:
    """Decide renewals and re-tenders for contracts in the notice window, then watch continuity (daily)."""
    logger = get_run_logger()
    now = datetime.now(UTC)
    swept_at = now.isoformat(timespec="seconds")
    grace = timedelta(minutes=float(os.environ.get("SWEEP_OVERDUE_MINUTES", "30")))
    caught_up = [catch_up(tender, now) for tender in overdue(calls_waiting_on_the_clock(), now, grace)]
    for line in caught_up:
        logger.warning("safety net: %s", line)
    transitions = apply_contract_transitions()
    decisions = []
    for entry in contracts_due():
        contract = entry["contract"]
        outcome = decide(entry)
        decisions.append(
            {
                "contract_id": contract["id"],
                "district": contract["district_code"],
                "service": contract["service_type"],
                "outcome": outcome,
            }
        )
        logger.info("contract %s: %s", contract["id"], outcome)
    watch = watch_continuity()
    rows = at_risk_rows(watch["entries"])
    create_markdown_artifact(
        summary_markdown(swept_at, transitions, decisions, rows, caught_up),
        key="renewal-sweep",
        description="Renewal decisions and the continuity watch",
    )
    create_table_artifact(rows, key="continuity-at-risk", description="District x service where a service may stop")
    logger.info(
        "%d contract(s) decided, %d alert(s) raised, %d restored, %d district x service at risk",
        len(decisions),
        len(watch["raised"]),
        len(watch["restored"]),
        len(rows),
    )
    return {
        "caught_up": caught_up,
        "expired": transitions["expired"],
        "expiring": transitions["expiring"],
        "decisions": decisions,
        "raised": watch["raised"],
        "restored": watch["restored"],
        "at_risk": rows,
    }
