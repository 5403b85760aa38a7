"""The operator pages' plain-Python logic: stage runs read from Prefect's answers, accreditations ending soon, what
each status allows, the order of lists, and the flow server's addresses."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from services.portal.adapters import prefect_runs
from services.portal.config import PortalSettings
from services.portal.domain import operator_registry, operator_runs

TODAY = date(2026, 12, 5)


def run(run_id, tender, stage, state, start):
    return {
        "id": run_id,
        "name": f"ocds/{stage}",
        "tags": [f"tender:{tender}", f"stage:{stage}", "district:MD-CU"],
        "state_type": state,
        "state_name": state.title(),
        "expected_start_time": start,
        "start_time": None,
    }


def test_runs_are_grouped_by_call_in_stage_order_newest_first():
    records = [
        run("a", 1, "award-stage", "SCHEDULED", "2026-12-10T10:00:00Z"),
        run("b", 1, "tender-stage", "FAILED", "2026-12-01T10:00:00Z"),
        run("c", 1, "tender-stage", "COMPLETED", "2026-12-02T10:00:00Z"),
        run("d", 2, "evaluation-stage", "RUNNING", "2026-12-03T10:00:00Z"),
        {"id": "x", "tags": ["something-else"], "state_type": "COMPLETED"},
    ]
    grouped = operator_runs.runs_by_tender(records)
    assert set(grouped) == {1, 2}
    assert [r.id for r in grouped[1]] == ["c", "b", "a"]
    latest = operator_runs.latest_per_stage(grouped[1])
    assert [(r.stage, r.state_type) for r in latest] == [("tender-stage", "COMPLETED"), ("award-stage", "SCHEDULED")]
    assert not operator_runs.needs_attention(grouped[1])  # the failed run was followed by a completed one


def test_a_call_whose_latest_run_crashed_needs_attention():
    grouped = operator_runs.runs_by_tender([run("a", 3, "award-stage", "CRASHED", "2026-12-01T10:00:00Z")])
    assert operator_runs.needs_attention(grouped[3])


def test_a_run_reads_its_state_from_the_nested_state_when_the_flat_fields_are_missing():
    found = operator_runs.stage_run(
        {"id": "r", "tags": ["tender:4", "stage:tender-stage"], "state": {"type": "PENDING"}}
    )
    assert (found.tender_id, found.state_type, found.state_name) == (4, "PENDING", "Pending")


def test_expiring_soon_lists_live_accreditations_within_the_horizon_soonest_first():
    rows = [
        {"id": 1, "status": "active", "valid_to": "2027-01-20"},
        {"id": 2, "status": "active", "valid_to": "2026-12-10"},
        {"id": 3, "status": "suspended", "valid_to": "2026-12-01"},
        {"id": 4, "status": "revoked", "valid_to": "2026-12-06"},
        {"id": 5, "status": "active", "valid_to": "2027-06-01"},
    ]
    found = operator_registry.expiring_soon(rows, TODAY, within_days=60)
    assert [(item.accreditation["id"], item.days_left) for item in found] == [(3, -4), (2, 5), (1, 46)]


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        ("active", ("renew", "suspend", "revoke")),
        ("suspended", ("reinstate", "revoke")),
        ("expired", ("renew",)),
        ("revoked", ()),
        ("unknown", ()),
    ],
)
def test_each_status_allows_what_the_registry_allows(status, actions):
    assert operator_registry.allowed_actions(status) == actions


def test_proposed_terms():
    assert operator_registry.default_renewal_end("2027-03-01", TODAY) == date(2030, 3, 1)
    assert operator_registry.default_renewal_end("2020-02-29", TODAY) == date(2029, 12, 5)
    assert operator_registry.default_grant_term(TODAY) == (TODAY, date(2029, 12, 4))
    assert operator_registry.default_grant_term(date(2028, 2, 29)) == (date(2028, 2, 29), date(2031, 2, 27))


def test_lists_come_in_working_order():
    accreditations = [
        {"id": 1, "status": "revoked", "valid_to": "2027-01-01"},
        {"id": 2, "status": "active", "valid_to": "2030-01-01"},
        {"id": 3, "status": "active", "valid_to": "2028-01-01"},
        {"id": 4, "status": "suspended", "valid_to": "2027-01-01"},
    ]
    assert [a["id"] for a in operator_registry.accreditations_by_status(accreditations)] == [3, 2, 4, 1]
    users = [
        {"email": "b@x.md", "role": "cso", "active": True},
        {"email": "z@x.md", "role": "operator", "active": False},
        {"email": "a@x.md", "role": "authority", "active": True},
    ]
    assert [u["email"] for u in operator_registry.users_in_order(users)] == ["a@x.md", "b@x.md", "z@x.md"]
    assert operator_registry.retryable({"status": "dead"}) and not operator_registry.retryable({"status": "sent"})


def test_the_flow_server_is_asked_once_for_the_pages_calls(monkeypatch):
    asked = []

    def post(url, json, timeout):
        asked.append((url, json))
        return httpx.Response(200, json=[{"id": "r"}])

    monkeypatch.setattr(prefect_runs.httpx, "post", post)
    assert prefect_runs.runs_of_tenders("http://p/api", [3, 4]) == [{"id": "r"}]
    assert asked == [
        (
            "http://p/api/flow_runs/filter",
            {
                "flow_runs": {"tags": {"any_": ["tender:3", "tender:4"]}},
                "sort": "EXPECTED_START_TIME_DESC",
                "limit": 200,
            },
        )
    ]
    assert prefect_runs.runs_of_tenders("http://p/api", []) == []


@pytest.mark.parametrize(
    "answer",
    [
        httpx.ConnectError("refused"),
        httpx.Response(503),
        httpx.Response(200, content=b"<html>"),
        httpx.Response(200, json={}),
    ],
)
def test_a_flow_server_that_does_not_answer_well_is_down(monkeypatch, answer):
    def post(url, json, timeout):
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(prefect_runs.httpx, "post", post)
    with pytest.raises(prefect_runs.FlowServerDown):
        prefect_runs.runs_of_tenders("http://p/api", [1])


def test_the_flow_servers_addresses():
    settings = PortalSettings.from_env({"PORTAL_SECRET_KEY": "k" * 40, "PREFECT_API_URL": "http://prefect:4200/api"})
    assert settings.prefect_api_url == "http://prefect:4200/api"
    assert settings.prefect_ui_url == "http://prefect:4200"
    assert prefect_runs.runs_page_url(settings.prefect_ui_url, 7) == "http://prefect:4200/runs?tag=tender%3A7"
    assert prefect_runs.run_page_url(settings.prefect_ui_url, "ab-1") == "http://prefect:4200/runs/flow-run/ab-1"
    chosen = PortalSettings.from_env({"PORTAL_SECRET_KEY": "k" * 40, "PREFECT_UI_URL": "https://flows.sscp.md/"})
    assert chosen.prefect_ui_url == "https://flows.sscp.md"
