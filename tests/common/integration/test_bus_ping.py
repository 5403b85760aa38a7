"""The /readyz check of the bus: ``ping(url)`` answers for a reachable bus and raises for one that is not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from amqp.exceptions import NotAllowed
from kombu.exceptions import OperationalError

from services.common.bus.connection import ping

NOTHING_LISTENS_HERE = "amqp://guest:guest@127.0.0.1:5999//"


@pytest.mark.rabbitmq
def test_ping_succeeds_for_a_live_rabbitmq_virtual_host(rabbitmq_url):
    assert ping(rabbitmq_url) is None


def test_ping_raises_promptly_when_no_broker_listens():
    started = time.monotonic()

    with pytest.raises(OperationalError):
        ping(NOTHING_LISTENS_HERE)

    assert time.monotonic() - started < 10


@pytest.mark.rabbitmq
def test_ping_raises_for_a_virtual_host_the_broker_does_not_have(rabbitmq_server):
    with pytest.raises(NotAllowed, match="vhost"):
        ping(f"{rabbitmq_server}/sscp_no_such_vhost")


def test_ping_succeeds_for_the_brokerless_bus_and_creates_its_file(brokerless_bus_url):
    assert ping(brokerless_bus_url) is None

    assert Path(brokerless_bus_url.removeprefix("sqla+sqlite:///")).is_file()


def test_ping_refuses_a_bus_url_of_neither_supported_kind():
    with pytest.raises(ValueError, match="neither amqp"):
        ping("redis://127.0.0.1:6379/0")
