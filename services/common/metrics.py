"""Prometheus metrics for every service at /metrics: request latency, outbox lag, consumer lag, and more.

Under gunicorn (several worker processes) set PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py does) so the
request histograms of all workers are summed; the gauges are computed from the database at scrape time.

Only the operator's scraper reads them: request counts per route show who is busy bidding where, so a scrape
must carry ``Authorization: Bearer <METRICS_TOKEN>``. Without METRICS_TOKEN (the embedded mode) the token is made
once under var/secrets/metrics-token, like the demo's other secrets. Requests are labelled by their URL rule
(``/api/v1/tenders/<int:tender_id>/bids``), never by the concrete path, so no label names a tender or a bid.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterable

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from werkzeug.exceptions import Unauthorized

from services.common.settings import embedded_secret

REQUEST_SECONDS = Histogram(
    "sscp_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["service", "method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

GaugeSource = Callable[[], Iterable[tuple[str, str, dict[str, str], float]]]


class GaugeCollector:
    """Turns a callable yielding (name, help, labels, value) into gauges, read fresh at each scrape."""

    def __init__(self, source: GaugeSource) -> None:
        self.source = source

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for name, documentation, labels, value in self.source():
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(name, documentation, labels=list(labels))
            family.add_metric(list(labels.values()), value)
        return list(families.values())


def init_metrics(app: Flask, service: str, gauges: list[GaugeSource]) -> None:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    for source in gauges:
        registry.register(GaugeCollector(source))

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def observe(response):
        if request.endpoint != "metrics" and "request_started" in g:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            REQUEST_SECONDS.labels(service, request.method, endpoint, str(response.status_code)).observe(
                time.perf_counter() - g.request_started
            )
        return response

    token = (app.config.get("METRICS_TOKEN") or os.environ.get("METRICS_TOKEN") or embedded_scraper_token()).encode()

    @app.get("/metrics")
    def metrics():
        """Prometheus text format, for the scraper holding METRICS_TOKEN."""
        scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(offered.strip().encode(), token):
            return _refused()
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _refused() -> Response:
    """401 in the services' shared error shape (the app's own HTTP error handler renders it)."""
    error = Unauthorized("metrics are for the operator's scraper: send Authorization: Bearer <METRICS_TOKEN>")
    response = current_app.make_response(current_app.handle_http_exception(error))
    response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def embedded_scraper_token() -> str:
    """var/secrets/metrics-token, made on first use; every worker and service of the host reads the same one."""
    return embedded_secret("metrics-token")
