"""The demo's final check: it reads the round's flow runs and fails, naming them, on any Failed or Crashed run."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from demo.platform import Progress, StepFailed
from demo.run_check import check_flow_runs

ROUND_START = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def run(name: str, state: str, tags: tuple[str, ...] = (), run_count: int = 1) -> SimpleNamespace:
    return SimpleNamespace(
        name=name,
        state_type=SimpleNamespace(value=state),
        state_name=state.title(),
        tags=list(tags),
        run_count=run_count,
    )


def test_a_round_whose_runs_all_completed_ends_with_zero_failed_or_crashed_runs(capsys):
    runs = [run("ocds-1/tender-stage", "COMPLETED"), run("ocds-1/award-stage", "COMPLETED")]

    check_flow_runs(ROUND_START, Progress(), read=lambda since, until: runs, settle=0)

    assert "✓ 0 failed or crashed flow runs (of 2)" in capsys.readouterr().out


def test_a_failed_or_crashed_run_fails_the_demo_and_is_named():
    runs = [
        run("ocds-1/tender-stage", "COMPLETED"),
        run("ocds-2/award-stage", "FAILED"),
        run("ocds-3/evaluation-stage", "CRASHED"),
    ]

    with pytest.raises(StepFailed) as failed:
        check_flow_runs(ROUND_START, Progress(), read=lambda since, until: runs, settle=0)

    message = str(failed.value)
    assert "ocds-2/award-stage (Failed)" in message and "ocds-3/evaluation-stage (Crashed)" in message
    assert "2 failed or crashed flow run(s) of 3" in message


def test_runs_still_going_at_the_end_of_the_round_are_judged_once_they_finish():
    reads = iter([[run("ocds-2/award-stage", "RUNNING")], [run("ocds-2/award-stage", "FAILED")]])

    with pytest.raises(StepFailed, match="ocds-2/award-stage"):
        check_flow_runs(ROUND_START, Progress(), read=lambda since, until: next(reads), settle=30)


def test_a_stage_run_crashed_late_in_the_round_is_judged_after_the_bridge_has_run_it_again(capsys):
    stage_tags = ("sscp", "stage:award-stage")
    reads = iter(
        [
            [run("ocds-2/award-stage", "CRASHED", stage_tags)],
            [run("ocds-2/award-stage", "SCHEDULED", stage_tags, run_count=1)],
            [run("ocds-2/award-stage", "COMPLETED", stage_tags, run_count=2)],
        ]
    )

    check_flow_runs(ROUND_START, Progress(), read=lambda since, until: next(reads), settle=30)

    assert "✓ 0 failed or crashed flow runs (of 1)" in capsys.readouterr().out


def test_a_crashed_run_the_bridge_will_not_run_again_fails_the_demo_at_once():
    crashed_too_often = run("ocds-2/award-stage", "CRASHED", ("sscp", "stage:award-stage"), run_count=3)
    reads = iter([[crashed_too_often]])  # a second read would raise StopIteration: no waiting

    with pytest.raises(StepFailed, match=r"ocds-2/award-stage \(Crashed\)"):
        check_flow_runs(ROUND_START, Progress(), read=lambda since, until: next(reads), settle=30)
