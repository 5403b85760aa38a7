"""Seed data for the security tests: each service's real migrated SQLite database holding a little of everything.

Built once per session through each service's own use cases, consumers and HTTP API (never by writing rows),
then copied for each test. The registry's real events feed contracting's eligibility replica.

Who is who (the same ids in every service): district C = MD-CU (the victim), district A = MD-BA (an attacker's);
CSO D = provider 2 (bids in C), CSO B = provider 3 (serves both districts, tries to read D's bids).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import kombu
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.db import make_engine, make_session_factory
from services.common.migrations import upgrade
from services.common.unit_of_work import UnitOfWork
from tests.clock import Clock

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DISTRICT_C, DISTRICT_A = "MD-CU", "MD-BA"
PASSWORD = "correct-horse-battery"

# name -> (role, subject, extra claims); subjects are the registry's user ids (users are created in this order).
PRINCIPALS = {
    "operator": ("operator", "1", {}),
    "authority": ("authority", "2", {"district_code": DISTRICT_C}),
    "evaluator": ("evaluator", "3", {"district_code": DISTRICT_C}),
    "cso": ("cso", "4", {"provider_id": 1}),
    "service": ("service", "5", {}),
    "authority_a": ("authority", "6", {"district_code": DISTRICT_A}),
    "cso_b": ("cso", "7", {"provider_id": 3}),
    "cso_d": ("cso", "8", {"provider_id": 2}),
    "evaluator_2": ("evaluator", "9", {"district_code": DISTRICT_C}),
    "evaluator_3": ("evaluator", "10", {"district_code": DISTRICT_C}),
}
FUZZ_ROLES = ("anonymous", "operator", "authority", "evaluator", "cso", "service")


@dataclass
class Template:
    """A seeded database file, the time it was left at, and the ids a test may want."""

    database: Path
    now: datetime
    ids: dict[str, int] = field(default_factory=dict)

    def copy_to(self, directory: Path) -> str:
        target = directory / self.database.name
        shutil.copyfile(self.database, target)
        return f"sqlite:///{target}"


def headers_for(mint, name: str) -> dict[str, str]:
    if name == "anonymous":
        return {}
    role, subject, claims = PRINCIPALS[name]
    return mint.headers(role, subject, **claims)


def seed_registry(directory: Path) -> tuple[Template, list[Envelope]]:
    """Providers, accreditations and one account per principal; returns the events the registry emitted."""
    from services.common.call import Call
    from services.registry.adapters.orm import OutboxMessage
    from services.registry.service_layer.commands import CreateUser, GrantAccreditation, RegisterProvider
    from services.registry.service_layer.handlers import create_user, grant_accreditation, register_provider

    url = f"sqlite:///{directory / 'registry.sqlite'}"
    upgrade("registry", url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)

    def call() -> Call:
        """The seed is the platform itself: no principal, the seed's own time."""
        return Call(UnitOfWork(sessions, OutboxMessage, producer="registry"), None, START)

    providers = [("1003600012345", [DISTRICT_C]), ("1003600054321", [DISTRICT_C]), ("1003600099991", [DISTRICT_A])]
    for number, (idno, districts) in enumerate(providers, start=1):
        body = RegisterProvider(
            idno, f"AO Furnizor {number}", email=f"cso{number}@example.md", districts_served=districts
        )
        provider = register_provider(call(), body)
        terms = GrantAccreditation("home-care", "ANAS", f"ANAS-{number}", date(2025, 1, 1), date(2029, 12, 31))
        grant_accreditation(call(), provider.id, terms)
    for name, (role, _subject, claims) in PRINCIPALS.items():
        create_user(call(), CreateUser(email=f"{name}@sscp.md", password=PASSWORD, role=role, **claims))
    with sessions() as session:
        events = [Envelope.from_dict(body) for body in session.scalars(select(OutboxMessage.body))]
    engine.dispose()
    return Template(directory / "registry.sqlite", START), events


