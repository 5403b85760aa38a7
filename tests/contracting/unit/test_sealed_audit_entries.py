"""Sealed audit entries: a bid's (or a question's) entry names its author to nobody, yet the chain still verifies."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.contracting.domain import audit

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def round_with_bids():
    """create, publish, two bids and a modification, then the close: as base.record writes them."""
    steps = [
        ("authority:11", "create"),
        ("authority:11", "publish"),
        ("cso:c5", "submit_bid"),
        ("cso:c6", "submit_bid"),
        ("cso:c5", "modify_bid"),
        ("service:flows", "close_submissions"),
    ]
    entries, previous = [], None
    for minute, (actor, action) in enumerate(steps):
        salt = f"{minute:064x}" if audit.needs_salt(action) else None
        previous = audit.next_entry(previous, 7, actor, action, T0 + timedelta(minutes=minute), {"n": minute}, salt)
        entries.append(previous)
    return entries


def test_a_chain_with_salted_bid_entries_verifies_and_still_shows_an_edit():
    entries = round_with_bids()
    assert audit.first_break(entries) is None
    entries[3] = replace(entries[3], actor="cso:c7")
    assert audit.first_break(entries) == 4


def test_the_served_bid_entry_names_no_bidder_no_time_and_not_which_bid_action():
    served = [audit.served(e) for e in round_with_bids()]
    sealed = [s for s in served if s.sealed]
    assert [s.seq for s in sealed] == [3, 4, 5]
    assert {s.actor for s in sealed} == {audit.SEALED_ACTOR}
    assert {s.action for s in sealed} == {audit.SEALED_ACTION} and {s.at for s in sealed} == {None}
    assert served[0].actor == "authority:11" and served[0].at == T0 and served[-1].action == "close_submissions"


def test_a_sealed_entry_hash_cannot_be_matched_to_a_guessed_bidder_and_time():
    entries = round_with_bids()
    sealed = entries[2]
    guess = audit.entry_hash(7, 3, "cso:c5", "submit_bid", sealed.at, sealed.payload_hash, sealed.previous_hash)
    assert guess != sealed.entry_hash


def test_entries_written_before_salting_existed_keep_their_hash():
    unsalted = audit.next_entry(None, 7, "authority:11", "create", T0, {"n": 0})
    fields = (7, 1, "authority:11", "create", T0, unsalted.payload_hash, audit.GENESIS)
    assert unsalted.salt is None and audit.entry_hash(*fields) == unsalted.entry_hash


def test_a_question_entry_hides_only_who_asked():
    entry = audit.next_entry(None, 7, "cso:c5", "ask", T0, {"question": "?"}, "ab" * 32)
    view = audit.served(entry)
    assert view.actor == audit.ANONYMOUS_ACTOR and view.action == "ask" and view.at == T0
