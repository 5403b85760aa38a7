"""The contracting HTTP API: create_app and its blueprints."""

from __future__ import annotations

# The OCDS merger (service_layer/publication.py imports it on the first release, so that the relay and the consumer
# never load it): the API publishes releases, and loads it with the app so gunicorn's preloaded workers share it.
import ocdsmerge  # noqa: F401
from flask import Flask

from services.common.app import build_app
from services.contracting.bootstrap import bootstrap
from services.contracting.entrypoints.api import (
    audit,
    awards,
    bids,
    clarifications,
    complaints,
    contracts,
    coverage,
    documents,
    evaluation,
    feed,
    ocds,
    public,
    renewals,
    replica,
    reports,
    tenders,
)


def create_app(config: dict | None = None, token_verifier=None, clock=None) -> Flask:
    """The contracting app; ``config`` may override DATABASE_URL and BUS_URL for tests."""
    config = dict(config or {})
    overrides = {
        key: config.pop(name)
        for key, name in (("database_url", "DATABASE_URL"), ("bus_url", "BUS_URL"))
        if name in config
    }
    context = bootstrap(**overrides)
    if clock is not None:
        context.clock = clock
    return build_app(
        context,
        "Contracting — tenders, bids, awards, contracts",
        [
            *(tenders.blp, clarifications.blp, bids.blp, evaluation.blp, awards.blp, complaints.blp, replica.blp),
            documents.blp,
            *(contracts.blp, reports.blp, renewals.blp, coverage.blp),
            *(ocds.blp, feed.blp, public.blp, audit.blp),
        ],
        config,
        token_verifier,
    )
