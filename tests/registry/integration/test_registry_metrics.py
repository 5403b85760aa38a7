"""/metrics on a service: request latency and outbox lag in Prometheus text format."""

from __future__ import annotations

from services.common.metrics import embedded_scraper_token
from tests.registry.integration.test_registry_api import PROVIDER, app, client, operator  # noqa: F401 (fixtures)


def test_metrics_report_request_latency_and_the_outbox_backlog_in_prometheus_format(client, operator):  # noqa: F811
    client.post("/api/v1/providers", json=PROVIDER, headers=operator)
    scraper = {"Authorization": f"Bearer {embedded_scraper_token()}"}  # the embedded mode's var/secrets/metrics-token
    text = client.get("/metrics", headers=scraper).get_data(as_text=True)
    assert 'sscp_http_request_duration_seconds_count{endpoint="/api/v1/providers"' in text
    assert 'sscp_outbox_unpublished_events{service="registry"} 1.0' in text
