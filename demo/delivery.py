"""After the award: both sides sign, the CSO delivers and reports, and the renewal sweep decides what comes next.

People act here as on the platform: the authority agrees quarterly reporting and signs, the CSO signs and files a
report each quarter, the authority accepts it and, when the sweep proposes a renewal, confirms it. Deciding
renew or re-tender, publishing the successor call and alerting the district are the renewal-sweep flow's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from demo.cast import cso
from demo.documents import attach, pdf
from demo.platform import Api
from demo.seed import Cast
from services.common.quality_standards import checklist_for

RENEWAL = "renewal"
RETENDER = "re-tender"


def sign_contracts(api: Api, cast: Cast, tender_id: int, authority: dict, names: dict[int, str]) -> list[str]:
    """Quarterly reporting agreed, then both signatures on every pending contract; returns what was done."""
    done = []
    contracts = api.ok("GET", "contracting", f"/tenders/{tender_id}/contracts", authority, "read contracts")
    for contract in contracts:
        if contract["status"] != "pending":
            continue
        path = f"/contracts/{contract['id']}"
        if contract["milestone_frequency"] != "quarterly":
            edit = {"milestone_frequency": "quarterly", "reason": "Raportare trimestrială convenită cu prestatorul."}
            api.ok("PATCH", "contracting", path, authority, "agree quarterly reporting", json=edit)
        signed = {side for side, signature in contract["signatures"].items() if signature.get("signed_at")}
        if "authority" not in signed:
            api.ok("POST", "contracting", f"{path}/sign", authority, "authority signs")
        if "provider" not in signed:
            provider = api.login(f"user@{_cso_key(cast, contract['provider_id'])}.md", cast.password)
            api.ok("POST", "contracting", f"{path}/sign", provider, "CSO signs")
        done.append(f"contract {contract['id']} signed by the authority and {names[contract['provider_id']]}")
    return done


def standards_answers(service_type: str, share: float) -> list[dict]:
    """The report's answers to the service's minimum quality standards: a CSO serving most of its places meets
    them all; one serving fewer meets the second only partly, and one serving 60% or fewer misses the last (so the
    observatory's standards view has all three answers to show)."""
    codes = checklist_for(service_type).codes
    answers = [{"code": code, "status": "met", "note": ""} for code in codes]
    if share < 0.9:
        answers[1].update(status="partly", note="Plan revizuit cu întârziere pentru o parte din beneficiari.")
    if share <= 0.6:
        answers[-1].update(status="not_met", note="Resurse insuficiente în trimestru; plan de remediere trimis.")
    return answers


def _cso_key(cast: Cast, provider_id: int) -> str:
    return next(key for key, known in cast.providers.items() if known == provider_id)


@dataclass
class Delivery:
    """One contract's life after signature, as its CSO (serving ``share`` of the places) and authority live it."""

    contract_id: int
    cso_key: str
    share: float
    expected: str
    reported: set[int] = field(default_factory=set)
    renewed: bool = False
    successor_ocid: str | None = None
    alerted: str | None = None
    restored: bool = False
    contract: dict = field(default_factory=dict)

    def waiting_for(self) -> str:
        if self.expected == RENEWAL:
            return f"contract {self.contract_id}: a renewal proposal from the sweep"
        missing = [w for w, have in (("a successor call", self.successor_ocid), ("an alert", self.alerted)) if not have]
        return f"contract {self.contract_id}: {' and '.join(missing)}"

    @property
    def path(self) -> str:
        return f"/contracts/{self.contract_id}"

    @property
    def done(self) -> bool:
        if self.expected == RENEWAL:
            return self.renewed
        return self.successor_ocid is not None and self.alerted is not None

    def tick(self, api: Api, cast: Cast, authority: dict, note) -> None:
        self.contract = api.ok("GET", "contracting", self.path, authority, "read contract")
        if self.contract["status"] == "active":
            self._report(api, cast, authority, note)
        if self.expected == RENEWAL and not self.renewed:
            self._confirm_proposed_renewal(api, authority, note)
        if self.expected == RETENDER:
            self._look_for_successor(api, authority, note)
            self._look_for_alert(api, cast, note)

    def _report(self, api: Api, cast: Cast, authority: dict, note) -> None:
        now = datetime.now(UTC)
        headers = api.login(f"user@{self.cso_key}.md", cast.password)
        for milestone in self.contract["milestones"]:
            number = milestone["number"]
            if number in self.reported or datetime.fromisoformat(milestone["period_end"]) > now:
                continue
            served = int(self.contract["places"] * self.share)
            body = {
                "milestone_number": number,
                "beneficiaries_served": served,
                "narrative": "Servicii prestate conform planurilor individuale de îngrijire.",
                "standards": standards_answers(self.contract["service_type"], self.share),
            }
            report = api.ok("POST", "contracting", f"{self.path}/reports", headers, "file report", json=body)
            evidence = pdf(
                f"Raport trimestrial {number}: contract {self.contract_id}", f"{served} beneficiari deserviti."
            )
            attach(
                api,
                headers,
                self.contract["tender_id"],
                f"raport-{number}.pdf",
                "Dovezi: fișe de monitorizare",
                evidence,
                "attach report evidence",
                kind="report",
                owner_id=report["id"],
                document_type="physicalProgressReport",
            )
            api.ok("POST", "contracting", f"{self.path}/reports/{report['id']}/accept", authority, "accept report")
            self.reported.add(number)
            name = cso(self.cso_key).name
            note(f"{name}: quarter {number} reported ({served} of {self.contract['places']} places served), accepted")

    def _confirm_proposed_renewal(self, api: Api, authority: dict, note) -> None:
        due = api.ok("GET", "contracting", "/renewals/due", authority, "renewals due")
        mine = next((entry for entry in due if entry["contract"]["id"] == self.contract_id), None)
        if mine is None or not mine.get("proposal"):
            return
        months = mine["proposal"]["months"]
        note(f"renewal-sweep proposed renewing contract {self.contract_id} for {months} months (policy: renew)")
        body = {"reason": "Prestatorul a atins indicatorii; reînnoire confirmată."}
        renewed = api.ok("POST", "contracting", f"{self.path}/renewal/confirm", authority, "confirm", json=body)
        self.renewed = True
        note(f"authority confirmed: contract {self.contract_id} renewed until {renewed['end_at'][:19]}Z")

    def _look_for_successor(self, api: Api, authority: dict, note) -> None:
        if self.successor_ocid:
            return
        params = {"district_code": self.contract["district_code"], "service_type": self.contract["service_type"]}
        calls = api.ok("GET", "contracting", "/tenders", authority, "read calls", params={**params, "page_size": 50})
        mark = f"Continuity of contract {self.contract_id} "
        successor = next((t for t in calls if t.get("description", "").startswith(mark)), None)
        if successor:
            self.successor_ocid = successor["ocid"]
            name = cso(self.cso_key).name
            note(f"renewal-sweep: {name} below the KPI threshold -> successor call {successor['ocid']} published")

    def _look_for_alert(self, api: Api, cast: Cast, note) -> None:
        # Imported here: importing Prefect before the demo has set PREFECT_API_URL would pin it to no server.
        from flows.renewal_sweep import AT_RISK

        if self.alerted:
            return
        params = {"correlation_id": self.contract["ocid"], "event_type": "continuity.at_risk", "page_size": 20}
        found = api.ok("GET", "notifications", "/deliveries", cast.operator, "alerts", params=params)
        if not found:
            return
        params = {"district_code": self.contract["district_code"], "service_type": self.contract["service_type"]}
        coverage = api.ok("GET", "contracting", "/coverage", cast.operator, "coverage", params=params)
        mine = next((entry for entry in coverage if entry["contract_id"] == self.contract_id), None)
        if mine is None:  # expired meanwhile, uncovered: the alert was this contract's
            mine = {"risk": "critical", "days_left": 0, "covered": False}
        if not mine["covered"] and mine["risk"] in AT_RISK:
            self.alerted = mine["risk"]
            subject = found[0].get("subject") or "continuity.at_risk"
            note(
                f"continuity watch: contract {self.contract_id} ends in {mine['days_left']} (compressed) days with "
                f"no successor in place ({mine['risk']} risk); the district was alerted: “{subject}”"
            )
