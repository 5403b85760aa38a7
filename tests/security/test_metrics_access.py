"""/metrics is for the operator's scraper only (a bearer token), and its labels never name a tender or a bid."""

from __future__ import annotations

import re
import stat

import pytest

from services.common.settings import var_dir
from tests.security.conftest import SERVICES

SCRAPER_TOKEN = "scraper-token-from-the-environment"


@pytest.fixture
def service_app(make_service_app, brokerless_bus_url):
    """A service whose consumer-lag gauges can read a real (broker-less) bus."""
    return lambda name: make_service_app(name, BUS_URL=brokerless_bus_url)


@pytest.mark.parametrize("service", SERVICES)
def test_an_anonymous_scrape_is_refused_with_401_and_shows_no_metric(service_app, monkeypatch, service):
    monkeypatch.setenv("METRICS_TOKEN", SCRAPER_TOKEN)
    client = service_app(service).test_client()
    for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": f"Basic {SCRAPER_TOKEN}"}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response.json["code"] == 401 and response.json["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "sscp_" not in response.get_data(as_text=True)


@pytest.mark.parametrize("service", SERVICES)
def test_the_scraper_with_the_token_from_the_environment_reads_the_metrics(service_app, monkeypatch, service):
    monkeypatch.setenv("METRICS_TOKEN", SCRAPER_TOKEN)
    response = service_app(service).test_client().get("/metrics", headers={"Authorization": f"Bearer {SCRAPER_TOKEN}"})
    assert response.status_code == 200
    assert "sscp_outbox_unpublished_events" in response.get_data(as_text=True)


def test_without_a_configured_token_the_embedded_mode_makes_one_under_var_secrets(service_app, monkeypatch):
    monkeypatch.delenv("METRICS_TOKEN", raising=False)
    client = service_app("registry").test_client()
    token_file = var_dir() / "secrets" / "metrics-token"
    token = token_file.read_text().strip()
    assert len(token) >= 20
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600, "only the operator's account can read it"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert (
        service_app("contracting")
        .test_client()
        .get("/metrics", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 200
    ), "every service of the host accepts the same scraper token"


def test_request_metrics_are_labelled_by_route_never_by_a_tender_or_bid_id(service_app, monkeypatch):
    monkeypatch.setenv("METRICS_TOKEN", SCRAPER_TOKEN)
    client = service_app("contracting").test_client()
    for path in ("/api/v1/tenders/918273/bids", "/api/v1/tenders/918273", "/api/v1/tenders/918273/no-such-thing"):
        client.get(path)
    text = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER_TOKEN}"}).get_data(as_text=True)
    endpoints = set(re.findall(r'sscp_http_request_duration_seconds_count\{[^}]*endpoint="([^"]*)"', text))
    assert "/api/v1/tenders/<int:tender_id>/bids" in endpoints
    assert "/api/v1/tenders/<int:tender_id>" in endpoints
    assert "918273" not in text, "no tender id in any label"


def test_compose_refuses_to_start_the_apis_without_a_scraper_token():
    from tests.deploy.test_production_files import API_PORTS, environment, services

    for name in API_PORTS:
        assert environment(services()[f"{name}-api"])["METRICS_TOKEN"].startswith("${METRICS_TOKEN:?"), name
