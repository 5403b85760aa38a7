"""services/processes.py wires each long-running process to its own service by name, as deploy/Procfile asks."""

from __future__ import annotations

import kombu
import pytest

from services.contracting.entrypoints.consumer import QUEUE as CONTRACTING_QUEUE
from services.notifications.entrypoints.consumer import QUEUE as NOTIFICATIONS_QUEUE
from services.processes import build_consumer, service_context


@pytest.mark.parametrize(
    ("service", "queue"), [("contracting", CONTRACTING_QUEUE), ("notifications", NOTIFICATIONS_QUEUE)]
)
def test_each_consuming_service_gets_a_consumer_of_its_own_queue(service, queue):
    consumer = build_consumer(service, service_context(service), kombu.Connection("memory://"))

    assert consumer.queue_name == queue


def test_the_registry_has_no_bus_consumer_and_the_refusal_names_those_that_do():
    with pytest.raises(ValueError, match="contracting and notifications"):
        build_consumer("registry", service_context("registry"), kombu.Connection("memory://"))


def test_an_unknown_service_name_is_refused_naming_the_services():
    with pytest.raises(ValueError, match="registry, contracting, notifications"):
        service_context("billing")
