"""The notifications worker on its migrated database: who each event reaches, on which channels, exactly once."""

from __future__ import annotations

import pytest

from services.notifications.service_layer.deliveries import handle_event
from tests.notifications.conftest import (
    accreditation_granted,
    deliveries,
    event,
    provider_registered,
    tender_payload,
)
from tests.statements import StatementLog


@pytest.fixture
def directory(consumer):
    """Three CSOs: two accredited for home care in Chișinău (one prefers Russian), one serving Bălți only."""
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(provider_registered(2, "ajutor@example.md", languages=("ru", "ro")))
    consumer.process(provider_registered(3, "balti@example.md", districts=("MD-BA",)))
    for accreditation_id, provider_id in ((11, 1), (12, 2), (13, 3)):
        consumer.process(accreditation_granted(accreditation_id, provider_id))
    return consumer


def test_a_published_tender_reaches_every_accredited_cso_of_the_district_by_email_and_inbox(context, directory):
    directory.process(event("tender.published", tender_payload(), "ocds-sscp01-7"))
    emails = deliveries(context, event_type="tender.published", channel="email")
    assert [(d.recipient, d.address, d.language) for d in emails] == [
        ("provider:1", "casa@example.md", "ro"),
        ("provider:2", "ajutor@example.md", "ru"),
    ]
    assert emails[0].subject == "Licitație nouă: Îngrijire la domiciliu, Chișinău"
    assert emails[1].subject == "Новый тендер: Îngrijire la domiciliu, Chișinău"
    assert "09.12.2026 11:00 (EET)" in emails[0].body  # the deadline in Chișinău time, not UTC
    inbox = deliveries(context, event_type="tender.published", channel="inbox")
    assert [d.recipient for d in inbox] == ["provider:1", "provider:2"]


def test_an_invitation_reaches_only_the_invited_cso(context, directory):
    directory.process(event("tender.invitation_sent", tender_payload(provider_id=2), "ocds-sscp01-7"))
    sent = deliveries(context, event_type="tender.invitation_sent", channel="email")
    assert [(d.recipient, d.address) for d in sent] == [("provider:2", "ajutor@example.md")]


def test_a_bid_receipt_tells_the_bidder_the_hash_of_its_bid(context, directory):
    receipt = "9f2c" * 16
    payload = {"provider_id": 1, "bid_id": 5, "district_code": "MD-CU", "receipt_sha256": receipt}
    directory.process(event("bid.submitted", {**payload, "received_at": "2026-11-30T08:15:00+00:00"}, "ocds-1"))
    (mail,) = deliveries(context, event_type="bid.submitted", channel="email")
    assert mail.recipient == "provider:1"
    assert receipt in mail.body and "30.11.2026 10:15" in mail.body


def test_an_award_decision_tells_each_bidder_its_own_result_rank_and_scores(context, directory):
    bidders = [
        {"provider_id": 1, "result": "awarded", "rank": 1, "total_score": "91.5", "scores": {"price": 100}},
        {"provider_id": 2, "result": "not_awarded", "rank": 2, "total_score": "78.0", "scores": {"price": 80}},
    ]
    payload = {"district_code": "MD-CU", "title": "Îngrijire", "bidders": bidders}
    directory.process(event("award.decided", payload, "ocds-sscp01-7"))
    by_recipient = {d.recipient: d for d in deliveries(context, event_type="award.decided", channel="email")}
    assert "oferta dumneavoastră a câștigat" in by_recipient["provider:1"].body
    assert "Locul în clasament: 1" in by_recipient["provider:1"].body
    assert "ваше предложение не победило" in by_recipient["provider:2"].body
    assert "price: 80" in by_recipient["provider:2"].body and "78.0" in by_recipient["provider:2"].body


def test_an_amendment_reaches_every_accredited_cso_and_tells_the_bidders_to_reconfirm(context, directory):
    amended = tender_payload(submission_deadline="2026-12-16T09:00:00+00:00", reconfirm_provider_ids=[2])
    directory.process(event("tender.amended", {**amended, "rationale": "buget majorat"}, "ocds-sscp01-7"))
    by_recipient = {d.recipient: d for d in deliveries(context, event_type="tender.amended", channel="email")}
    assert set(by_recipient) == {"provider:1", "provider:2"}
    assert "16.12.2026 11:00" in by_recipient["provider:1"].body and "reconfirm" not in by_recipient["provider:1"].body
    assert "необходимо подтвердить повторно" in by_recipient["provider:2"].body


def test_a_complaint_reaches_the_district_by_its_contact_email_once_an_operator_set_one(
    client, context, directory, token_mint
):
    operator = token_mint.headers("operator", "op-1")
    body = {"email": "asistenta@chisinau.md", "language": "ru"}
    assert client.put("/api/v1/authority-contacts/MD-CU", json=body, headers=operator).status_code == 200
    directory.process(event("complaint.lodged", {"district_code": "MD-CU", "provider_id": 2, "complaint_id": 4}))
    emails = {(d.recipient, d.address, d.language) for d in deliveries(context, channel="email")}
    assert emails == {("district:MD-CU", "asistenta@chisinau.md", "ru"), ("provider:2", "ajutor@example.md", "ru")}


def test_a_district_without_contact_is_served_through_the_operators_inbox(context, directory):
    directory.process(event("continuity.at_risk", {"district_code": "MD-SO", "service_type": "day-centre"}))
    channels = {(d.recipient, d.channel) for d in deliveries(context, event_type="continuity.at_risk")}
    assert channels == {("district:MD-SO", "inbox"), ("operators", "inbox")}
    (note,) = deliveries(context, recipient="operators")
    assert "MD-SO" in note.body and "authority-contacts/MD-SO" in note.body


