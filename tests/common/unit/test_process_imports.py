"""The relays, consumers, dispatcher and flow bridge load no web framework: each was ~90 MB with Flask, marshmallow
and flask-smorest loaded for nothing (issue 21, the platform's memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from services.common.settings import PLATFORM_VARIABLES

WEB_ONLY = ("flask", "marshmallow", "flask_smorest", "werkzeug", "apispec")

# What `sscp relay|consume|dispatch|background|bridge` does before its loops start (services/processes.py).
ENTRY_POINTS = {
    "registry-relay": "from services.processes import service_context; service_context('registry')",
    "contracting-relay": "from services.processes import service_context; service_context('contracting')",
    "notifications-relay": "from services.processes import service_context; service_context('notifications')",
    "contracting-consumer": "from services.processes import build_consumer, service_context; import kombu; "
    "build_consumer('contracting', service_context('contracting'), kombu.Connection('memory://'))",
    "notifications-worker": "from services.processes import build_consumer, service_context; import kombu; "
    "build_consumer('notifications', service_context('notifications'), kombu.Connection('memory://'))",
    "notifications-dispatcher": "from services.notifications.entrypoints.dispatcher import run_dispatcher; "
    "from services.notifications.bootstrap import bootstrap; bootstrap().channels()",
    # its relay, worker and dispatcher in one process: the union of the three above
    "notifications-background": "from services.processes import build_consumer, service_context; import kombu; "
    "import services.notifications.entrypoints.dispatcher; c = service_context('notifications'); "
    "build_consumer('notifications', c, kombu.Connection('memory://')); c.channels()",
    "flow-bridge": "import services.processes; from flows.bridge import QUEUE, start_stage_run; "
    "from flows.stage_watch import keep_reviving_stuck_runs",
}


def modules_loaded_by(statement: str, var_dir) -> set[str]:
    env = {key: value for key, value in os.environ.items() if key not in PLATFORM_VARIABLES}
    env["VAR_DIR"] = str(var_dir)
    program = f"import services.cli, sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("process", sorted(ENTRY_POINTS))
def test_a_background_process_does_not_load_flask_marshmallow_or_flask_smorest(process, tmp_path):
    loaded = modules_loaded_by(ENTRY_POINTS[process], tmp_path)

    assert not {name for name in loaded if name.split(".")[0] in WEB_ONLY}


def test_an_api_still_loads_its_web_framework(tmp_path):
    # The check above would pass vacuously if the helper saw no modules at all.
    loaded = modules_loaded_by("import services.registry.entrypoints.wsgi", tmp_path)

    assert {"flask", "marshmallow", "flask_smorest"} <= loaded
