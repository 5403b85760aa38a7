"""renewal-sweep: the daily look at every contract that is ending, so that no service stops unnoticed.

Contracting owns every rule (the notice window, the renewal policy, the re-tender's lead time, the continuity
thresholds); this flow only asks at the right time, in the right order, and shows operators the result:

1. apply due contract transitions (expire what ended, announce what entered the notice window);
2. for each contract in the notice window, act on the policy's recommendation: propose the renewal to the
   authority, or publish the successor call; a contract whose proposal awaits the authority is left to it;
3. run the continuity watch (alerts at 90/60/30 days for an end nothing covers, restored once covered);
4. publish a summary artifact listing every district x service at risk.

Every step is repeatable: a second sweep on the same day proposes, re-tenders and alerts nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.client import ServiceClient, ServiceError
from flows.tasks import RETRIES

PROPOSE = "propose renewal"
RETENDER = "re-tender"
AWAIT_AUTHORITY = "await the authority"
RISK_ORDER = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
AT_RISK = ("medium", "high", "critical")  # inside a 90/60/30-day threshold with nothing to take over


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


def summary_markdown(swept_at: str, transitions: dict, decisions: list[dict], rows: list[dict]) -> str:
    lines = [
        f"# Renewal sweep {swept_at}",
        "",
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
def watch_continuity() -> dict:
    """Raise 90/60/30-day alerts for ends nothing covers; restore those now covered (repeatable)."""
    return ServiceClient().check_continuity()


def sweep_run_name() -> str:
    return f"renewal-sweep/{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}"


@flow(name="renewal-sweep", flow_run_name=sweep_run_name, log_prints=True)
def renewal_sweep() -> dict:
    """Decide renewals and re-tenders for contracts in the notice window, then watch continuity (daily)."""
    logger = get_run_logger()
    swept_at = datetime.now(UTC).isoformat(timespec="seconds")
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
        summary_markdown(swept_at, transitions, decisions, rows),
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
        "expired": transitions["expired"],
        "expiring": transitions["expiring"],
        "decisions": decisions,
        "raised": watch["raised"],
        "restored": watch["restored"],
        "at_risk": rows,
    }
