"""The round benchmark's own rules, without starting the platform: isolation from a developer's demo, the wall
time it reports and the sizes it accepts (the benchmark itself: ``python -m bench --only round``)."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime, timedelta

from bench.modes import Mode
from bench.round import add_arguments, config_for, environment, size_problem
from bench.round_actors import Bidder, Call
from bench.round_driver import timeline

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def round_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_round_processes_get_their_own_ports_and_var_dir_not_those_of_a_developers_demo(monkeypatch):
    for name, value in {
        "VAR_DIR": "var",
        "CONTRACTING_PORT": "5002",
        "PREFECT_API_URL": "http://127.0.0.1:4200/api",
        "PREFECT_HOME": "/root/.prefect",
        "RENEWAL_SWEEP_INTERVAL_SECONDS": "10",
    }.items():
        monkeypatch.setenv(name, value)
    before = dict(os.environ)
    with Mode("embedded") as mode:
        env = environment(mode, "round", config_for(round_args(), production=False))
        assert env["VAR_DIR"].startswith(str(mode.workdir))
        assert env["PREFECT_HOME"].startswith(str(mode.workdir))
    ports = [env[f"{name}_PORT"] for name in ("REGISTRY", "CONTRACTING", "NOTIFICATIONS", "PREFECT")]
    assert len(set(ports)) == 4 and "5002" not in ports
    assert env["PREFECT_API_URL"] == f"http://127.0.0.1:{env['PREFECT_PORT']}/api"
    # the demo's compressed contract life would re-tender the round's contracts while it runs
    assert env["RENEWAL_SWEEP_INTERVAL_SECONDS"] == "" and env["CONTRACTING_CONTRACT_MONTH_SECONDS"] == ""
    assert dict(os.environ) == before


def test_wall_time_runs_from_the_first_publication_to_the_last_signature():
    def call(district: str, published: int, activated: list[int]) -> tuple[Call, dict]:
        made = Call(district, "home-care", [Bidder(1, "user@cso.md", 4000, 90)], ["7", "8", "9"])
        made.marks = {"opened": START + timedelta(seconds=40), "scored": START + timedelta(seconds=42)}
        tender = {
            "published_at": (START + timedelta(seconds=published)).isoformat(),
            "submission_deadline": (START + timedelta(seconds=published + 20)).isoformat(),
            "decided_at": (START + timedelta(seconds=50)).isoformat(),
            "standstill_end": (START + timedelta(seconds=70)).isoformat(),
        }
        contracts = [{"activated_at": (START + timedelta(seconds=s)).isoformat()} for s in activated]
        return made, {"tender": tender, "contracts": contracts}

    pairs = [call("MD-AN", 0, [80, 81]), call("MD-BS", 3, [95, 90])]
    config = {"standstill_seconds": 20}
    result = timeline([c for c, _ in pairs], [o for _, o in pairs], START, config)
    assert result["wall_s"] == 95
    assert result["floor_s"] == 23 + 1 + 20 + 1
    assert result["signed"] == 4 and result["calls"] == 2
    assert result["phases"]["deadline -> bids opened (flow)"] == [18.5, 20]


def test_sizes_beyond_the_national_round_are_refused_before_anything_starts():
    assert size_problem(round_args("--round-districts", "35", "--round-services", "5")) is None
    assert "1-35" in size_problem(round_args("--round-districts", "36"))
    assert "1-5" in size_problem(round_args("--round-services", "6"))


def test_the_default_bound_lets_a_national_round_finish_and_keeps_a_small_one_short():
    national = config_for(round_args("--round-districts", "35", "--round-services", "5"), production=True)
    # the measured 35 x 5 rounds took 1,880 s (PostgreSQL) and 2,356 s (embedded) from publication to signature
    assert national["round_timeout"] > 2_356 * 1.5
    small = config_for(round_args(), production=False)
    assert small["round_timeout"] <= 240 + 24 * 8  # a stuck 4 x 2 round is reported within minutes
    assert config_for(round_args("--round-timeout", "90"), production=False)["round_timeout"] == 90
