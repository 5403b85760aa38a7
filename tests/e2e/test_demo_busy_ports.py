"""The demo refuses to start beside another copy instead of talking to whatever answers on its ports."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.e2e.rounds import ROOT, SSCP, demo_environment

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("variable", ["CONTRACTING_PORT", "PREFECT_PORT"])
def test_demo_refuses_to_start_naming_the_busy_port_and_how_to_choose_others(tmp_path, variable):
    env = demo_environment(tmp_path)
    with socket.socket() as other_copy:  # another demo's server, listening on one of ours
        other_copy.bind(("127.0.0.1", int(env[variable])))
        other_copy.listen()

        result = subprocess.run(
            [str(SSCP), "demo", "--once"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"port {env[variable]} ({variable}) is already in use" in output
    for choice in ("REGISTRY_PORT", "CONTRACTING_PORT", "NOTIFICATIONS_PORT", "PREFECT_PORT", "VAR_DIR"):
        assert choice in output
    assert "is ready" not in output  # nothing was started, nothing of the other copy's was taken for ours
    assert not (tmp_path / "var" / "log" / "processes.log").exists()
