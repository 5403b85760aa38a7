"""Contracting test fixtures: a movable clock, tokens for every role, and a driver that walks a tender through."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.migrations import upgrade
from services.common.reference_data import SERVICE_TYPES
from services.contracting.adapters.orm import OutboxMessage
from services.contracting.entrypoints.api import create_app
from services.contracting.service_layer.eligibility import apply_registry_event
from tests.clock import Clock
from tests.conftest import migrated_sqlite_url

DISTRICT = "MD-CU"
EVALUATORS = ("21", "22", "23")
BIDDERS = (5, 6, 7)
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class Tokens:
    """Headers for every role the authorization matrix names."""

    def __init__(self, mint) -> None:
        self.operator = mint.headers("operator", "1")
        self.authority = mint.headers("authority", "11", district_code=DISTRICT)
        self.authority_other = mint.headers("authority", "12", district_code="MD-BA")
        self.evaluators = {s: mint.headers("evaluator", s, district_code=DISTRICT) for s in (*EVALUATORS, "24")}
        self.evaluator = self.evaluators["21"]
        self.cso = {p: mint.headers("cso", f"c{p}", provider_id=p) for p in (*BIDDERS, 8)}
        self.bidder = self.cso[5]
        self.cso_other = self.cso[8]
        self.service = mint.headers("service", "flows")
        self.anonymous: dict[str, str] = {}


def seed_service_types(session) -> None:
    """The registry's seeded nomenclature, as its service_type.added events replicate it to contracting."""
    for label in SERVICE_TYPES:
        payload = {"code": label.code, "name_ro": label.ro, "name_ru": label.ru, "name_en": label.en, "version": 1}
        apply_registry_event(session, Envelope(type="service_type.added", payload=payload, producer="registry"))


def seed_market(app, providers=(*BIDDERS, 8), district: str = DISTRICT) -> None:
    """The nomenclature, and providers accredited for home care in the district, as registry events would have
    replicated them."""
    context = app.extensions["service_context"]
    with context.session_factory.begin() as session:
        seed_service_types(session)
        for provider_id in providers:
            provider = {"provider_id": provider_id, "idno": f"10036000{provider_id:05d}", "status": "active"}
            provider.update(legal_name=f"AO Grija {provider_id}", districts_served=[district], version=1)
            apply_registry_event(session, Envelope(type="provider.registered", payload=provider, producer="registry"))
            accreditation = {"accreditation_id": 100 + provider_id, "provider_id": provider_id, "status": "active"}
            accreditation.update(service_type="home-care", valid_from="2026-01-01", valid_to="2030-12-31", version=1)
            envelope = Envelope(type="accreditation.granted", payload=accreditation, producer="registry")
            apply_registry_event(session, envelope)


def tender_body(clock: Clock, **changes) -> dict:
    body = {
        "district_code": DISTRICT,
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, Chișinău",
        "enquiry_end": (clock.now + timedelta(days=5)).isoformat(),
        "submission_deadline": (clock.now + timedelta(days=15)).isoformat(),
        "lots": [{"title": "Sectorul Centru", "places": 40, "budget": "400000.00", "duration_months": 12}],
        "criteria": [
            {"kind": "price", "name": "Preț", "weight": 40},
            {"kind": "quality", "name": "Calitatea serviciului", "weight": 60, "minimum": "50"},
        ],
    }
    body.update(changes)
    return body


