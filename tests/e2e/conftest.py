"""One demo round per mode for the whole e2e suite (tests/e2e/rounds.py says why and how); both are played in the
background from the session's start (``e2e_rounds`` in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.e2e.rounds import Round, RoundsInBackground


@pytest.fixture(scope="session")
def embedded_round(e2e_rounds: RoundsInBackground) -> Round:
    return e2e_rounds.round_of("embedded")


@pytest.fixture(scope="session")
def production_round(e2e_rounds: RoundsInBackground) -> Round:
    return e2e_rounds.round_of("production")
