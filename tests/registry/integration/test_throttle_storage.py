"""The log-in throttle's SQL storage: separate processes (here: separate storages on one database) count together."""

from __future__ import annotations

import threading

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.registry.adapters import throttle_storage  # noqa: F401 (registers the sqla+… schemes)

TEN_A_MINUTE = parse("10 per minute")


def two_workers(uri: str) -> list[MovingWindowRateLimiter]:
    return [MovingWindowRateLimiter(storage_from_string(uri)) for _ in range(2)]


@pytest.fixture
def sqlite_uri(tmp_path) -> str:
    return f"sqla+sqlite:///{tmp_path / 'login-throttle.sqlite'}"


def test_two_workers_on_one_sqlite_file_share_ten_attempts_a_minute(sqlite_uri):
    first, second = two_workers(sqlite_uri)
    granted = [(first if number % 2 else second).hit(TEN_A_MINUTE, "cso@sscp.md") for number in range(10)]
    assert granted == [True] * 10
    assert not first.hit(TEN_A_MINUTE, "cso@sscp.md") and not second.hit(TEN_A_MINUTE, "cso@sscp.md")
    assert first.hit(TEN_A_MINUTE, "operator@sscp.md"), "another account keeps its own count"
    reset_at, remaining = second.get_window_stats(TEN_A_MINUTE, "cso@sscp.md")
    assert remaining == 0 and reset_at > 0


def test_attempts_at_the_same_moment_from_two_workers_never_let_an_eleventh_through(sqlite_uri):
    workers = two_workers(sqlite_uri)
    granted: list[bool] = []
    start = threading.Barrier(30)

    def guess(number: int) -> None:
        start.wait()
        granted.append(workers[number % 2].hit(TEN_A_MINUTE, "cso@sscp.md"))

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(granted) == [False] * 20 + [True] * 10


@pytest.mark.postgres
def test_hosts_sharing_one_postgresql_database_share_the_count_too(postgres_database):
    first, second = two_workers("sqla+" + postgres_database)
    assert [first.hit(TEN_A_MINUTE, "cso@sscp.md") for _ in range(5)] == [True] * 5
    assert [second.hit(TEN_A_MINUTE, "cso@sscp.md") for _ in range(6)] == [True] * 5 + [False]
    first.storage.engine.dispose()
    second.storage.engine.dispose()
