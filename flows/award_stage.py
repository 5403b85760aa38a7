"""award-stage: after the decision make sure bidders were told and schedule the standstill end; then contract."""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, get_run_logger, task

from flows.client import ServiceClient, ServiceError
from flows.tasks import RETRIES, apply_due_transitions, load_tender, schedule_next_stage

# The legal notice each decided status owes the bidders: who won and who did not, or why nobody did.
DECISION_EVENTS = {"active.standstill": "award.decided", "unsuccessful": "tender.unsuccessful"}


@task(**RETRIES)
def load_bidders(tender_id: int) -> list[int]:
    """The providers the decision judged: the ones its notice must reach."""
    return sorted(ServiceClient().bidders(tender_id))


@task(retries=5, retry_delay_seconds=[2, 4, 8, 15, 30])
def confirm_bidders_notified(ocid: str, event_type: str, bidders: list[int]) -> int:
    """Notifications recorded the decision for every bidder (the legal notice); retried until it has."""
    recorded = {delivery["recipient"] for delivery in ServiceClient().deliveries(ocid, event_type)}
    missing = [provider_id for provider_id in bidders if f"provider:{provider_id}" not in recorded]
    if missing:
        raise RuntimeError(f"no {event_type} delivery recorded yet for provider(s) {missing} of {ocid}")
    return len(bidders)


def notify_bidders(tender_id: int, ocid: str, event_type: str) -> int:
    """Wait for the decision's notice to every bidder; a call nobody bid on has no one to wait for."""
    bidders = load_bidders(tender_id)
    return confirm_bidders_notified(ocid, event_type, bidders) if bidders else 0


@task(**RETRIES)
def create_contracts(tender_id: int) -> list:
    """One contract per active award; contracting creates only the missing ones, so repeating is harmless."""
    try:
        return ServiceClient().create_contracts(tender_id)
    except ServiceError as refused:
        if refused.status_code in (404, 405):  # a deployment without the contracts API yet
            return []
        raise


@flow(name="award-stage", log_prints=True)
def award_stage(tender_id: int, ocid: str, phase: str = "decided") -> dict:
    """``decided``: confirm notices and schedule the standstill end. ``standstill_end``: end it and create contracts."""
    logger = get_run_logger()
    if phase == "standstill_end":
        return end_standstill(tender_id, ocid)
    tender = load_tender(tender_id)
    if tender["status"] == "active.contract_pending":
        # Another stage run already applied the standstill's end (this run came late): contract now, or no
        # standstill_end run would ever be scheduled and the call would wait for contracts for ever.
        notify_bidders(tender_id, ocid, "award.decided")
        return end_standstill(tender_id, ocid)
    notified = 0
    if tender["status"] in DECISION_EVENTS:
        notified = notify_bidders(tender_id, ocid, DECISION_EVENTS[tender["status"]])
    if tender["status"] != "active.standstill":
        logger.info("%s is %s after the decision; %d recipient(s) notified", ocid, tender["status"], notified)
        return {"status": tender["status"], "notified": notified, "contracts": []}
    due_at = tender["next_check"]["due_at"]
    schedule_next_stage(tender, "award-stage", due_at, {"phase": "standstill_end"})
    logger.info("%s: %d recipient(s) notified; standstill ends %s", ocid, notified, due_at)
    return {"status": tender["status"], "notified": notified, "contracts": []}


def end_standstill(tender_id: int, ocid: str) -> dict:
    logger = get_run_logger()
    applied = apply_due_transitions(tender_id)["applied"]
    tender = load_tender(tender_id)
    if tender["status"] == "active.standstill":
        check = tender.get("next_check") or {}
        due_at = check.get("due_at")
        if due_at and datetime.fromisoformat(due_at) > datetime.now(UTC):
            # Fired before contracting's clock says the standstill is over: look again when it says.
            schedule_next_stage(tender, "award-stage", due_at, {"phase": "standstill_end"})
            logger.info("%s: standstill ends %s; rescheduled", ocid, due_at)
        else:
            logger.info("%s: standstill held by an open complaint; its resolution resumes this stage", ocid)
        return {"status": tender["status"], "applied": applied, "contracts": []}
    contracts = create_contracts(tender_id) if tender["status"] in ("active.contract_pending", "complete") else []
    logger.info("%s: %s; %d contract(s)", ocid, tender["status"], len(contracts))
    return {"status": tender["status"], "applied": applied, "contracts": [c.get("id") for c in contracts]}