def test_a_redelivered_event_is_acknowledged_and_leaves_one_delivery_per_recipient_and_channel(context, directory):
    published = event("tender.published", tender_payload(), "ocds-sscp01-7")
    directory.process(published)
    directory.process(published)
    assert directory.duplicates == 1
    assert len(deliveries(context, event_type="tender.published")) == 4  # 2 CSOs x (email, inbox)


def test_a_worker_crash_before_the_ledger_commit_leaves_no_half_write_and_the_retry_writes_each_once(
    context, directory
):
    published = event("tender.published", tender_payload(), "ocds-sscp01-7")

    def crash_after_writing_rows(session, envelope):
        handle_event(session, envelope, context=context)
        session.flush()  # the rows reached the database inside the transaction
        raise RuntimeError("worker killed before the ledger commit")

    handler = directory.session_handler
    directory.session_handler = crash_after_writing_rows
    with pytest.raises(RuntimeError):
        directory.process(published)
    assert deliveries(context, event_type="tender.published") == []
    directory.session_handler = handler
    directory.process(published)
    directory.process(published)
    keys = [(d.recipient, d.channel) for d in deliveries(context, event_type="tender.published")]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 4


def test_handling_the_same_event_twice_without_the_ledger_still_records_each_delivery_once(context, directory):
    published = event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7")
    with context.session_factory() as session, session.begin():
        assert handle_event(session, published, context=context) == 2
    with context.session_factory() as session, session.begin():
        assert handle_event(session, published, context=context) == 0
    assert len(deliveries(context, event_type="tender.invitation_sent")) == 2


def test_an_event_the_ledger_vouches_for_is_not_looked_up_again_in_the_deliveries(context, directory):
    """The consumer read its ledger in the same transaction, and the ledger row commits with the deliveries: an
    event absent from it has none, so only a handler called on its own looks for them."""
    one, batch = (event("tender.invitation_sent", tender_payload(tender_id=n, provider_id=1), f"c-{n}") for n in (1, 2))
    with StatementLog(context.engine) as log:
        directory.process(one)  # one at a time
        with context.session_factory() as session, session.begin():
            directory._apply(session, [batch, batch])  # a prefetched batch, the same event twice in it
    assert not [statement for statement in log.statements if "FROM deliveries" in statement]
    assert (
        len(deliveries(context, event_id=one.event_id)) == 2 and len(deliveries(context, event_id=batch.event_id)) == 2
    )
    with StatementLog(context.engine) as log, context.session_factory() as session, session.begin():
        assert handle_event(session, one, context=context) == 0  # on its own: it looks, and finds them
    assert len([statement for statement in log.statements if "FROM deliveries" in statement]) == 1


def test_events_nobody_is_told_about_record_nothing(context, directory):
    directory.process(event("evaluation.scores_complete", {"district_code": "MD-CU"}))
    directory.process(event("notification.delivered", {"delivery_id": 1}))
    assert deliveries(context) == []


def test_a_batch_in_one_transaction_looks_each_recipient_up_once_and_writes_its_deliveries_at_commit(
    context, directory
):
    invitations = [
        event("tender.invitation_sent", tender_payload(tender_id=n, provider_id=1), f"c-{n}") for n in range(5)
    ]
    with StatementLog(context.engine) as log, context.session_factory() as session, session.begin():
        recorded = [handle_event(session, invitation, context=context) for invitation in invitations]
        again = handle_event(session, invitations[0], context=context)  # pending, not yet in the database
    assert recorded == [2] * 5 and again == 0
    assert log.count("SELECT recipient_preferences") == 1
    assert log.count("SELECT webhooks") == 1
    # Written in one flush at commit (one statement on PostgreSQL), not flushed by each next event's look-ups.
    inserts = [n for n, statement in enumerate(log.statements) if statement.startswith("INSERT INTO deliveries")]
    selects = [n for n, statement in enumerate(log.statements) if statement.startswith("SELECT")]
    assert len(inserts) == 10 and min(inserts) > max(selects)
    keys = {(d.event_id, d.channel) for d in deliveries(context, event_type="tender.invitation_sent")}
    assert keys == {(invitation.event_id, channel) for invitation in invitations for channel in ("email", "inbox")}


def test_a_directory_event_inside_a_batch_is_seen_by_the_events_after_it(context, directory):
    new_service = {"code": "respite", "name_ro": "Răgaz", "name_ru": "Передышка", "name_en": "Respite", "version": 1}
    before = event("tender.invitation_sent", tender_payload(provider_id=4, service_type="respite"), "c-1")
    after = event("tender.invitation_sent", tender_payload(provider_id=4, service_type="respite"), "c-2")
    with context.session_factory() as session, session.begin():
        handle_event(session, before, context=context)  # CSO 4 and the service are unknown yet
        handle_event(session, provider_registered(4, "nou@example.md"), context=context)
        handle_event(session, event("service_type.added", new_service), context=context)
        handle_event(session, after, context=context)
    assert [d.channel for d in deliveries(context, event_id=before.event_id)] == ["inbox"]  # no address known
    (mail,) = deliveries(context, event_id=after.event_id, channel="email")
    assert mail.address == "nou@example.md" and "Răgaz" in mail.subject + mail.body
