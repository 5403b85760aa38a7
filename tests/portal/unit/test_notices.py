"""A CSO's notices: unread first, newest first, each linked to the call its OCID names."""

from __future__ import annotations

from services.portal.domain.notices import Notice, tender_id_of, unread_first


def row(message_id: int, created_at: str, read_at: str | None = None, correlation_id: str | None = None) -> dict:
    return {
        "id": message_id,
        "subject": f"Notice {message_id}",
        "body": "Bună ziua,\n\nText.\n\n—\nPlatforma",
        "event_type": "tender.published",
        "created_at": created_at,
        "read_at": read_at,
        "correlation_id": correlation_id,
    }


def test_the_call_a_notice_is_about_is_read_from_its_ocid():
    assert tender_id_of("ocds-sscp01-7") == 7
    assert tender_id_of("ocds-abc123-sub-42") == 42


def test_a_notice_about_no_call_links_nowhere():
    assert tender_id_of(None) is None
    assert tender_id_of("") is None
    assert tender_id_of("digest-2026-12-05") is None


def test_unread_notices_come_first_and_each_group_is_newest_first():
    rows = [
        row(1, "2026-12-01T10:00:00+00:00", read_at="2026-12-02T10:00:00+00:00"),
        row(2, "2026-12-03T10:00:00+00:00"),
        row(3, "2026-12-04T10:00:00+00:00", read_at="2026-12-04T11:00:00+00:00"),
        row(4, "2026-12-02T10:00:00+00:00"),
    ]

    assert [notice.id for notice in unread_first(rows)] == [2, 4, 3, 1]


def test_a_notice_keeps_its_paragraphs_and_its_call():
    notice = unread_first([row(5, "2026-12-05T10:00:00+00:00", correlation_id="ocds-sscp01-8")])[0]

    assert notice.unread
    assert notice.tender_id == 8
    assert notice.paragraphs == ["Bună ziua,", "Text.", "—\nPlatforma"]


def test_a_notice_about_a_contract_or_its_reports_is_marked_as_such():
    about_report = {**row(6, "2026-12-05T10:00:00+00:00"), "event_type": "report.returned"}

    notices = unread_first([about_report, row(7, "2026-12-04T10:00:00+00:00")])

    assert [notice.about_a_contract for notice in notices] == [True, False]


def test_the_portal_link_at_the_end_of_a_notice_becomes_its_button_and_leaves_the_text():
    body = "Raportul a fost returnat.\n\nDeschideți pagina în portal: http://127.0.0.1:5000/cso/contracts/5\n\n—\nPlatforma"
    notice = Notice.from_inbox({"id": 1, "subject": "Raport", "body": body, "event_type": "report.returned"})
    assert notice.link_path == "/cso/contracts/5"
    assert notice.paragraphs == ["Raportul a fost returnat.", "—\nPlatforma"]


def test_a_notice_without_a_portal_link_has_no_button():
    notice = Notice.from_inbox({"id": 1, "subject": "Raport", "body": "Text.\n\nVezi: nimic", "event_type": "x"})
    assert notice.link_path is None
