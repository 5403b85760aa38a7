"""Registry fixtures: one seeded, migrated database built once per session and copied for each test.

The seed holds one account per role, two providers and their accreditations, so each test (and each cell of
the authorization matrix) starts from the same known state in milliseconds instead of re-hashing passwords.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from services.common.bus.envelope import Envelope
from services.common.call import Call
from services.common.db import make_engine, make_session_factory
from services.common.migrations import upgrade
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.keys import KeyRing
from services.registry.adapters.orm import OutboxMessage, User
from services.registry.adapters.tokens import issue_access_token
from services.registry.entrypoints.api import create_app
from services.registry.service_layer.accreditations import change_accreditation_status
from services.registry.service_layer.commands import (
    ChangeAccreditationStatus,
    CreateUser,
    GrantAccreditation,
    RegisterProvider,
)
from services.registry.service_layer.handlers import create_user, grant_accreditation, register_provider
from services.registry.service_layer.users import set_user_active
from tests.clock import Clock

PASSWORD = "correct-horse-battery"
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PROVIDER_CU = {"idno": "1003600012345", "legal_name": "AO Casa Speranței", "districts_served": ["MD-CU"]}
PROVIDER_BA = {"idno": "1003600054321", "legal_name": "AO Pas cu Pas", "districts_served": ["MD-BA"]}


def accreditation_body(service_type: str = "home-care", certificate: str = "ANAS-1", **dates) -> dict:
    return {
        "service_type": service_type,
        "accrediting_body": "Agenția Națională pentru Asistență Socială",
        "certificate_number": certificate,
        "valid_from": dates.get("valid_from", date(2025, 1, 1)),
        "valid_to": dates.get("valid_to", date(2029, 12, 31)),
    }


@dataclass
class Seed:
    """What the template database holds: ids by name and a token per role."""

    database: Path
    keys_dir: Path
    ids: dict[str, int] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Actor:
    """Stands in for a token's principal when seeding through the service layer."""

    subject: str
    role: str
    district_code: str | None = None
    provider_id: int | None = None


def _seed(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)

    def call(principal: Actor | None = None) -> Call:
        """The seed is the platform itself (no principal) unless it acts as someone."""
        return Call(UnitOfWork(sessions, OutboxMessage, producer="registry"), principal, START)

    ids = {
        "provider_cu": register_provider(call(), RegisterProvider(**PROVIDER_CU)).id,
        "provider_ba": register_provider(call(), RegisterProvider(**PROVIDER_BA)).id,
    }
    ids["accreditation_cu"] = grant_accreditation(
        call(), ids["provider_cu"], GrantAccreditation(**accreditation_body())
    ).id
    ids["accreditation_ba"] = grant_accreditation(
        call(), ids["provider_ba"], GrantAccreditation(**accreditation_body(certificate="ANAS-2"))
    ).id
    suspension = ChangeAccreditationStatus("suspend", "inspection pending")
    change_accreditation_status(call(), ids["accreditation_ba"], suspension)
    accounts = {
        "operator": {"role": "operator"},
        "service": {"role": "service"},
        "authority": {"role": "authority", "district_code": "MD-CU"},
        "authority_ba": {"role": "authority", "district_code": "MD-BA"},
        "evaluator": {"role": "evaluator", "district_code": "MD-CU"},
        "evaluator_idle": {"role": "evaluator", "district_code": "MD-CU"},
        "evaluator_ba": {"role": "evaluator", "district_code": "MD-BA"},
        "cso": {"role": "cso", "provider_id": ids["provider_cu"]},
    }
    for name, account in accounts.items():
        ids[f"user_{name}"] = create_user(call(), CreateUser(email=f"{name}@sscp.md", password=PASSWORD, **account)).id
    set_user_active(call(Actor(str(ids["user_operator"]), "operator")), ids["user_evaluator_idle"], "deactivate")
    with sessions() as session, session.begin():
        # Each test asserts on the events its own requests emit, not on the seed's.
        session.execute(delete(OutboxMessage))
    engine.dispose()
    return ids


def _tokens(database_url: str, keys_dir: Path, ids: dict[str, int]) -> dict[str, dict[str, str]]:
    engine = make_engine(database_url)
    key = KeyRing(keys_dir).signing_key()
    headers = {"anonymous": {}}
    with make_session_factory(engine)() as session:
        for role in ("operator", "authority", "evaluator", "cso", "service", "authority_ba"):
            user = session.get(User, ids[f"user_{role}"])
            token = issue_access_token(user, key, 3600, "sscp-registry", "sscp")
            headers[role] = {"Authorization": f"Bearer {token}"}
    engine.dispose()
    return headers


@pytest.fixture(scope="session")
def registry_seed(tmp_path_factory) -> Seed:
    directory = tmp_path_factory.mktemp("registry-seed")
    database = directory / "registry.sqlite"
    url = f"sqlite:///{database}"
    upgrade("registry", url)
    seed = Seed(database=database, keys_dir=directory / "keys")
    seed.ids = _seed(url)
    seed.headers = _tokens(url, seed.keys_dir, seed.ids)
    return seed


@dataclass
class Registry:
    """A registry app on a private copy of the seeded database."""

    app: object
    seed: Seed
    clock: Clock

    @property
    def client(self):
        return self.app.test_client()

    @property
    def context(self):
        return self.app.extensions["service_context"]

    def headers(self, role: str) -> dict[str, str]:
        return self.seed.headers[role]

    def id(self, name: str) -> int:
        return self.seed.ids[name]

    def events(self) -> list[Envelope]:
        with self.context.session_factory() as session:
            bodies = session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id))
            return [Envelope.from_dict(body) for body in bodies]

    def event_types(self) -> list[str]:
        return [event.type for event in self.events()]


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def registry(registry_seed, tmp_path, brokerless_bus_url, clock) -> Registry:
    database = tmp_path / "registry.sqlite"
    shutil.copyfile(registry_seed.database, database)
    config = {"DATABASE_URL": f"sqlite:///{database}", "BUS_URL": brokerless_bus_url}
    app = create_app({**config, "JWT_KEYS_DIR": str(registry_seed.keys_dir)}, clock=clock)
    yield Registry(app, registry_seed, clock)
    app.extensions["service_context"].engine.dispose()
