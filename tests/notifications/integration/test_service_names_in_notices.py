"""Notices name the service in the reader's language, also for a service type an operator added after the start:
the registry announces it (service_type.added) and notifications keeps its names (issue 14 #9)."""

from __future__ import annotations

from tests.notifications.conftest import accreditation_granted, deliveries, event, provider_registered, tender_payload

SUPPORTED_EMPLOYMENT = {
    "code": "supported-employment",
    "name_ro": "Angajare asistată",
    "name_ru": "Сопровождаемое трудоустройство",
    "name_en": "Supported employment",
    "version": 1,
}


def test_a_call_for_a_service_the_registry_added_later_names_it_in_each_readers_language(context, consumer):
    consumer.process(event("service_type.added", SUPPORTED_EMPLOYMENT))
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(provider_registered(2, "ajutor@example.md", languages=("ru", "ro")))
    for accreditation_id, provider_id in ((11, 1), (12, 2)):
        consumer.process(accreditation_granted(accreditation_id, provider_id, service_type="supported-employment"))

    consumer.process(event("tender.published", tender_payload(service_type="supported-employment"), "ocds-sscp01-7"))

    romanian, russian = deliveries(context, event_type="tender.published", channel="email")
    assert "„Angajare asistată”" in romanian.body and "Chișinău" in romanian.body
    assert "«Сопровождаемое трудоустройство»" in russian.body and "Кишинёв" in russian.body
    assert "supported-employment" not in romanian.body + russian.body


def test_a_district_department_is_greeted_by_its_name_in_its_language_not_by_its_code(
    client, context, consumer, token_mint
):
    operator = token_mint.headers("operator", "op-1")
    body = {"email": "asistenta@chisinau.md", "language": "ru"}
    assert client.put("/api/v1/authority-contacts/MD-CU", json=body, headers=operator).status_code == 200

    consumer.process(event("complaint.lodged", {"district_code": "MD-CU", "provider_id": 2, "complaint_id": 4}))

    (mail,) = deliveries(context, recipient="district:MD-CU", channel="email")
    assert "Здравствуйте, Управление социальной помощи (Кишинёв)!" in mail.body
    assert "MD-CU" not in mail.subject + mail.body and "district" not in mail.body
