"""Templates: every event type reads in ro, ru and en; a missing or broken translation falls back to ro."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.notifications.adapters.templates import TemplateRenderer
from services.notifications.config import TEMPLATES_DIR

EVENT_TYPES = sorted(path.name for path in TEMPLATES_DIR.iterdir() if path.is_dir() and path.name != "_footer")
CONTEXT = {
    "event": {"title": "Centru de zi", "district_code": "MD-CU", "amount": "1500.50", "contract_id": 3},
    "event_type": "contract.signed",
    "correlation_id": "ocds-sscp01-7",
    "occurred_at": "2026-11-24T09:00:00+00:00",
    "recipient": {"key": "provider:1", "name": "AO Casa"},
    "bidder": {"result": "awarded", "rank": 1, "total_score": "90", "scores": {"price": 100}},
    "items": [{"subject": "Licitație nouă", "created_at": "2026-11-24T09:00:00+00:00"}],
    "count": 1,
}


@pytest.mark.parametrize("event_type", EVENT_TYPES)
@pytest.mark.parametrize("language", ["ro", "ru", "en"])
def test_every_event_type_has_its_own_subject_and_body_in_each_language(event_type, language):
    rendered = TemplateRenderer(TEMPLATES_DIR).render(event_type, language, CONTEXT)
    assert rendered.template == f"{event_type}/{language}.txt"
    assert rendered.subject and "\n" not in rendered.subject
    assert len(rendered.body.strip()) > 20


@pytest.mark.parametrize("event_type", [name for name in EVENT_TYPES if not name.startswith("_")])
@pytest.mark.parametrize(("language", "words"), [("ro", "Deschideți pagina în portal"), ("ru", "Открыть на портале")])
def test_every_notice_links_to_the_portal_page_where_its_recipient_acts(event_type, language, words):
    link = "https://portal.example.md/cso/contracts/3"
    rendered = TemplateRenderer(TEMPLATES_DIR).render(event_type, language, {**CONTEXT, "portal_link": link})
    assert f"{words}: {link}\n" in rendered.body
    assert rendered.body.rstrip().splitlines()[-3] == "—"


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).parent.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")


def test_a_missing_translation_falls_back_to_romanian(tmp_path):
    write(tmp_path, "bid.submitted/ro.txt", "Ofertă primită {{ event.bid_id }}\n\nCorp")
    rendered = TemplateRenderer(tmp_path).render("bid.submitted", "ru", {"event": {"bid_id": 5}})
    assert (rendered.subject, rendered.template) == ("Ofertă primită 5", "bid.submitted/ro.txt")


def test_a_broken_translation_falls_back_to_romanian_instead_of_failing(tmp_path):
    write(tmp_path, "bid.submitted/en.txt", "Bid {{ event.bid_id | no_such_filter }}\n")
    write(tmp_path, "bid.submitted/ro.txt", "Ofertă {{ event.bid_id }}\n")
    assert TemplateRenderer(tmp_path).render("bid.submitted", "en", {"event": {"bid_id": 5}}).subject == "Ofertă 5"


def test_with_no_template_at_all_a_plain_notice_is_built(tmp_path):
    rendered = TemplateRenderer(tmp_path).render("contract.renewed", "en", {"event": {"contract_id": 3}})
    assert rendered.subject == "contract.renewed" and '"contract_id": 3' in rendered.body


def test_missing_payload_fields_render_empty_and_a_newline_in_a_title_cannot_break_the_subject():
    renderer = TemplateRenderer(TEMPLATES_DIR)
    rendered = renderer.render("tender.published", "ro", {"event": {"title": "Apel\nBcc: x@evil.md"}})
    assert rendered.subject == "Licitație nouă: Apel"
    assert "Bcc" not in rendered.subject
