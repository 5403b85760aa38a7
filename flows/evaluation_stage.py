"""evaluation-stage: at the submission deadline close and open the bids; when every score is in, rank and award."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows.client import ServiceClient, ServiceError
from flows.tasks import RETRIES, apply_due_transitions, load_tender, schedule_next_stage


@task(**RETRIES)
def decide_if_scored(tender_id: int) -> dict | None:
    """Rank and award when scoring is done; None while evaluators are still scoring (contracting says so)."""
    try:
        return ServiceClient().complete_evaluation(tender_id)
    except ServiceError as refused:
        if refused.status_code == 409:
            return None
        raise


@flow(name="evaluation-stage", log_prints=True)
def evaluation_stage(tender_id: int, ocid: str) -> dict:
    """Close submissions when due (bids open, eligibility from the replica), then award once scoring is complete."""
    logger = get_run_logger()
    applied = apply_due_transitions(tender_id)["applied"]
    tender = load_tender(tender_id)
    if tender["status"] in ("active.enquiries", "active.tendering"):
        # Early, or the deadline moved: be there when it really passes.
        schedule_next_stage(tender, "evaluation-stage", tender["submission_deadline"])
        logger.info("%s still takes bids until %s: evaluation rescheduled", ocid, tender["submission_deadline"])
        return {"status": tender["status"], "applied": applied, "decided": False}
    if tender["status"] != "active.evaluation":
        logger.info("%s is %s: no evaluation to advance (applied %s)", ocid, tender["status"], applied)
        return {"status": tender["status"], "applied": applied, "decided": False}
    decided = decide_if_scored(tender_id)
    if decided is None:
        scores = ServiceClient().scores(tender_id)
        logger.info(
            "%s: waiting for %s score(s); evaluation.scores_complete will resume", ocid, scores["scores_missing"]
        )
        return {"status": tender["status"], "applied": applied, "decided": False}
    logger.info("%s: evaluation decided, tender now %s", ocid, decided["status"])
    return {"status": decided["status"], "applied": applied, "decided": True}
