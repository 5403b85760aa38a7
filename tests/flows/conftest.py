"""One Prefect test server for the whole session (≈ 9 s to start), with a throw-away PREFECT_HOME."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    previous = {key: os.environ.get(key) for key in ("PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    os.environ["PREFECT_HOME"] = str(home)
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    try:
        with prefect_test_harness(server_startup_timeout=90):
            yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def deployments(prefect_server):
    """The stages a flow schedules must exist as deployments (the runner would register them)."""
    from flows.award_stage import award_stage
    from flows.evaluation_stage import evaluation_stage

    return [flow.to_deployment(name=flow.name).apply() for flow in (evaluation_stage, award_stage)]


@pytest.fixture
def platform(tmp_path, monkeypatch, deployments):
    """The three services over HTTP, with the flows pointed at them and logged in as the service account."""
    from tests.flows.live_platform import point_flows_at, start_platform

    platform = start_platform(tmp_path, monkeypatch)
    point_flows_at(platform, monkeypatch)
    return platform
