"""The platform heals itself: a demo round in which every kind of process is killed with SIGKILL once still holds.

One `sscp demo --once` per mode (embedded; production shape without Docker), shared by the e2e suite
(tests/e2e/conftest.py, tests/e2e/rounds.py), not one per kill. Each test asserts, for its kind of process, that it
was killed, started again with a new pid (and said so in the demo's restart summary), that the round's outcomes
all held and that no committed event was left in an outbox.
"""

from __future__ import annotations

import pytest

from tests.e2e.rounds import KINDS, KNOWN_GAPS, SERVICES, Round, assert_round_outcomes

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]  # a whole demo round, with restarts


@pytest.fixture(params=["embedded", "production"])
def healed_round(request) -> tuple[str, Round]:
    return request.param, request.getfixturevalue(f"{request.param}_round")


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_round_holds_when_a_process_of_this_kind_is_killed_with_sigkill_mid_round(healed_round, kind):
    mode, healed = healed_round
    process = KINDS[kind][mode]
    if process is None:
        pytest.xfail(KNOWN_GAPS[(kind, mode)])
    kill = healed.kills.get(kind)
    assert kill is not None, f"{process} was never killed\n{healed.explain()}"
    assert kill.new_pid and kill.new_pid != kill.pid, f"{process} did not come back\n{healed.explain()}"
    assert healed.returncode == 0, healed.explain()
    assert_round_outcomes(healed.output)
    restart_line = next((line for line in healed.output.splitlines() if line.strip().startswith(f"{process} ")), "")
    assert "restarted" in restart_line and "terminated by SIGKILL" in healed.output, healed.explain()
    assert "every outbox drained" in healed.output
    assert healed.unpublished == dict.fromkeys(SERVICES, 0)
