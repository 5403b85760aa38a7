"""Every event a person receives has its own written notice in ro, ru and en, and no notice shows a raw code
(issue 14 #9: contract events came out as "Notificare: contract.expiring … Stare: expired", and texts put
`MD-CU` and `home-care` inside Romanian sentences)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.notifications.adapters.templates import TemplateRenderer
from services.notifications.config import TEMPLATES_DIR
from services.notifications.domain.routing import NOTICES, ROUTES, route_for

LANGUAGES = ("ro", "ru", "en")
CONTRACTING = Path(__file__).resolve().parents[3] / "services" / "contracting"
EVENT_LITERAL = re.compile(r'"((?:tender|bid|award|complaint|contract|report|milestone|continuity)\.[a-z_]+)"')
# Events contracting names through an f-string (complaint.{decision}, report.{kind}): their possible values.
FORMATTED_EVENTS = {"complaint.upheld", "complaint.rejected", "report.accepted", "report.returned"}

CONTRACT = {
    "contract_id": 12,
    "provider_id": 4,
    "status": "active",
    "places": 10,
    "value": "480000.00",
    "start_at": "2027-01-01T00:00:00+00:00",
    "end_at": "2027-12-31T00:00:00+00:00",
    "days_left": 60,
    "kinds": ["extension"],
    "changes": {"extension": {"months": 12, "end_at": "2028-12-31T00:00:00+00:00"}},
    "months": 12,
    "renewals": 1,
    "proposal_id": 3,
    "reasons": ["all reports accepted", "KPIs met"],
    "side": "provider",
}
SAMPLE = {
    "tender_id": 7,
    "ocid": "ocds-sscp01-7",
    "title": "Îngrijire la domiciliu, 10 locuri",
    "district_code": "MD-CU",
    "service_type": "home-care",
    "status": "active.standstill",
    "enquiry_end": "2026-12-01T10:00:00+00:00",
    "submission_deadline": "2026-12-10T10:00:00+00:00",
    "standstill_end": "2026-12-20T10:00:00+00:00",
    **CONTRACT,
}
DOCUMENT = {
    "document_id": 9,
    "title": "Caietul de sarcini, versiunea 2",
    "file_name": "caiet-v2.pdf",
    "sha256": "ab" * 32,
    "url": "https://sscp.gov.md/api/v1/documents/9/download",
}
# Per event, what its payload carries where it differs from the sample.
PAYLOADS = {
    "tender.unsuccessful": {"status": "unsuccessful", "reason": "below_quality_floor"},
    "contract.expired": {"status": "expired"},
    "contract.cancelled": {"status": "cancelled", "reason": "Prestatorul a renunțat"},
    "contract.terminated": {"status": "terminated", "reason": "Neexecutarea obligațiilor"},
    "contract.created": {"status": "pending"},
    "contract.signed": {"status": "pending"},
    "contract.amended": {"reason": "Prelungire cu 12 luni"},
    "continuity.at_risk": {"reason": "no_contract"},
    "document.added": {**DOCUMENT, "kind": "amendment", "replaces_id": 8},
    "contract.document_added": {**DOCUMENT, "kind": "contract", "owner_id": 12},
}
# An ineligible bidder: contracting's reason is its own English, naming codes, and must not reach the notice.
BIDDER = {
    "provider_id": 4,
    "result": "ineligible",
    "rank": None,
    "total_score": None,
    "scores": {},
    "reason": "not accredited for home-care on 2026-12-10, not active, or not serving MD-CU (registry data)",
}
# What must never reach a person: codes of districts, services, events and statuses.
CODES = ("MD-CU", "home-care", "active.standstill", "not_awarded", "below_quality_floor", "renewal_proposed")
ENGLISH_STATUSES = ("active", "pending", "expired", "cancelled", "terminated", "unsuccessful", "disqualified")


def render(event_type: str, language: str, recipient: str = "provider:4"):
    context = {
        "event": {**SAMPLE, **PAYLOADS.get(event_type, {})},
        "event_type": event_type,
        "correlation_id": "ocds-sscp01-7",
        "occurred_at": "2026-11-24T09:00:00+00:00",
        "recipient": {"key": recipient, "name": "AO Casa Speranței", "provider_id": 4},
        "bidder": BIDDER,
    }
    return TemplateRenderer(TEMPLATES_DIR).render(event_type, language, context)


def test_every_notice_is_routed_and_every_route_serves_a_notice():
    assert [event_type for event_type in NOTICES if route_for(event_type) is None] == []
    patterns = [route.pattern for route in ROUTES]
    assert [p for p in patterns if not any(route_for(e) and route_for(e).pattern == p for e in NOTICES)] == []


def test_every_event_contracting_publishes_that_a_route_takes_is_a_written_notice():
    published = set(FORMATTED_EVENTS)
    for source in CONTRACTING.rglob("*.py"):
        published |= set(EVENT_LITERAL.findall(source.read_text(encoding="utf-8")))
    routed = {event_type for event_type in published if route_for(event_type)}
    assert sorted(routed - set(NOTICES)) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_type", NOTICES)
def test_every_routed_event_has_its_own_template_in_each_language(event_type, language):
    assert (TEMPLATES_DIR / event_type / f"{language}.txt").is_file(), f"{event_type} has no {language} notice"
    assert render(event_type, language).template == f"{event_type}/{language}.txt"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_type", NOTICES)
def test_no_notice_shows_a_raw_code_in_its_subject_or_body(event_type, language):
    for recipient in ("provider:4", "district:MD-CU"):
        rendered = render(event_type, language, recipient)
        text = f"{rendered.subject}\n{rendered.body}"
        leaked = [code for code in (*CODES, *NOTICES) if code in text]
        leaked += re.findall(r"\bNone\b", text)  # a missing value printed as Python's None
        if language != "en":
            leaked += [word for word in ENGLISH_STATUSES if re.search(rf"\b{word}\b", text)]
        assert leaked == [], f"{event_type}/{language} for {recipient} shows {leaked}:\n{text}"


@pytest.mark.parametrize(
    ("language", "district", "service"),
    [("ro", "Chișinău", "Îngrijire socială la domiciliu"), ("ru", "Кишинёв", "Социальный уход на дому")],
)
def test_a_new_call_names_its_district_and_service_in_the_readers_language(language, district, service):
    rendered = render("tender.published", language)
    assert district in rendered.body and service in rendered.body