class Driver:
    """Walks one tender through its stages over HTTP, as the people and flows would."""

    def __init__(self, app, clock: Clock, tokens: Tokens) -> None:
        self.app, self.clock, self.tokens = app, clock, tokens
        self.client = app.test_client()
        self.tender: dict = {}

    @property
    def url(self) -> str:
        return f"/api/v1/tenders/{self.tender['id']}"

    def create(self, **changes) -> dict:
        response = self.client.post(
            "/api/v1/tenders", json=tender_body(self.clock, **changes), headers=self.tokens.authority
        )
        assert response.status_code == 201, response.json
        self.tender = response.json
        return self.tender

    def publish(self, **changes) -> dict:
        self.create(**changes)
        response = self.client.post(f"{self.url}/publish", headers=self.tokens.authority)
        assert response.status_code == 200, response.json
        self.tender = response.json
        return self.tender

    def lot_id(self, index: int = 0) -> int:
        return self.tender["lots"][index]["id"]

    def quality_ids(self) -> list[int]:
        return [c["id"] for c in self.tender["criteria"] if c["kind"] == "quality"]

    def bid_body(self, unit_price: str = "9000.00", places: int = 40, lot: int = 0) -> dict:
        answers = [
            {"criterion_id": c, "answer": "Echipă de 12 îngrijitori, plan individual"} for c in self.quality_ids()
        ]
        return {
            "lot_id": self.lot_id(lot),
            "unit_price": unit_price,
            "places": places,
            "quality_text": "Propunere tehnică",
            "quality_answers": answers,
            "documents": [{"title": "Statut", "sha256": "a" * 64}],
        }

    def bid(self, provider_id: int, **offer):
        return self.client.post(f"{self.url}/bids", json=self.bid_body(**offer), headers=self.tokens.cso[provider_id])

    def close(self):
        self.clock.now = datetime.fromisoformat(self.tender["submission_deadline"]) + timedelta(seconds=1)
        response = self.client.post(f"{self.url}/transitions/due", headers=self.tokens.service)
        assert response.status_code == 200, response.json
        self.tender = response.json["tender"]
        return response.json

    def seat_committee(self, evaluators=EVALUATORS):
        response = self.client.post(
            f"{self.url}/committee", json={"evaluators": list(evaluators)}, headers=self.tokens.authority
        )
        assert response.status_code == 200, response.json
        return response.json

    def declare(self, evaluator: str, conflict: bool = False):
        body = {"has_conflict": conflict, "statement": "Rudă a directorului" if conflict else None}
        return self.client.post(
            f"{self.url}/committee/declaration", json=body, headers=self.tokens.evaluators[evaluator]
        )

    def eligible_bid_ids(self) -> list[int]:
        bids = self.client.get(f"{self.url}/bids", headers=self.tokens.authority).json["bids"]
        return [b["id"] for b in bids if b["eligible"]]

    def score(self, evaluator: str, by_bid: dict[int, str]):
        scores = [
            {"bid_id": bid_id, "criterion_id": c, "score": value, "justification": "Conform grilei de evaluare"}
            for bid_id, value in by_bid.items()
            for c in self.quality_ids()
        ]
        return self.client.post(
            f"{self.url}/evaluation/scores", json={"scores": scores}, headers=self.tokens.evaluators[evaluator]
        )

    def evaluate(self, by_bid: dict[int, str], evaluators=EVALUATORS):
        for evaluator in evaluators:
            assert self.declare(evaluator).status_code == 200
        for evaluator in evaluators:
            response = self.score(evaluator, by_bid)
            assert response.status_code == 200, response.json

    def complete(self, headers=None):
        return self.client.post(f"{self.url}/evaluation/complete", headers=headers or self.tokens.authority)

    def refresh(self) -> dict:
        self.tender = self.client.get(self.url, headers=self.tokens.authority).json
        return self.tender

    def events(self, event_type: str | None = None) -> list[Envelope]:
        with self.app.extensions["service_context"].session_factory() as session:
            rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        found = [Envelope.from_dict(row.body) for row in rows]
        return [e for e in found if event_type is None or e.type == event_type]


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def tokens(token_mint) -> Tokens:
    return Tokens(token_mint)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """One database migrated to head per session; each test gets a copy (migrating each time is slow)."""
    directory = tmp_path_factory.mktemp("contracting-template")
    migrated_sqlite_url("contracting", directory)
    return directory / "contracting.sqlite"


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def app_on(url: str, bus_url: str, token_mint, clock):
    app = create_app({"DATABASE_URL": url, "BUS_URL": bus_url}, token_verifier=token_mint.verifier, clock=clock)
    seed_market(app)
    return app


@pytest.fixture(params=DATABASES)
def any_database_url(request, tmp_path, migrated_template):
    """Contracting's migrated database, once of each kind the service runs on."""
    if request.param == "sqlite":
        shutil.copy(migrated_template, tmp_path / "contracting.sqlite")
        return f"sqlite:///{tmp_path / 'contracting.sqlite'}"
    url = request.getfixturevalue("postgres_database")
    upgrade("contracting", url)
    return url


@pytest.fixture
def contracting_app(tmp_path, brokerless_bus_url, token_mint, clock, migrated_template):
    shutil.copy(migrated_template, tmp_path / "contracting.sqlite")
    url = f"sqlite:///{tmp_path / 'contracting.sqlite'}"
    app = create_app(
        {"DATABASE_URL": url, "BUS_URL": brokerless_bus_url}, token_verifier=token_mint.verifier, clock=clock
    )
    seed_market(app)
    return app


@pytest.fixture
def driver(contracting_app, clock, tokens) -> Driver:
    return Driver(contracting_app, clock, tokens)


def score(driver: Driver) -> Driver:
    """Three eligible bids, scored by a full committee, ready for the award decision (on any driver)."""
    driver.publish()
    for provider_id, price in zip(BIDDERS, ("9000.00", "10000.00", "8000.00"), strict=True):
        assert driver.bid(provider_id, unit_price=price).status_code == 201
    driver.seat_committee()
    driver.close()
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "90", ids[1]: "80", ids[2]: "60"})
    return driver


@pytest.fixture
def scored(driver) -> Driver:
    """A tender with three eligible bids, scored by a full committee, ready for the award decision."""
    return score(driver)


@pytest.fixture
def decided(scored) -> Driver:
    """The scored tender with its award decision completed; ``tender`` holds the decided tender."""
    response = scored.complete()
    assert response.status_code == 200, response.json
    scored.tender = response.json
    return scored


@pytest.fixture
def scored_unscored(driver) -> Driver:
    """Three eligible bids opened, a committee of three seated, nobody declared or scored yet."""
    driver.publish()
    for provider_id, price in zip(BIDDERS, ("9000.00", "10000.00", "8000.00"), strict=True):
        assert driver.bid(provider_id, unit_price=price).status_code == 201
    driver.seat_committee()
    driver.close()
    return driver
