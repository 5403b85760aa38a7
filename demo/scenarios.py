"""The demo's tenders, each a small script of what people do; the flows do the rest on their own.

People act (an authority publishes, CSOs bid, evaluators score, a bidder complains, the authority rules on it);
everything time-driven (closing, opening, ranking, the standstill, contracts) is the Prefect stage flows' work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from demo.cast import AUTHORITIES, cso, evaluator_emails
from demo.delivery import RENEWAL, RETENDER, Delivery, sign_contracts
from demo.documents import attach, pdf
from demo.platform import Api, expect
from demo.seed import Cast

ENDED = ("unsuccessful", "cancelled")


def score_sheet(bids: list[dict], criterion_id: int, by_provider: dict[int, int]) -> list[dict]:
    """An evaluator's quality scores for every eligible bid, as the committee agreed to mark each bidder."""
    return [
        {
            "bid_id": bid["id"],
            "criterion_id": criterion_id,
            "score": str(by_provider[bid["provider_id"]]),
            "justification": "Punctaj acordat conform grilei de evaluare a calității.",
        }
        for bid in bids
        if bid.get("eligible")
    ]


@dataclass(frozen=True)
class Offer:
    cso: str
    unit_price: str
    places: int
    quality: int  # what the committee will score its proposal


@dataclass
class Scenario:
    name: str
    district: str
    service: str
    title: str
    places: int
    max_awards: int
    offers: list[Offer]
    expected: str
    complain: bool = False
    duration_months: int = 12
    # cso key -> share of its places it serves and reports; set: the contracts are followed to renewal/re-tender
    performance: dict[str, float] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    tender: dict = field(default_factory=dict)
    status: str = "draft"
    scored: bool = False
    complaint_id: int | None = None
    complaint_resolved: bool = False
    upheld_award: int | None = None
    log: list[str] = field(default_factory=list)
    documented: set = field(default_factory=set)  # awards and contracts whose document is attached

    @property
    def finished(self) -> bool:
        if self.status in ENDED:
            return True
        followed = not self.performance or (self.deliveries and all(d.done for d in self.deliveries))
        return self.status == "complete" and bool(followed)

    def start(self, api: Api, cast: Cast, enquiry_seconds: int, tendering_seconds: int) -> None:
        authority = api.login(AUTHORITIES[self.district], cast.password)
        now = datetime.now(UTC)
        body = {
            "district_code": self.district,
            "service_type": self.service,
            "title": self.title,
            "description": f"{self.places} locuri, contract de {self.duration_months} luni.",
            "enquiry_end": (now + timedelta(seconds=enquiry_seconds)).isoformat(),
            "submission_deadline": (now + timedelta(seconds=enquiry_seconds + tendering_seconds)).isoformat(),
            "lots": [
                {
                    "title": self.title,
                    "places": self.places,
                    "budget": str(self.places * 6000),
                    "duration_months": self.duration_months,
                    "max_awards": self.max_awards,
                }
            ],
            "criteria": [
                {"kind": "price", "name": "Preț", "weight": 40},
                {"kind": "quality", "name": "Calitate", "weight": 60},
            ],
            "committee_size": 3,
        }
        draft = api.ok("POST", "contracting", "/tenders", authority, f"{self.name}: create draft", json=body)
        terms = pdf(f"Caietul de sarcini: {self.title}", f"{self.places} locuri, {self.duration_months} luni.")
        attach(api, authority, draft["id"], "caiet-de-sarcini.pdf", "Caietul de sarcini", terms, "attach terms")
        template = pdf(f"Model de contract: {self.title}", "Raportare trimestriala; indicatori de performanta.")
        attach(
            api,
            authority,
            draft["id"],
            "model-contract.pdf",
            "Modelul de contract",
            template,
            "attach template",
            document_type="contractDraft",
        )
        self.tender = api.ok(
            "POST", "contracting", f"/tenders/{draft['id']}/publish", authority, f"{self.name}: publish"
        )
        self.status = self.tender["status"]
        members = [self._evaluator_id(api, cast, email) for email in evaluator_emails(self.district)]
        path = f"/tenders/{draft['id']}/committee"
        api.ok("POST", "contracting", path, authority, f"{self.name}: committee", json={"evaluators": members})
        for offer in self.offers:
            self._bid(api, cast, offer)
        self.note(f"published, committee of 3 named, {len(self.offers)} sealed bid(s) received")

    def tick(self, api: Api, cast: Cast) -> None:
        """Look at the tender and do what its people would do now."""
        authority = api.login(AUTHORITIES[self.district], cast.password)
        self.tender = api.ok("GET", "contracting", f"/tenders/{self.tender['id']}", authority, f"{self.name}: read")
        # Act on the recorded status: the shown one runs ahead while a stage run is due (bids not yet opened).
        recorded = self.tender.get("applied_status", self.tender["status"])
        if recorded != self.status:
            self.status = recorded
            self.note(self._describe(api, cast))
        if self.status == "active.evaluation" and not self.scored:
            self._score(api, cast)
        if self.status == "active.standstill":
            self._attach_evaluation_reports(api, cast, authority)
        if self.status == "complete":
            self._attach_signed_contracts(api, authority)
        if self.status == "active.standstill" and self.complain and self.complaint_id is None:
            self._lodge_complaint(api, cast)
        elif self.status == "active.standstill" and self.complaint_id and not self.complaint_resolved:
            self._uphold(api, cast, authority)
        if self.status == "active.contract_pending":
            names = {cast.providers[offer.cso]: cso(offer.cso).name for offer in self.offers}
            for message in sign_contracts(api, cast, self.tender["id"], authority, names):
                self.note(message)
        if self.status == "complete" and self.performance:
            self._follow_contracts(api, cast, authority)

    def state(self) -> str:
        """The status, and what a call whose contracts are followed still waits for."""
        waiting = [d.waiting_for() for d in self.deliveries if not d.done]
        return f"{self.status}; waiting for {', '.join(waiting)}" if waiting else self.status

    def note(self, message: str) -> None:
        self.log.append(message)

    def ocid(self) -> str:
        return self.tender.get("ocid", "-")

    def awards(self, api: Api, cast: Cast) -> list[dict]:
        authority = api.login(AUTHORITIES[self.district], cast.password)
        return api.ok("GET", "contracting", f"/tenders/{self.tender['id']}/awards", authority, "awards")

    def winners(self, api: Api, cast: Cast) -> list[str]:
        names = {cast.providers[offer.cso]: cso(offer.cso).name for offer in self.offers}
        live = [a for a in self.awards(api, cast) if a["status"] in ("pending", "active")]
        return [names.get(a["provider_id"], str(a["provider_id"])) for a in live]

    # what people do -------------------------------------------------------------------------------------------

    def _evaluator_id(self, api: Api, cast: Cast, email: str) -> int:
        return int(api.ok("GET", "registry", "/users/me", api.login(email, cast.password), "who am I")["id"])

    def _bid(self, api: Api, cast: Cast, offer: Offer) -> None:
        headers = api.login(f"user@{offer.cso}.md", cast.password)
        quality = next(c for c in self.tender["criteria"] if c["kind"] == "quality")
        body = {
            "lot_id": self.tender["lots"][0]["id"],
            "unit_price": offer.unit_price,
            "places": offer.places,
            "quality_text": f"Propunerea {cso(offer.cso).name}: echipă calificată, plan individual de îngrijire.",
            "quality_answers": [{"criterion_id": quality["id"], "answer": "Vizite zilnice, supervizare lunară."}],
        }
        path = f"/tenders/{self.tender['id']}/bids"
        bid = api.ok("POST", "contracting", path, headers, f"{self.name}: bid", json=body)["bid"]
        proposal = pdf(f"Propunerea tehnica: {cso(offer.cso).name}", body["quality_text"])
        attach(
            api,
            headers,
            self.tender["id"],
            "propunere-tehnica.pdf",
            "Propunerea tehnică",
            proposal,
            f"{self.name}: attach proposal",
            kind="bid",
            owner_id=bid["id"],
        )

    def _score(self, api: Api, cast: Cast) -> None:
        quality = next(c for c in self.tender["criteria"] if c["kind"] == "quality")
        by_provider = {cast.providers[offer.cso]: offer.quality for offer in self.offers}
        tender_path = f"/tenders/{self.tender['id']}"
        bids: list[dict] = []
        for email in evaluator_emails(self.district):
            headers = api.login(email, cast.password)
            statement = {"has_conflict": False, "statement": "Nu am legături cu ofertanții."}
            declared = api.call("POST", "contracting", f"{tender_path}/committee/declaration", headers, json=statement)
            if declared.status_code == 409:
                # The flow has moved on (e.g. declared the call unsuccessful: nothing eligible to score).
                self.scored = True
                return
            expect(declared, (200, 201), "declare")
            bids = api.ok("GET", "contracting", f"{tender_path}/bids", headers, "read bids")["bids"]
            scores = score_sheet(bids, quality["id"], by_provider)
            if scores:
                api.ok(
                    "POST", "contracting", f"{tender_path}/evaluation/scores", headers, "score", json={"scores": scores}
                )
        self.scored = True
        if any(bid.get("eligible") for bid in bids):
            self.note("3 evaluators declared no conflict of interest and scored independently")
        else:
            self.note("no eligible bid to score: every bidder failed eligibility at opening")

    def _attach_evaluation_reports(self, api: Api, cast: Cast, authority: dict) -> None:
        """The committee's report, signed and attached by the department to each award it decided."""
        for award in self.awards(api, cast):
            if award["status"] != "pending" or award["id"] in self.documented:
                continue
            report = pdf(
                f"Raportul comisiei de evaluare: {self.title}",
                f"Atribuirea {award['id']}: punctaje, clasament si motivare.",
            )
            attach(
                api,
                authority,
                self.tender["id"],
                "raport-evaluare.pdf",
                "Raportul comisiei de evaluare",
                report,
                f"{self.name}: attach evaluation report",
                kind="award",
                owner_id=award["id"],
                document_type="evaluationReports",
            )
            self.documented.add(award["id"])

    def _attach_signed_contracts(self, api: Api, authority: dict) -> None:
        contracts = api.ok("GET", "contracting", f"/tenders/{self.tender['id']}/contracts", authority, "contracts")
        for contract in contracts:
            key = ("contract", contract["id"])
            if contract["status"] != "active" or key in self.documented:
                continue
            signed = pdf(f"Contract nr. {contract['id']}: {self.title}", "Semnat de ambele parti.")
            attach(
                api,
                authority,
                self.tender["id"],
                f"contract-{contract['id']}.pdf",
                "Contractul semnat",
                signed,
                f"{self.name}: attach signed contract",
                kind="contract",
                owner_id=contract["id"],
                document_type="contractSigned",
            )
            self.documented.add(key)

    def _lodge_complaint(self, api: Api, cast: Cast) -> None:
        live = [a for a in self.awards(api, cast) if a["status"] in ("pending", "active")]
        winners = {a["provider_id"] for a in live}
        loser = next(o for o in self.offers if cast.providers[o.cso] not in winners)
        headers = api.login(f"user@{loser.cso}.md", cast.password)
        body = {
            "award_id": live[0]["id"],
            "title": "Contestație privind evaluarea calității",
            "description": "Punctajul de calitate al câștigătorului nu reflectă cerințele caietului de sarcini.",
        }
        complaint = api.ok(
            "POST", "contracting", f"/tenders/{self.tender['id']}/complaints", headers, "complain", json=body
        )
        self.complaint_id, self.upheld_award = complaint["id"], live[0]["id"]
        grounds = pdf("Contestatie: grila de evaluare", "Punctajele de calitate comparate cu caietul de sarcini.")
        attach(
            api,
            headers,
            self.tender["id"],
            "contestatie.pdf",
            "Motivarea contestației",
            grounds,
            f"{self.name}: attach complaint grounds",
            kind="complaint",
            owner_id=complaint["id"],
        )
        self.note(f"{cso(loser.cso).name} lodged a complaint during the standstill")

    def _uphold(self, api: Api, cast: Cast, authority: dict) -> None:
        body = {"decision": "upheld", "reasons": "Comisia a reexaminat punctajele: contestația este întemeiată."}
        path = f"/tenders/{self.tender['id']}/complaints/{self.complaint_id}/resolution"
        api.ok("POST", "contracting", path, authority, "uphold complaint", json=body)
        self.complaint_resolved = True
        self.note("complaint upheld: the award falls and the call goes back to evaluation")

    def _follow_contracts(self, api: Api, cast: Cast, authority: dict) -> None:
        if not self.deliveries:
            contracts = api.ok("GET", "contracting", f"/tenders/{self.tender['id']}/contracts", authority, "contracts")
            for contract in contracts:
                key = next(o.cso for o in self.offers if cast.providers[o.cso] == contract["provider_id"])
                share = self.performance[key]
                expected = RENEWAL if share >= 0.9 else RETENDER
                self.deliveries.append(Delivery(contract["id"], key, share, expected))
        for delivery in self.deliveries:
            if not delivery.done:
                delivery.tick(api, cast, authority, self.note)

    def _describe(self, api: Api, cast: Cast) -> str:
        if self.status == "active.standstill":
            return f"awarded to {', '.join(self.winners(api, cast))}; standstill running"
        if self.status == "active.contract_pending":
            return f"standstill over: contracts drawn up for {', '.join(self.winners(api, cast))}"
        if self.status == "complete":
            return "every contract signed: the call is complete"
        if self.status == "active.evaluation" and self.complaint_resolved:
            return "back in evaluation: ranking again without the fallen award"
        return {
            "active.tendering": "enquiries closed; tendering",
            "active.evaluation": "deadline passed: bids opened, eligibility checked from the replica",
            "unsuccessful": "unsuccessful: no eligible bid",
        }.get(self.status, self.status)


