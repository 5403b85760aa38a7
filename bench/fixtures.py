"""Data the benchmarks stand on: published tenders inserted fast with SQLAlchemy core, one eligible provider,
its registry event, and CSO tokens signed by the registry's own key ring.

Ids are explicit so a load script can compute them: tender ``i`` has lot ``i`` and criteria ``2i-1`` (price)
and ``2i`` (quality).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import insert

from services.common.bus.envelope import Envelope
from services.common.db import make_engine
from services.registry.domain.reference_data import DISTRICTS, SERVICE_TYPES

BATCH = 2000
PROVIDER_ID = 1
PROVIDER_EMAIL = "bench-cso@example.org"


def seed_tenders(database_url: str, count: int, first_id: int = 1) -> None:
    """``count`` tenders open for bids (active.tendering, deadline in 30 days), each with one lot and two criteria."""
    from services.contracting.adapters import models  # noqa: F401  (every table on the metadata)
    from services.contracting.adapters.orm_tendering import Criterion, Lot, Tender

    now = datetime.now(UTC)
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for start in range(first_id, first_id + count, BATCH):
            ids = range(start, min(start + BATCH, first_id + count))
            connection.execute(insert(Tender), [_tender(i, now) for i in ids])
            connection.execute(insert(Lot), [_lot(i) for i in ids])
            connection.execute(insert(Criterion), [row for i in ids for row in _criteria(i)])
    engine.dispose()


def _tender(i: int, now: datetime) -> dict:
    district = DISTRICTS[i % len(DISTRICTS)]
    service = SERVICE_TYPES[i % len(SERVICE_TYPES)]
    return {
        "id": i,
        "district_code": district.code,
        "service_type": service.code,
        "title": f"{service.ro} — {district.ro} ({i})",
        "description": f"Serviciul social «{service.ro}» pentru raionul {district.ro}: 10 beneficiari, 12 luni.",
        "status": "active.tendering",
        "enquiry_end": now - timedelta(days=1),
        "submission_deadline": now + timedelta(days=30),
        "created_by": "bench",
        "created_at": now - timedelta(days=8),
        "published_at": now - timedelta(days=7),
        "committee_size": 3,
        "standstill_days": 6,
    }


def _lot(i: int) -> dict:
    lot = {"id": i, "tender_id": i, "number": 1, "title": "Lotul 1", "places": 10}
    return lot | {"budget": 250000, "duration_months": 12}


def _criteria(i: int) -> list[dict]:
    price = {"id": 2 * i - 1, "tender_id": i, "number": 1, "kind": "price", "name": "Preț", "weight": 40}
    quality = {"id": 2 * i, "tender_id": i, "number": 2, "kind": "quality", "name": "Calitatea", "weight": 60}
    return [price, quality]


def seed_eligible_provider(database_url: str) -> None:
    """Contracting's replica of one CSO accredited for every service type and serving every district."""
    from services.contracting.adapters import models  # noqa: F401
    from services.contracting.adapters.orm_replicas import AccreditationReplica, ProviderReplica

    today = datetime.now(UTC).date()
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(insert(ProviderReplica), [_provider_row()])
        accreditations = [
            {"accreditation_id": n, "provider_id": PROVIDER_ID, "service_type": service.code, "status": "active"}
            | {"valid_from": today - timedelta(days=365), "valid_to": today + timedelta(days=365), "version": 1}
            for n, service in enumerate(SERVICE_TYPES, 1)
        ]
        connection.execute(insert(AccreditationReplica), accreditations)
    engine.dispose()


def _provider_row() -> dict:
    return {
        "provider_id": PROVIDER_ID,
        "idno": "1003600000001",
        "legal_name": "AO Bench Servicii Sociale",
        "districts_served": [district.code for district in DISTRICTS],
        "status": "active",
        "version": 1,
    }


def provider_registered() -> Envelope:
    """The registry's event that puts the CSO (with an e-mail) in notifications' directory."""
    payload = _provider_row() | {"email": PROVIDER_EMAIL, "languages": ["ro"]}
    return Envelope(type="provider.registered", payload=payload, producer="registry")


def cso_tokens(keys_dir: Path, count: int, ttl_seconds: int = 7200) -> list[str]:
    """One token per CSO (provider ids 1..count), signed the registry's way with the key ring in ``keys_dir``."""
    from services.registry.adapters.keys import KeyRing
    from services.registry.adapters.tokens import issue_access_token

    key = KeyRing(keys_dir).signing_key()
    users = [SimpleNamespace(id=1000 + n, role="cso", district_code=None, provider_id=n) for n in range(1, count + 1)]
    return [issue_access_token(user, key, ttl_seconds, "sscp-registry", "sscp") for user in users]
