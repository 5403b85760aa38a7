"""The README's demo command, end to end through real processes (Prefect server, gunicorn APIs, relays, workers)."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SSCP = Path(sys.executable).parent / "sscp"

pytestmark = pytest.mark.e2e


def free_port() -> int:
    """A bindable port below the kernel's ephemeral range, so no outgoing connection takes it before we bind it."""
    ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randint(20000, min(ephemeral_low, 32768) - 1)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def demo_environment(tmp_path: Path) -> dict[str, str]:
    """Its own var/ and its own ports, so it runs beside a developer's demo without touching it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PREFECT_", "SSCP_"))}
    env.update(
        VAR_DIR=str(tmp_path / "var"),
        REGISTRY_PORT=str(free_port()),
        CONTRACTING_PORT=str(free_port()),
        NOTIFICATIONS_PORT=str(free_port()),
        PREFECT_PORT=str(free_port()),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    return env


def test_demo_once_drives_a_tender_from_accreditation_to_invitation_through_real_processes(tmp_path):
    result = subprocess.run(
        [str(SSCP), "demo", "--once"],
        cwd=ROOT,
        env=demo_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=280,
    )
    log = tmp_path / "var" / "log" / "processes.log"
    processes = log.read_text()[-4000:] if log.exists() else "(no log)"
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n--- processes ---\n{processes}"
    output = result.stdout
    assert "contracting: eligibility replica received accreditation.granted over the bus" in output
    assert "notifications: delivery recorded for tender.published" in output
    assert "tender-stage completed" in output
    assert "1 eligible CSO(s) invited by the flow" in output
    # every child was stopped: nothing is left listening on the demo's ports
    assert "all processes stopped" in output
