"""One demo round per mode for the whole e2e suite (tests/e2e/rounds.py says why and how)."""

from __future__ import annotations

import pytest

from tests.e2e.rounds import Round, play_round_with_kills, production_settings


@pytest.fixture(scope="session")
def embedded_round(tmp_path_factory) -> Round:
    return play_round_with_kills("embedded", tmp_path_factory.mktemp("embedded") / "var", {})


@pytest.fixture(scope="session")
def production_round(tmp_path_factory, postgres_server, rabbitmq_server) -> Round:
    with production_settings(postgres_server, rabbitmq_server, "e2e") as settings:
        yield play_round_with_kills("production", tmp_path_factory.mktemp("production") / "var", settings)
