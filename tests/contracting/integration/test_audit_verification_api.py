"""Verifying a tender's audit chain from the API and the CLI function: intact after a real round, broken at the
very row someone altered in the database, and broken when its latest entries are deleted (the feed remembers)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.common.errors import NotFound
from services.contracting.service_layer.audit_verification import verify_audit_chain


def verify(driver, headers=None):
    return driver.client.get(f"{driver.url}/audit/verify", headers=headers or driver.tokens.authority)


def tamper(driver, statement: str, **values) -> None:
    with driver.app.extensions["service_context"].engine.begin() as connection:
        connection.execute(text(statement), {"tender_id": driver.tender["id"], **values})


def test_the_chain_of_a_decided_tender_verifies_for_its_authority_and_an_operator(decided):
    for headers in (decided.tokens.authority, decided.tokens.operator):
        response = verify(decided, headers)
        assert response.status_code == 200
        assert response.json["intact"] is True and response.json["first_broken"] is None
        assert response.json["entries"] > 10 and response.json["unanchored"] == []


def test_a_row_altered_directly_in_the_database_fails_verification_at_that_row(decided):
    tamper(decided, "UPDATE audit_log SET actor = 'authority:someone-else' WHERE tender_id = :tender_id AND seq = 4")
    result = verify(decided).json
    assert result["intact"] is False
    assert result["first_broken"]["seq"] == 4 and "altered" in result["first_broken"]["problem"]
    context = decided.app.extensions["service_context"]
    cli = verify_audit_chain(context, decided.tender["id"])
    assert not cli.intact and cli.first_broken.seq == 4
    assert cli.summary().startswith(f"tender {decided.tender['id']}: BROKEN at entry 4")


def test_a_deleted_entry_in_the_middle_is_reported_as_missing(decided):
    tamper(decided, "DELETE FROM audit_log WHERE tender_id = :tender_id AND seq = 6")
    broken = verify(decided).json["first_broken"]
    assert broken["seq"] == 7 and "missing" in broken["problem"]


def test_deleting_the_latest_entries_is_caught_because_the_published_feed_still_holds_their_hashes(decided):
    tamper(
        decided,
        "DELETE FROM audit_log WHERE tender_id = :tender_id AND seq > "
        "(SELECT max(seq) - 2 FROM audit_log WHERE tender_id = :tender_id)",
    )
    result = verify(decided).json
    assert result["first_broken"] is None  # the shortened chain still links up
    assert result["intact"] is False
    assert [u["event_type"] for u in result["unanchored"]] == ["award.decided"]
    assert "has no audit entry" in result["summary"]


def test_other_districts_get_404_and_bidders_or_anonymous_callers_are_refused(decided):
    assert verify(decided, decided.tokens.authority_other).status_code == 404
    assert verify(decided, decided.tokens.bidder).status_code == 403
    assert decided.client.get(f"{decided.url}/audit/verify").status_code == 401


def test_the_cli_function_says_an_unknown_tender_does_not_exist(contracting_app):
    with pytest.raises(NotFound):
        verify_audit_chain(contracting_app.extensions["service_context"], 999)