def seed_contracting(directory: Path, mint, registry_events: list[Envelope]) -> Template:
    """A draft, a published call with two bids and a question, and an evaluated call whose winner's contract
    is signed (when contracting's API allows it)."""
    from services.contracting.entrypoints.api import create_app
    from services.contracting.entrypoints.consumer import build_consumer

    url = f"sqlite:///{directory / 'contracting.sqlite'}"
    upgrade("contracting", url)
    clock = Clock(START)
    app = create_app({"DATABASE_URL": url, "BUS_URL": "memory://"}, token_verifier=mint.verifier, clock=clock)
    context = app.extensions["service_context"]
    consumer = build_consumer(context, kombu.Connection("memory://"))
    for envelope in registry_events:
        consumer.process(envelope)
    api = ContractingSeeder(app.test_client(), mint, clock)
    ids = api.evaluated_tender()
    ids.update(api.signed_contract(ids["evaluated_tender"]))
    ids.update(api.open_tender())
    ids["draft_tender"] = api.create()["id"]
    context.engine.dispose()
    return Template(directory / "contracting.sqlite", clock.now, ids)


class ContractingSeeder:
    """Walks tenders through contracting's API as the authority, the CSOs, the committee and the flows would."""

    def __init__(self, client, mint, clock: Clock) -> None:
        self.client, self.mint, self.clock = client, mint, clock

    def call(self, method: str, path: str, who: str, body: dict | None = None, expect: int = 200) -> dict:
        response = self.client.open(f"/api/v1{path}", method=method, json=body, headers=headers_for(self.mint, who))
        assert response.status_code == expect, f"{method} {path} as {who}: {response.status_code} {response.json}"
        return response.json

    def create(self) -> dict:
        body = {
            "district_code": DISTRICT_C,
            "service_type": "home-care",
            "title": "Îngrijire la domiciliu, Chișinău",
            "enquiry_end": (self.clock.now + timedelta(days=5)).isoformat(),
            "submission_deadline": (self.clock.now + timedelta(days=15)).isoformat(),
            "lots": [{"title": "Sectorul Centru", "places": 40, "budget": "400000.00", "duration_months": 12}],
            "criteria": [
                {"kind": "price", "name": "Preț", "weight": 40},
                {"kind": "quality", "name": "Calitatea serviciului", "weight": 60, "minimum": "50"},
            ],
        }
        return self.call("POST", "/tenders", "authority", body, expect=201)

    def published_with_bids(self, bidders: tuple[str, ...]) -> tuple[dict, dict[str, int]]:
        tender = self.create()
        tender = self.call("POST", f"/tenders/{tender['id']}/publish", "authority")
        quality = [c["id"] for c in tender["criteria"] if c["kind"] == "quality"]
        bids = {}
        for number, bidder in enumerate(bidders):
            body = {
                "lot_id": tender["lots"][0]["id"],
                "unit_price": f"{9000 + 500 * number}.00",
                "places": 40,
                "quality_text": "Propunere tehnică",
                "quality_answers": [{"criterion_id": c, "answer": "Echipă de 12 îngrijitori"} for c in quality],
                "documents": [{"title": "Statut", "sha256": "a" * 64}],
            }
            receipt = self.call("POST", f"/tenders/{tender['id']}/bids", bidder, body, expect=201)
            bids[bidder] = receipt.get("bid_id") or receipt.get("id") or receipt["bid"]["id"]
        return tender, bids

    def open_tender(self) -> dict[str, int]:
        tender, bids = self.published_with_bids(("cso", "cso_d"))
        question = {"question": "Care este programul de lucru?"}
        self.call("POST", f"/tenders/{tender['id']}/questions", "cso", question, expect=201)
        return {"open_tender": tender["id"], "bid_of_cso_d": bids["cso_d"], "bid_of_cso": bids["cso"]}

    def evaluated_tender(self) -> dict[str, int]:
        tender, _bids = self.published_with_bids(("cso", "cso_d", "cso_b"))
        path = f"/tenders/{tender['id']}"
        committee = ["3", "9", "10"]
        self.call("POST", f"{path}/committee", "authority", {"evaluators": committee})
        self.clock.now = datetime.fromisoformat(tender["submission_deadline"]) + timedelta(seconds=1)
        self.call("POST", f"{path}/transitions/due", "service")
        bids = self.call("GET", f"{path}/bids", "authority")["bids"]
        quality = [c["id"] for c in tender["criteria"] if c["kind"] == "quality"]
        for evaluator in ("evaluator", "evaluator_2", "evaluator_3"):
            self.call("POST", f"{path}/committee/declaration", evaluator, {"has_conflict": False})
        for evaluator in ("evaluator", "evaluator_2", "evaluator_3"):
            scores = [
                {"bid_id": b["id"], "criterion_id": c, "score": "80", "justification": "Conform grilei de evaluare"}
                for b in bids
                if b["eligible"]
                for c in quality
            ]
            self.call("POST", f"{path}/evaluation/scores", evaluator, {"scores": scores})
        self.call("POST", f"{path}/evaluation/complete", "authority")
        return {"evaluated_tender": tender["id"]}

    def signed_contract(self, tender_id: int) -> dict[str, int]:
        """After the standstill, the winner's contract signed by both sides (no id when the API refuses it)."""
        self.clock.now += timedelta(days=8)
        self.call("POST", f"/tenders/{tender_id}/transitions/due", "service")
        response = self.client.post(
            f"/api/v1/tenders/{tender_id}/contracts", json={}, headers=headers_for(self.mint, "authority")
        )
        if response.status_code != 201:
            return {}
        contract = response.json[0]
        for signer in ("authority", "cso"):
            self.client.post(f"/api/v1/contracts/{contract['id']}/sign", headers=headers_for(self.mint, signer))
        return {"contract": contract["id"]}


