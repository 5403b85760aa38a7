"""Preference rules: legal notices cannot be switched off, languages are ro/ru/en, digests hold only low e-mail."""

from __future__ import annotations

import pytest

from services.notifications.domain.preferences import PreferenceError, Preferences


def test_switching_off_an_award_decision_is_refused_naming_the_event():
    with pytest.raises(PreferenceError) as refused:
        Preferences(events={"award.decided": {"email": False}}).validate()
    assert refused.value.field == "events.award.decided"
    assert "award.decided is a legal notice" in str(refused.value)


def test_legal_notices_arrive_even_with_every_channel_switched_off():
    muted = Preferences(channels={"email": False, "inbox": False, "webhook": False})
    assert muted.wants("award.decided", "email") and muted.wants("contract.terminated", "inbox")
    assert not muted.wants("tender.published", "email")


def test_a_per_event_switch_wins_over_the_channel_default():
    chosen = Preferences(channels={"email": False}, events={"tender.invitation_sent": {"email": True}})
    assert chosen.wants("tender.invitation_sent", "email") and not chosen.wants("bid.submitted", "email")


def test_an_unknown_language_is_refused_and_a_missing_one_falls_back_to_the_directory_then_romanian():
    with pytest.raises(PreferenceError) as refused:
        Preferences(language="fr").validate()
    assert refused.value.field == "language"
    assert Preferences().language_or("ru") == "ru"
    assert Preferences().language_or("uk") == "ro"
    assert Preferences(language="en").language_or("ru") == "en"


def test_a_digest_holds_only_low_priority_email():
    digest = Preferences(digest=True)
    assert digest.holds_for_digest("tender.published", "email")
    assert not digest.holds_for_digest("tender.published", "inbox")
    assert not digest.holds_for_digest("tender.invitation_sent", "email")
    assert not Preferences().holds_for_digest("tender.published", "email")
