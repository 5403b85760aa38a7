"""The audit chain: each entry hashes the one before, so any edit or removal shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.contracting.domain.audit import GENESIS, first_break, next_entry

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def chain(length: int):
    entries, previous = [], None
    for i in range(length):
        previous = next_entry(previous, 7, "authority:11", f"action{i}", T0 + timedelta(minutes=i), {"n": i})
        entries.append(previous)
    return entries


def test_a_fresh_chain_starts_at_genesis_and_holds():
    entries = chain(4)
    assert entries[0].previous_hash == GENESIS and [e.seq for e in entries] == [1, 2, 3, 4]
    assert first_break(entries) is None


def test_editing_an_entry_breaks_the_chain_at_that_entry():
    entries = chain(4)
    entries[2] = replace(entries[2], actor="operator:1")
    assert first_break(entries) == 3


def test_removing_an_entry_breaks_the_chain_where_it_was():
    entries = chain(4)
    del entries[1]
    assert first_break(entries) == 3


def test_the_same_payload_always_hashes_the_same_whatever_the_key_order():
    a = next_entry(None, 1, "x", "y", T0, {"a": 1, "b": [1, 2]})
    b = next_entry(None, 1, "x", "y", T0, {"b": [1, 2], "a": 1})
    assert a.payload_hash == b.payload_hash