def notifications_events() -> list[Envelope]:
    """What the other services would have published: providers, an invitation, a bid receipt, report notices."""
    events = []
    for provider_id in (1, 2, 3):
        payload = {"provider_id": provider_id, "idno": f"10036000{provider_id:05d}", "status": "active"}
        payload.update(legal_name=f"AO Furnizor {provider_id}", districts_served=[DISTRICT_C], languages=["ro"])
        payload.update(email=f"cso{provider_id}@example.md", version=1)
        events.append(Envelope(type="provider.registered", payload=payload, producer="registry"))
    tender = {"tender_id": 7, "ocid": "ocds-sscp01-7", "district_code": DISTRICT_C, "service_type": "home-care"}
    tender.update(title="Îngrijire la domiciliu", status="active.enquiries", provider_id=1)
    tender.update(enquiry_end="2026-11-29T09:00:00+00:00", submission_deadline="2026-12-09T09:00:00+00:00")
    for event_type, payload in (
        ("tender.invitation_sent", tender),
        ("bid.submitted", {"provider_id": 1, "receipt_hash": "ab" * 32, "tender_id": 7}),
        ("report.returned", {"provider_id": 1, "contract_id": 3, "reason": "lipsesc KPI"}),
        ("report.submitted", {"provider_id": 1, "contract_id": 3, "district_code": DISTRICT_C}),
    ):
        events.append(
            Envelope(type=event_type, payload=payload, producer="contracting", correlation_id="ocds-sscp01-7")
        )
    return events


def seed_notifications(directory: Path, mint) -> Template:
    """Deliveries sent and pending, inbox messages, a CSO's webhook and a district contact."""
    from services.notifications.entrypoints.api import create_app
    from services.notifications.entrypoints.consumer import build_consumer
    from services.notifications.service_layer.dispatch import dispatch_due

    url = f"sqlite:///{directory / 'notifications.sqlite'}"
    upgrade("notifications", url)
    clock = Clock(START)
    config = {"DATABASE_URL": url, "BUS_URL": "memory://", "MAIL_DIR": str(directory / "mail")}
    app = create_app(config, token_verifier=mint.verifier, clock=clock)
    context = app.extensions["service_context"]
    consumer = build_consumer(context, kombu.Connection("memory://"))
    events = notifications_events()
    for envelope in events[:-1]:
        consumer.process(envelope)
    dispatch_due(context, clock())
    consumer.process(events[-1])  # left pending
    client = app.test_client()
    hook = {"url": "https://hooks.furnizor1.example.org/sscp", "event_types": ["bid.submitted"]}
    created = client.post("/api/v1/webhooks", json=hook, headers=headers_for(mint, "cso"))
    assert created.status_code == 201, created.json
    contact = {"email": "asistenta.sociala@cu.gov.md"}
    response = client.put(
        f"/api/v1/authority-contacts/{DISTRICT_C}", json=contact, headers=headers_for(mint, "operator")
    )
    assert response.status_code == 200, response.json
    context.engine.dispose()
    return Template(directory / "notifications.sqlite", clock.now, {"webhook": created.json["id"]})
