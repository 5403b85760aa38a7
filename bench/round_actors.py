"""The round benchmark's people, acting by HTTP when it is their turn (as demo/'s actors do).

The operator registers CSOs (``bids`` per service type, each serving every district of the round and accredited
for its service) and the district departments (an authority and three evaluators each). Each authority publishes
one call per service type and seats its committee; once a call's enquiry period is over its CSOs bid; once the
evaluation flow's run has opened the bids and ended, the three evaluators declare and score; once the award-stage
flow has made the contracts the authority and the CSO sign each one. Everything time-driven is the flows' work.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx

from bench.common import progress
from demo.scenarios import score_sheet
from services.common.settings import service_url

WINNERS_PER_CALL = 2  # each lot takes two winners, so a call makes two contracts (one when it has one bid)
PLACES_PER_BID = 10
BODY = "Agenția Națională pentru Asistență Socială"
# A call's periods are the minimum plus this, so the request's own latency cannot make them too short.
PERIOD_SLACK = timedelta(seconds=3)


class ActorFailed(RuntimeError):
    """A person's request got an answer the round does not expect; the message names the request."""


def now() -> datetime:
    return datetime.now(UTC)


class Http:
    """Plain HTTP calls as one person or another; each person logs in once, again when the token expires."""

    def __init__(self, password: str) -> None:
        self.password = password  # every seeded person's; the operator brings its own
        self.client = httpx.Client(timeout=60)
        self.passwords: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.lock = threading.Lock()

    def log_in(self, email: str, password: str | None = None) -> str:
        if password:
            self.passwords[email] = password
        url = f"{service_url('registry')}/api/v1/auth/token"
        response = self.client.post(url, json={"email": email, "password": self.passwords.get(email, self.password)})
        token = _expect(response, (200,), f"log in as {email}").json()["access_token"]
        with self.lock:  # only the table: people log in at the same time (password hashing takes a while)
            self.tokens[email] = token
        return token

    def _token(self, email: str, fresh: bool) -> str:
        with self.lock:
            token = None if fresh else self.tokens.get(email)
        return token or self.log_in(email)

    def call(self, method: str, service: str, path: str, as_: str | None = None, ok=(200, 201), **kwargs):
        """The response (status in ``ok``) as ``as_`` (anonymous when None); ActorFailed otherwise."""
        url = f"{service_url(service)}/api/v1{path}"
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._token(as_, attempt == 2)}"} if as_ else {}
            response = self.client.request(method, url, headers=headers, **kwargs)
            if response.status_code != 401 or not as_:
                break
        return _expect(response, ok, f"{method} {path} as {as_ or 'anonymous'}")

    def json(self, method: str, service: str, path: str, as_: str | None = None, **kwargs):
        return self.call(method, service, path, as_, **kwargs).json()


