"""The README's demo command, end to end through real processes (Prefect server, gunicorn APIs, relays, workers).

The round is the embedded one the whole e2e suite shares (tests/e2e/conftest.py), in which every kind of process
is also SIGKILLed once: the demo must pass every check it makes, and the round reach every outcome, regardless.
"""

from __future__ import annotations

import pytest

from tests.e2e.rounds import assert_round_outcomes

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]  # the shared round, if this test is the first to ask


def test_demo_once_plays_the_round_through_real_processes_and_flows(embedded_round):
    assert embedded_round.returncode == 0, embedded_round.explain()
    assert "bus topology declared on the broker-less bus" in embedded_round.output
    assert_round_outcomes(embedded_round.output)
