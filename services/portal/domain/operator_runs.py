"""Each call's stage runs as an operator reads them: which stage, in what state, when, and whether it needs a look.

Prefect's runs carry the tags ``tender:<id>`` and ``stage:<name>`` (flows/scheduling.py). A stage may have several
runs (a moved deadline cancels the pending one and schedules another, a dead runner's run runs again): the page
lists them all, newest first, and sums each call up by its latest run per stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.portal.domain.deadlines import parse_moment

# Prefect's state types; the ones an operator should look at, and the ones that are simply done.
TROUBLE = ("FAILED", "CRASHED")
WAITING = ("SCHEDULED", "PENDING", "PAUSED")
RUNNING = ("RUNNING", "CANCELLING")
DONE = ("COMPLETED",)
STOPPED = ("CANCELLED",)
# The order stages happen in, for listing a call's stages.
STAGE_ORDER = {"tender-stage": 0, "evaluation-stage": 1, "award-stage": 2}


@dataclass(frozen=True)
class StageRun:
    id: str
    name: str
    tender_id: int | None
    stage: str
    state_type: str
    state_name: str
    expected_start: datetime | None
    started: datetime | None
    ended: datetime | None

    @property
    def needs_attention(self) -> bool:
        return self.state_type in TROUBLE

    @property
    def moment(self) -> datetime | None:
        """When it ran, or is due to run."""
        return self.started or self.expected_start


def _tag_value(tags: list[str], prefix: str) -> str | None:
    return next((tag.split(":", 1)[1] for tag in tags if tag.startswith(prefix + ":")), None)


def stage_run(record: dict) -> StageRun:
    tags = list(record.get("tags") or [])
    tender = _tag_value(tags, "tender")
    state = record.get("state") or {}
    state_type = str(record.get("state_type") or state.get("type") or "UNKNOWN").upper()
    return StageRun(
        id=str(record.get("id") or ""),
        name=str(record.get("name") or ""),
        tender_id=int(tender) if tender and tender.isdigit() else None,
        stage=_tag_value(tags, "stage") or "",
        state_type=state_type,
        state_name=str(record.get("state_name") or state.get("name") or state_type.title()),
        expected_start=parse_moment(record.get("expected_start_time")),
        started=parse_moment(record.get("start_time")),
        ended=parse_moment(record.get("end_time")),
    )


def _newest_first_key(run: StageRun) -> tuple:
    moment = run.moment
    return (moment.timestamp() if moment else float("-inf"), run.id)


def runs_by_tender(records: list[dict]) -> dict[int, list[StageRun]]:
    """Each call's runs, in stage order and newest first within a stage."""
    found: dict[int, list[StageRun]] = {}
    for record in records:
        run = stage_run(record)
        if run.tender_id is not None:
            found.setdefault(run.tender_id, []).append(run)
    for runs in found.values():
        runs.sort(key=_newest_first_key, reverse=True)
        runs.sort(key=lambda run: STAGE_ORDER.get(run.stage, len(STAGE_ORDER)))
    return found


def latest_per_stage(runs: list[StageRun]) -> list[StageRun]:
    """The newest run of each stage (runs as ``runs_by_tender`` orders them), in stage order."""
    seen: set[str] = set()
    latest = []
    for run in runs:
        if run.stage not in seen:
            seen.add(run.stage)
            latest.append(run)
    return latest


def needs_attention(runs: list[StageRun]) -> bool:
    """A call whose latest run of some stage failed or crashed."""
    return any(run.needs_attention for run in latest_per_stage(runs))
