"""The registry announces its nomenclature on the bus, so other services keep a replica of it (issue 14 #4)."""

from __future__ import annotations

LABELS = {
    "name_ro": "Angajare asistată",
    "name_ru": "Сопровождаемое трудоустройство",
    "name_en": "Supported employment",
}


def test_a_service_type_an_operator_adds_is_announced_with_its_labels(registry):
    headers = registry.headers("operator")
    created = registry.client.post(
        "/api/v1/service-types", json={"code": "supported-employment", **LABELS}, headers=headers
    )
    assert created.status_code == 201
    announced = [e for e in registry.events() if e.type == "service_type.added"]
    assert [e.payload for e in announced] == [{"code": "supported-employment", **LABELS, "version": 1}]


def test_a_refused_service_type_is_not_announced(registry):
    headers = registry.headers("operator")
    registry.client.post("/api/v1/service-types", json={"code": "home-care", **LABELS}, headers=headers)
    assert "service_type.added" not in registry.event_types()