def _expect(response: httpx.Response, ok: tuple[int, ...], what: str) -> httpx.Response:
    if response.status_code not in ok:
        raise ActorFailed(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response


@dataclass(frozen=True)
class Bidder:
    provider_id: int
    email: str
    unit_price: int
    quality: int  # what the committee scores its proposal


@dataclass
class Call:
    """One district's call for one service type, and what its people have done so far."""

    district: str
    service: str
    bidders: list[Bidder]
    committee: list[int]  # the district's three evaluators, by registry user id
    tender: dict = field(default_factory=dict)
    marks: dict[str, datetime] = field(default_factory=dict)  # published, opened, scored, contracts_seen, signed
    bids: int = 0
    signed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def authority(self) -> str:
        return authority_email(self.district)

    @property
    def label(self) -> str:
        return f"{self.tender.get('ocid', '-')} ({self.district} {self.service})"


def authority_email(district: str) -> str:
    return f"das@{district.lower()}.bench.md"


def evaluator_emails(district: str) -> list[str]:
    return [f"evaluator{n}@{district.lower()}.bench.md" for n in range(1, 4)]


# the operator seeds the register ------------------------------------------------------------------------------


def seed_register(
    http: Http, operator: tuple[str, str], districts: list[str], services: list[str], bids: int, pool
) -> list[Call]:
    """Every CSO, authority and evaluator of the round; returns the calls to publish, one per district and service."""
    http.log_in(*operator)
    email = operator[0]
    today = date.today()
    accredited = (today - timedelta(days=400)).isoformat(), (today + timedelta(days=4 * 365)).isoformat()

    def register(service_number: int, service: str, number: int) -> Bidder:
        idno = f"20{service_number:02d}{number:03d}".ljust(13, "7")
        found = http.json("GET", "registry", "/providers", email, params={"idno": idno})
        if found:
            provider_id = found[0]["id"]
        else:
            body = {
                "idno": idno,
                "legal_name": f"AO Bench {service} {number}",
                "email": f"office@cso{service_number}-{number}.bench.md",
                "districts_served": districts,
            }
            provider_id = http.json("POST", "registry", "/providers", email, json=body)["id"]
            grant = {
                "service_type": service,
                "accrediting_body": BODY,
                "certificate_number": f"ANAS-B{service_number:02d}{number:03d}",
                "valid_from": accredited[0],
                "valid_to": accredited[1],
            }
            http.call("POST", "registry", f"/providers/{provider_id}/accreditations", email, json=grant)
        user = f"user@cso{service_number}-{number}.bench.md"
        _create_user(http, email, {"email": user, "role": "cso", "provider_id": provider_id})
        # Distinct prices and quality, so ranking has a clear order to find.
        return Bidder(provider_id, user, 4000 + 50 * number, 95 - 3 * number)

    jobs = {(s, n): pool.submit(register, i, s, n) for i, s in enumerate(services) for n in range(1, bids + 1)}
    bidders = {key: job.result() for key, job in jobs.items()}
    progress(f"round: {len(bidders)} CSOs registered and accredited ({bids} per service type)")
    people = [{"email": authority_email(d), "role": "authority", "district_code": d} for d in districts]
    people += [{"email": e, "role": "evaluator", "district_code": d} for d in districts for e in evaluator_emails(d)]
    user_ids = {body["email"]: pool.submit(_create_user, http, email, body) for body in people}
    user_ids = {user: job.result() for user, job in user_ids.items()}
    progress(f"round: {len(districts)} district departments with 3 evaluators each")
    last = max(bidder.provider_id for bidder in bidders.values())
    _wait_for_replica(http, email, last, timeout=60 + 2 * len(bidders))
    return [
        Call(
            district,
            service,
            [bidders[(service, n)] for n in range(1, bids + 1)],
            [user_ids[e] for e in evaluator_emails(district)],
        )
        for district in districts
        for service in services
    ]


def _create_user(http: Http, operator: str, body: dict) -> int:
    """The new user's id (or the existing one's: a second seeding of the same register finds them)."""
    made = http.call("POST", "registry", "/users", operator, ok=(201, 409), json={**body, "password": http.password})
    if made.status_code == 201:
        return int(made.json()["id"])
    return int(http.json("GET", "registry", "/users/me", body["email"])["id"])


def _wait_for_replica(http: Http, operator: str, provider_id: int, timeout: float) -> None:
    """Contracting decides eligibility from its replica of the register: wait until the last CSO reached it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = http.call("GET", "contracting", f"/replica/providers/{provider_id}", operator, ok=(200, 404))
        if found.status_code == 200 and found.json().get("accreditations"):
            progress("round: contracting's eligibility replica caught up from the registry's events")
            return
        time.sleep(0.5)
    raise ActorFailed(f"contracting's replica did not receive provider {provider_id} within {timeout:.0f} s")


# what people do in the round ----------------------------------------------------------------------------------


def publish(http: Http, call: Call, enquiry_seconds: float, tendering_seconds: float) -> None:
    """The authority drafts the call, publishes it and seats its committee of three."""
    for attempt in range(1, 4):
        answer = _draft_and_publish(http, call, enquiry_seconds, tendering_seconds)
        if answer.status_code == 200:
            break
        # Under load the draft can take longer than the slack to reach publication, leaving an enquiry period
        # shorter than the minimum: as a person would, the authority drafts it again with dates from now.
        if attempt == 3 or "enquiry_end" not in answer.json().get("errors", {}):
            _expect(answer, (200,), f"drafting and publishing as {call.authority}")
    call.tender = answer.json()
    call.marks["published"] = datetime.fromisoformat(call.tender["published_at"])
    path = f"/tenders/{call.tender['id']}/committee"
    http.call("POST", "contracting", path, call.authority, json={"evaluators": call.committee})


def _draft_and_publish(http: Http, call: Call, enquiry_seconds: float, tendering_seconds: float) -> httpx.Response:
    """The publication's answer, or the draft's refusal (422) when its periods were already too short."""
    started = now()
    enquiry_end = started + timedelta(seconds=enquiry_seconds) + PERIOD_SLACK
    body = {
        "district_code": call.district,
        "service_type": call.service,
        "title": f"Servicii {call.service}, {call.district}",
        "description": "Contract de 12 luni.",
        "enquiry_end": enquiry_end.isoformat(),
        "submission_deadline": (enquiry_end + timedelta(seconds=tendering_seconds) + PERIOD_SLACK).isoformat(),
        "lots": [
            {
                "title": f"Servicii {call.service}",
                "places": WINNERS_PER_CALL * PLACES_PER_BID,
                "budget": str(WINNERS_PER_CALL * PLACES_PER_BID * 6000),
                "duration_months": 12,
                "max_awards": WINNERS_PER_CALL,
            }
        ],
        "criteria": [
            {"kind": "price", "name": "Preț", "weight": 40},
            {"kind": "quality", "name": "Calitate", "weight": 60},
        ],
        "committee_size": 3,
    }
    drafted = http.call("POST", "contracting", "/tenders", call.authority, ok=(201, 422), json=body)
    if drafted.status_code == 422:
        return drafted
    return http.call("POST", "contracting", f"/tenders/{drafted.json()['id']}/publish", call.authority, ok=(200, 422))


def bid(http: Http, call: Call) -> None:
    """Each of the call's CSOs submits a sealed bid (during the tendering period)."""
    quality = next(c for c in call.tender["criteria"] if c["kind"] == "quality")
    for bidder in call.bidders[call.bids :]:
        body = {
            "lot_id": call.tender["lots"][0]["id"],
            "unit_price": str(bidder.unit_price),
            "places": PLACES_PER_BID,
            "quality_text": "Echipă calificată, plan individual de îngrijire.",
            "quality_answers": [{"criterion_id": quality["id"], "answer": "Vizite zilnice, supervizare lunară."}],
        }
        http.call("POST", "contracting", f"/tenders/{call.tender['id']}/bids", bidder.email, json=body)
        call.bids += 1


def score(http: Http, call: Call) -> None:
    """The three evaluators declare no conflict of interest and score every eligible bid's quality."""
    tender_path = f"/tenders/{call.tender['id']}"
    quality = next(c for c in call.tender["criteria"] if c["kind"] == "quality")
    by_provider = {bidder.provider_id: bidder.quality for bidder in call.bidders}
    for email in evaluator_emails(call.district):
        statement = {"has_conflict": False, "statement": "Nu am legături cu ofertanții."}
        declared = http.call(
            "POST", "contracting", f"{tender_path}/committee/declaration", email, ok=(200, 201, 409), json=statement
        )
        if declared.status_code == 409 and "already declared" not in declared.text:
            raise ActorFailed(f"{call.label}: declaring refused: {declared.text[:300]}")
        bids = http.json("GET", "contracting", f"{tender_path}/bids", email)["bids"]
        scores = score_sheet(bids, quality["id"], by_provider)
        if not scores:
            raise ActorFailed(f"{call.label}: no eligible bid to score (of {len(bids)})")
        http.call("POST", "contracting", f"{tender_path}/evaluation/scores", email, json={"scores": scores})
    call.marks["scored"] = now()


def sign(http: Http, call: Call) -> bool:
    """The authority and each winning CSO sign the call's contracts; False while the flow has made none yet."""
    contracts = http.json("GET", "contracting", f"/tenders/{call.tender['id']}/contracts")
    if not contracts:
        return False
    call.marks.setdefault("contracts_seen", now())
    email_of = {bidder.provider_id: bidder.email for bidder in call.bidders}
    active = 0
    for contract in contracts:
        for side, email in (("authority", call.authority), ("provider", email_of[contract["provider_id"]])):
            if contract["signatures"][side]["signed_at"] is None:
                contract = http.json("POST", "contracting", f"/contracts/{contract['id']}/sign", email)
        active += contract["status"] == "active"
    call.signed = active
    return True


def expected_contracts(call: Call) -> int:
    return min(len(call.bidders), WINNERS_PER_CALL)


def outcome(http: Http, call: Call) -> dict:
    """The call as contracting has it at the end, with its contracts' activation times."""
    tender = http.json("GET", "contracting", f"/tenders/{call.tender['id']}")
    contracts = http.json("GET", "contracting", f"/tenders/{call.tender['id']}/contracts")
    return {"tender": tender, "contracts": contracts}
