"""The read cache answers with what it built only while the data's version and the clock allow it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.read_cache import ReadCache

T0 = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def test_an_answer_is_served_again_while_its_version_holds_and_its_moment_has_not_come():
    cache = ReadCache()
    built = cache.put("listing", 7, T0, T0 + timedelta(minutes=5), b"[1]", total=1)
    again = cache.get("listing", 7, T0 + timedelta(minutes=4))
    assert again is built and again.total == 1 and cache.hits == 1


def test_a_new_version_makes_the_answer_stale():
    cache = ReadCache()
    cache.put("listing", 7, T0, None, b"[1]")
    assert cache.get("listing", 8, T0) is None


def test_the_clock_reaching_the_next_transition_makes_the_answer_stale():
    cache = ReadCache()
    cache.put("listing", 7, T0, T0 + timedelta(minutes=5), b"[1]")
    assert cache.get("listing", 7, T0 + timedelta(minutes=5)) is None


def test_a_clock_moved_back_before_the_answer_was_built_does_not_see_it():
    cache = ReadCache()
    cache.put("listing", 7, T0, None, b"[1]")
    assert cache.get("listing", 7, T0 - timedelta(seconds=1)) is None


def test_the_oldest_answer_leaves_first_when_the_cache_is_full_and_etags_name_the_content():
    cache = ReadCache(capacity=2)
    first = cache.put("a", 1, T0, None, b"[1]")
    second = cache.put("b", 1, T0, None, b"[2]")
    cache.put("c", 1, T0, None, b"[3]")
    assert cache.get("a", 1, T0) is None and cache.get("b", 1, T0) is second
    assert first.etag != second.etag and first.etag.startswith('"1-')
