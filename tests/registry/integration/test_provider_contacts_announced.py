"""Providers registered before provider events carried contact facts are announced again, with a new version, so
every replica (and contracting's OCDS parties) learns their telephone and address; the others are left alone."""

from __future__ import annotations

import json

import sqlalchemy as sa

from services.common.migrations import upgrade


def test_a_provider_with_a_telephone_is_announced_once_with_a_new_version_and_one_without_contacts_is_not(tmp_path):
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    upgrade("registry", url, "0006")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM outbox"))
        insert = sa.text(
            "INSERT INTO providers (id, idno, legal_name, legal_form, email, phone, address, languages, status,"
            " version, created_at) VALUES (:id, :idno, :name, 'asociație obștească', :email, :phone, :address,"
            " '[\"ro\"]', 'active', 3, '2026-01-01 00:00:00')"
        )
        speranta = {"id": 1, "idno": "1003600011111", "name": "AO Casa Speranței", "email": "info@speranta.md"}
        connection.execute(insert, {**speranta, "phone": "+373 22 123456", "address": "str. Unirii 5"})
        silent = {"id": 2, "idno": "1003600022222", "name": "AO Fără Contacte", "email": None}
        connection.execute(insert, {**silent, "phone": None, "address": None})
        connection.execute(sa.text("INSERT INTO provider_districts VALUES (1, 'MD-CU')"))
    upgrade("registry", url)
    with engine.connect() as connection:
        bodies = connection.execute(sa.text("SELECT event_type, body FROM outbox")).all()
        versions = dict(connection.execute(sa.text("SELECT id, version FROM providers")).all())
    engine.dispose()
    assert [event_type for event_type, _ in bodies] == ["provider.updated"]
    payload = json.loads(bodies[0][1])["payload"]
    assert payload == {
        "provider_id": 1,
        "idno": "1003600011111",
        "legal_name": "AO Casa Speranței",
        "districts_served": ["MD-CU"],
        "languages": ["ro"],
        "email": "info@speranta.md",
        "phone": "+373 22 123456",
        "address": "str. Unirii 5",
        "status": "active",
        "version": 4,
    }
    assert versions == {1: 4, 2: 3}
