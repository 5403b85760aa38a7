"""tender-stage: started by tender.published; invites every eligible CSO to the call."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows.client import ServiceClient


@task(retries=3, retry_delay_seconds=[2, 5, 15])
def load_tender(tender_id: int) -> dict:
    """Read the call as contracting has it now."""
    return ServiceClient().tender(tender_id)


@task(retries=3, retry_delay_seconds=[2, 5, 15])
def invite_eligible_providers(tender_id: int) -> dict:
    """Invite every eligible provider not yet invited (contracting refuses duplicates, so retries are safe)."""
    return ServiceClient().invite_eligible(tender_id)


@flow(name="tender-stage", log_prints=True)
def tender_stage(tender_id: int, ocid: str) -> dict:
    """Invite the eligible CSOs of a newly published call."""
    logger = get_run_logger()
    tender = load_tender(tender_id)
    if not tender["status"].startswith("active."):
        logger.info("%s is %s: nothing to invite", ocid, tender["status"])
        return {"tender_id": tender_id, "newly_invited": [], "invited": []}
    invitations = invite_eligible_providers(tender_id)
    logger.info(
        "%s: %d newly invited, %d in all",
        ocid,
        len(invitations["newly_invited"]),
        len(invitations["invited"]),
    )
    return invitations
