"""Prometheus metrics for every service at /metrics: request latency, outbox lag, consumer lag, and more.

Under gunicorn (several worker processes) set PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py does) so the
request histograms of all workers are summed; the gauges are computed from the database at scrape time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

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

    @app.get("/metrics")
    def metrics():
        """Prometheus text format."""
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