def national_round() -> list[Scenario]:
    """The tenders of the demo round and the outcome each must reach."""
    return [
        Scenario(
            "two winners",
            "MD-CU",
            "home-care",
            "Îngrijire socială la domiciliu, municipiul Chișinău",
            20,
            2,
            [Offer("speranta", "4200", 10, 92), Offer("concordia", "4000", 10, 85), Offer("homecare", "4600", 10, 60)],
            expected="two contracts; one renewed, one re-tendered and flagged by the continuity watch",
            performance={"speranta": 1.0, "concordia": 0.6},
        ),
        Scenario(
            "unsuccessful",
            "MD-BA",
            "day-centre",
            "Centru de zi pentru copii, municipiul Bălți",
            15,
            1,
            [Offer("diaconia", "3500", 15, 80), Offer("somato", "3400", 15, 75)],
            expected="unsuccessful (no eligible bid)",
        ),
        Scenario(
            "complaint upheld",
            "MD-OR",
            "respite-care",
            "Servicii de răgaz, raionul Orhei",
            8,
            1,
            [Offer("motivatie", "5000", 8, 88), Offer("keystone", "5200", 8, 86)],
            expected="complaint upheld, re-awarded to the complainant",
            complain=True,
            duration_months=24,  # runs past the end of the demo: no renewal decision for it yet
        ),
        Scenario(
            "single bid",
            "MD-CU",
            "home-care",
            "Îngrijire socială la domiciliu pentru vârstnici singuri, sectorul Botanica",
            6,
            1,
            # One bidder, the district's incumbent: the observatory flags it (single bid, same winner every time).
            [Offer("speranta", "4300", 6, 90)],
            expected="single bid: awarded to its only bidder",
        ),
    ]
