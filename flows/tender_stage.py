"""tender-stage: on tender.published (and when its deadline moves) invite eligible CSOs, schedule the evaluation."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows.client import ServiceClient
from flows.tasks import RETRIES, load_tender, schedule_next_stage


@task(**RETRIES)
def invite_eligible_providers(tender_id: int) -> dict:
    """Invite every eligible provider not yet invited (contracting refuses duplicates, so retries are safe)."""
    return ServiceClient().invite_eligible(tender_id)


@flow(name="tender-stage", log_prints=True)
def tender_stage(tender_id: int, ocid: str) -> dict:
    """Invite the eligible CSOs of a published call and schedule its evaluation at the submission deadline."""
    logger = get_run_logger()
    tender = load_tender(tender_id)
    # The recorded status: a run that comes after the deadline still schedules the evaluation that closes it.
    if tender.get("applied_status", tender["status"]) not in ("active.enquiries", "active.tendering"):
        logger.info("%s is %s: nothing to invite or schedule", ocid, tender["status"])
        return {"tender_id": tender_id, "newly_invited": [], "invited": [], "evaluation_run": None}
    invitations = invite_eligible_providers(tender_id)
    run_id = schedule_next_stage(tender, "evaluation-stage", tender["submission_deadline"])
    logger.info(
        "%s: %d newly invited (%d in all); evaluation-stage scheduled for %s",
        ocid,
        len(invitations["newly_invited"]),
        len(invitations["invited"]),
        tender["submission_deadline"],
    )
    return {**invitations, "evaluation_run": run_id}
