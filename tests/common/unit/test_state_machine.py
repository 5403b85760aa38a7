"""The one state-machine helper every status (tender, contract, report, delivery) is built on."""

from __future__ import annotations

import pytest

from services.common.errors import Conflict, InvalidTransition
from services.common.state_machine import StateMachine

DOOR = StateMachine(
    "door",
    {
        "open": {"closed": "open"},
        "close": {"open": "closed"},
        "lock": {"closed": "locked"},
        "unlock": {"locked": "closed"},
        "slam": {"open": "closed"},
        "settle": {"closed": "closed"},
    },
    automatic={"settle"},
)


def test_the_next_status_is_read_from_the_table():
    assert DOOR.next("closed", "lock") == "locked"
    assert DOOR.next("locked", "unlock") == "closed"


def test_the_actions_allowed_from_a_status_are_listed_in_order_without_the_automatic_ones():
    assert DOOR.allowed("closed") == ["lock", "open"]
    assert DOOR.allowed("open") == ["close", "slam"]


def test_an_automatic_action_still_moves_although_nobody_is_offered_it():
    assert DOOR.next("closed", "settle") == "closed"


def test_a_status_with_no_way_out_or_an_unknown_one_allows_nothing():
    machine = StateMachine("letter", {"send": {"draft": "sent"}})
    assert machine.allowed("sent") == []
    assert machine.allowed("shredded") == []


def test_a_refused_move_is_a_409_naming_the_entity_the_status_and_what_is_allowed():
    with pytest.raises(InvalidTransition) as refused:
        DOOR.next("locked", "open")
    assert isinstance(refused.value, Conflict) and refused.value.status_code == 409
    assert refused.value.details == {"current_status": "locked", "allowed_transitions": ["unlock"]}
    assert refused.value.message == "door is 'locked': cannot open; allowed next: unlock"
    assert (refused.value.entity, refused.value.current, refused.value.attempted) == ("door", "locked", "open")
    assert refused.value.allowed == ["unlock"]


def test_an_unknown_action_is_refused_like_any_other_illegal_move():
    with pytest.raises(InvalidTransition) as refused:
        DOOR.next("open", "paint")
    assert refused.value.details == {"current_status": "open", "allowed_transitions": ["close", "slam"]}


def test_a_dead_end_says_none_is_allowed():
    with pytest.raises(InvalidTransition) as refused:
        StateMachine("letter", {"send": {"draft": "sent"}}).next("sent", "send")
    assert refused.value.message == "letter is 'sent': cannot send; allowed next: none"
    assert refused.value.allowed == []


def test_the_statuses_reachable_next_are_listed_once_each_in_order():
    assert DOOR.next_statuses("open") == ["closed"]
    assert DOOR.next_statuses("closed") == ["locked", "open"]
    assert DOOR.next_statuses("nowhere") == []
